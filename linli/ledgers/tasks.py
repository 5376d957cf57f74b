"""Background runs of ledger imports (Celery; eager in the embedded default), and the hourly file sweep."""

from __future__ import annotations

from celery import shared_task

from linli.core import jobs
from linli.core.audit import Actor
from linli.core.models import Source
from linli.ledgers.models import ImportJob


@shared_task
def run_import_job(job_id: int, dry_run: bool, attempt: int | None = None) -> None:
    """Run attempt `attempt` of the job (linli.ledgers.services.start_run claimed it).

    The run renews the job's lease as it goes; its outcome is written only if the job is still at this attempt
    (a retried or cancelled run's late worker changes nothing: linli.core.jobs.finish and fail).
    """
    from linli.core.excel.read import SpreadsheetError
    from linli.ledgers.importer import read_ledger, run_import

    job = ImportJob.objects.select_related("community", "created_by").get(pk=job_id)
    if attempt is None:
        attempt = job.attempt
    if job.attempt != attempt:
        return  # superseded before it started
    heartbeat = jobs.Heartbeat(job)
    heartbeat.beat(force=True)
    actor = Actor(user=job.created_by, source=Source.IMPORT, label=f"导入 {job.original_name}"[:64])
    try:
        with job.file.open("rb") as handle:
            table = read_ledger(handle, job.original_name)
        heartbeat.beat(force=True)
        mapping = {int(k): v for k, v in job.mapping.items()}
        report = run_import(table, mapping, job.community, actor=actor, dry_run=dry_run, progress=heartbeat.progress)
    except SpreadsheetError as exc:
        jobs.fail(job, str(exc), actor=actor, attempt=attempt)
        return
    except Exception as exc:  # the transaction rolled back; tell the user plainly and keep the file
        jobs.fail(job, f"导入没有完成，数据库没有任何改变。原因：{exc}", actor=actor, attempt=attempt)
        raise
    finally:
        heartbeat.close()
    jobs.finish(job, report.as_dict(), dry_run=dry_run, actor=actor, attempt=attempt)


@shared_task
def sweep_imports() -> str:
    """Hourly (CELERY_BEAT_SCHEDULE; cron: `linli sweep-imports`): delete uploaded ledgers unused for a day."""
    from linli.ledgers.services import sweep_import_files

    return f"删除导入文件 {sweep_import_files()} 个"
