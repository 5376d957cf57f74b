"""Background runs of ledger imports (Celery; eager in the embedded default)."""

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
def run_import_job(job_id: int, dry_run: bool) -> None:
    from linli.ledgers.importer import LedgerFileError, read_table, run_import

    job = ImportJob.objects.select_related("community", "created_by").get(pk=job_id)
    key = progress_key(job.pk)

    def progress(done: int, total: int) -> None:
        cache.set(key, (done, total), timeout=3600)

    actor = Actor(user=job.created_by, source=Source.IMPORT, label=f"导入 {job.original_name}"[:64])
    try:
        with job.file.open("rb") as handle:
            table = read_table(handle, job.original_name)
        mapping = {int(k): v for k, v in job.mapping.items()}
        report = run_import(table, mapping, job.community, actor=actor, dry_run=dry_run, progress=progress)
    except LedgerFileError as exc:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, message=str(exc)[:500])
        return
    except Exception as exc:  # the transaction rolled back; tell the user plainly and keep the file
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, message=f"导入没有完成，数据库没有任何改变。原因：{exc}"[:500]
        )
        raise
    finally:
        cache.delete(key)
    done = not dry_run
    if done:
        # The ledger holds ID numbers in clear: once imported, the copy on disk is removed.
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE if done else ImportStatus.VALIDATED,
        report=report.as_dict(),
        progress_done=report.rows,
        progress_total=report.rows,
        committed_at=timezone.now() if done else None,
        **({"file": ""} if done else {}),
        message="",
    )
