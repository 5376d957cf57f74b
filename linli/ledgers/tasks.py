"""Background runs of ledger imports (Celery; eager in the embedded default), and the hourly file sweep."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from linli.core.audit import Actor
from linli.core.models import Source
from linli.ledgers.choices import ImportStatus
from linli.ledgers.models import ImportJob


def progress_key(job_id: int) -> str:
    return f"linli:import-progress:{job_id}"


def read_progress(job: ImportJob) -> tuple[int, int]:
    """(done, total) while a run is under way. The commit runs in one transaction, so its
    progress cannot be read from the job row by another connection: it lives in the cache."""
    return cache.get(progress_key(job.pk)) or (job.progress_done, job.progress_total)


@shared_task
def run_import_job(job_id: int, dry_run: bool, attempt: int | None = None) -> None:
    """Run attempt `attempt` of the job (linli.ledgers.services.start_run claimed it).

    The run renews the job's lease as it goes; its outcome is written only if the job is still at this attempt
    (a retried or cancelled run's late worker changes nothing).
    """
    from linli.core.excel.read import SpreadsheetError
    from linli.ledgers.importer import read_ledger, run_import
    from linli.ledgers.services import Heartbeat

    job = ImportJob.objects.select_related("community", "created_by").get(pk=job_id)
    if attempt is None:
        attempt = job.attempt
    if job.attempt != attempt:
        return  # superseded before it started
    this_run = ImportJob.objects.filter(pk=job.pk, attempt=attempt)
    key = progress_key(job.pk)
    heartbeat = Heartbeat(job)
    heartbeat.beat(force=True)

    def progress(done: int, total: int) -> None:
        cache.set(key, (done, total), timeout=3600)
        heartbeat.beat()

    actor = Actor(user=job.created_by, source=Source.IMPORT, label=f"导入 {job.original_name}"[:64])
    try:
        with job.file.open("rb") as handle:
            table = read_ledger(handle, job.original_name)
        heartbeat.beat(force=True)
        mapping = {int(k): v for k, v in job.mapping.items()}
        report = run_import(table, mapping, job.community, actor=actor, dry_run=dry_run, progress=progress)
    except SpreadsheetError as exc:
        this_run.update(status=ImportStatus.FAILED, message=str(exc)[:500], heartbeat_at=timezone.now())
        return
    except Exception as exc:  # the transaction rolled back; tell the user plainly and keep the file
        this_run.update(
            status=ImportStatus.FAILED,
            message=f"导入没有完成，数据库没有任何改变。原因：{exc}"[:500],
            heartbeat_at=timezone.now(),
        )
        raise
    finally:
        heartbeat.close()
        cache.delete(key)
    done = not dry_run
    if done:
        # The ledger holds ID numbers in clear: once imported, the copy on disk is removed.
        job.file.delete(save=False)
    this_run.update(
        status=ImportStatus.DONE if done else ImportStatus.VALIDATED,
        report=report.as_dict(),
        progress_done=report.rows,
        progress_total=report.rows,
        committed_at=timezone.now() if done else None,
        heartbeat_at=timezone.now(),
        **({"file": ""} if done else {}),
        message="",
    )


@shared_task
def sweep_imports() -> str:
    """Hourly (CELERY_BEAT_SCHEDULE; cron: `linli sweep-imports`): delete uploaded ledgers unused for a day."""
    from linli.ledgers.services import sweep_import_files

    return f"删除导入文件 {sweep_import_files()} 个"
