"""Ledger import jobs: who may retry or cancel, starting a run in a worker, and deleting unused files.

The job's status changes in linli.core.jobs (upload, start, finish, fail, cancel, sweep), with an actor and a change
record; this module adds the ledger's rules. A run (check or commit) is leased, and a run that has not reported for
LINLI_IMPORT_LEASE_SECONDS lost its worker (kill -9, a restarted machine) and is 导入中断. Such a run may be
started again or cancelled by the job's uploader or a manager (`ledger.manage`) in scope. A retried commit is
safe: the commit is one transaction, so a dead one wrote nothing, and it validates again against the
database as it is, so even a commit that finished writing but died before saying so imports nothing twice.

The uploaded ledger holds ID numbers in clear: it is deleted after the commit, on cancel, and after
LINLI_IMPORT_FILE_HOURS unused (`sweep_import_files`, hourly from Celery beat or cron: `linli sweep-imports`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied

from linli.core import jobs
from linli.core.audit import Actor
from linli.core.jobs import JobRefused, JobStatus
from linli.ledgers.models import ImportJob


def may_manage(user, job: ImportJob) -> bool:
    """Retry or cancel: the uploader, or a manager (ledger.manage), the job's community in their scope."""
    if not ImportJob.objects.restrict(user, "import").filter(pk=job.pk).exists():
        return False
    return job.created_by_id == user.pk or user.has_role_perm("ledger.manage")


def _require_manage(actor: Actor, job: ImportJob) -> None:
    if actor.user is not None and not may_manage(actor.user, job):
        raise PermissionDenied("只有上传人或社区管理人员可以重试或取消这次导入。")


def start_run(job: ImportJob, *, dry_run: bool, actor: Actor, mapping: dict[int, str] | None = None) -> ImportJob:
    """Claim the job for a check (dry run) or a commit (linli.core.jobs.start) and queue the run in a worker.

    Starting an interrupted run again is a retry: only the uploader or a manager may.
    """
    locked = jobs.start(
        job, dry_run=dry_run, actor=actor, mapping=mapping, may_retry=lambda locked: _require_manage(actor, locked)
    )
    from linli.ledgers.tasks import run_import_job

    run_import_job.delay(locked.pk, dry_run, locked.attempt)
    return locked


def retry_import(job: ImportJob, *, actor: Actor) -> ImportJob:
    """Start an interrupted run (导入中断) again: the same check or commit, from the start."""
    _require_manage(actor, job)
    job.refresh_from_db()
    if job.status not in jobs.RUNNING:
        raise JobRefused("这次导入没有中断，不需要重试。")
    if jobs.run_is_alive(job):
        raise JobRefused("导入正在进行中，请稍候。")
    return start_run(job, dry_run=job.status == JobStatus.VALIDATING, actor=actor)


def cancel_import(job: ImportJob, *, actor: Actor) -> ImportJob:
    """Give the job up (linli.core.jobs.cancel): its file is deleted now. Only the uploader or a manager may."""
    _require_manage(actor, job)
    return jobs.cancel(job, actor=actor)


def sweep_import_files(*, now: datetime.datetime | None = None) -> int:
    """Delete uploaded ledgers unused for LINLI_IMPORT_FILE_HOURS and leftovers of killed uploads (see
    linli.core.jobs.sweep_files); the job stays, 文件已删除, so that its report can still be read."""
    message = (
        f"上传的文件超过{settings.LINLI_IMPORT_FILE_HOURS}小时未使用，已自动删除（其中有身份证号码）。"
        "如需导入，请重新上传。"
    )
    return jobs.sweep_files(ImportJob, message=message, now=now)
