"""Ledger import jobs: upload, start a run, retry an interrupted one, cancel, and delete unused files.

Every change of a job goes through here with an actor and a change record. A run (check or commit) is leased:
the worker renews the job's heartbeat as it goes (`Heartbeat`), and a run that has not reported for
LINLI_IMPORT_LEASE_SECONDS lost its worker (kill -9, a restarted machine) and is 导入中断. Such a run may be
started again or cancelled by the job's uploader or a manager (`ledger.manage`) in scope. A retried commit is
safe: the commit is one transaction, so a dead one wrote nothing, and it validates again against the
database as it is, so even a commit that finished writing but died before saying so imports nothing twice.

The uploaded ledger holds ID numbers in clear: it is deleted after the commit, on cancel, and after
LINLI_IMPORT_FILE_HOURS unused (`sweep_import_files`, hourly from Celery beat or cron: `linli sweep-imports`).
"""

from __future__ import annotations

import datetime
import logging
import os
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.excel.read import preview_of
from linli.core.models import ChangeAction
from linli.ledgers.choices import ImportStatus
from linli.ledgers.models import ImportJob

logger = logging.getLogger(__name__)

RUNNING = (ImportStatus.VALIDATING, ImportStatus.COMMITTING)
#: Statuses whose file is still needed (to check or commit later); the others keep none.
WAITING = (ImportStatus.UPLOADED, ImportStatus.VALIDATED, ImportStatus.FAILED, *RUNNING)
#: Where uploaded ledgers are kept (ImportJob.file's upload_to starts with it).
UPLOAD_DIR = "imports"


class ImportRefused(Exception):
    """The job cannot do that now; str() is the Chinese message for the user."""


# --------------------------------------------------------------------------- lease


def heartbeat_key(job_id: int) -> str:
    return f"linli:import-heartbeat:{job_id}"


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.LINLI_IMPORT_LEASE_SECONDS)


def run_is_alive(job: ImportJob, *, now: datetime.datetime | None = None) -> bool:
    """Whether the worker of `job`'s current run reported within the lease.

    The job row's heartbeat is what every process sees; during a commit on SQLite the row cannot be written
    beside the import's transaction, so the worker also beats in the cache (shared with Redis).
    """
    now = now or timezone.now()
    last = job.heartbeat_at
    cached = cache.get(heartbeat_key(job.pk))
    if cached and cached[0] == job.attempt:
        beat = datetime.datetime.fromtimestamp(cached[1], tz=datetime.UTC)
        last = max(last, beat) if last else beat
    return last is not None and now - last < lease()


class Heartbeat:
    """The worker's side of the lease: `beat()` as it goes (cheap: at most every few seconds it writes)."""

    EVERY = 5.0  # seconds between writes

    def __init__(self, job: ImportJob):
        self.job_id, self.attempt = job.pk, job.attempt
        self.last = 0.0
        self.side = None  # a second connection to write the row while the commit's transaction is open

    def beat(self, *, force: bool = False) -> None:
        clock = time.monotonic()
        if not force and clock - self.last < self.EVERY:
            return
        self.last = clock
        now = timezone.now()
        cache.set(heartbeat_key(self.job_id), (self.attempt, now.timestamp()), timeout=24 * 3600)
        try:
            if not connection.in_atomic_block:
                ImportJob.objects.filter(pk=self.job_id, attempt=self.attempt).update(heartbeat_at=now)
            elif connection.vendor == "postgresql":
                if self.side is None:
                    self.side = connections.create_connection("default")
                with self.side.cursor() as cur:
                    cur.execute(
                        f"UPDATE {ImportJob._meta.db_table} SET heartbeat_at = %s WHERE id = %s AND attempt = %s",
                        [now, self.job_id, self.attempt],
                    )
            # SQLite inside the transaction: the file is locked for the import; the cache carries the beat.
        except Exception:  # a missed beat must not fail the import
            logger.exception("import %s: heartbeat not written", self.job_id)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


# --------------------------------------------------------------------------- who may


def may_manage(user, job: ImportJob) -> bool:
    """Retry or cancel: the uploader, or a manager (ledger.manage), the job's community in their scope."""
    if not ImportJob.objects.restrict(user, "import").filter(pk=job.pk).exists():
        return False
    return job.created_by_id == user.pk or user.has_role_perm("ledger.manage")


def _require_manage(actor: Actor, job: ImportJob) -> None:
    if actor.user is not None and not may_manage(actor.user, job):
        raise PermissionDenied("只有上传人或社区管理人员可以重试或取消这次导入。")


def _record(job: ImportJob, before: dict, after: dict, actor: Actor, note: str = "") -> None:
    audit.record(job, ChangeAction.UPDATE, before, after, actor, note=note)


def _state(job: ImportJob) -> dict:
    return {"状态": job.get_status_display(), "文件": "有" if job.file else "无", "运行次数": job.attempt}


# --------------------------------------------------------------------------- upload


def create_import_job(*, community, upload, table, mapping: dict[int, str], actor: Actor) -> ImportJob:
    """A job for an upload that read_ledger accepted (it is within the size limits and has a header)."""
    upload.seek(0)
    with transaction.atomic():
        job = ImportJob.objects.create(
            community=community,
            created_by=actor.user,
            file=upload,
            original_name=upload.name[:200],
            header_row=table.header_row,
            mapping={str(k): v for k, v in mapping.items()},
            progress_total=len(table.rows),
            preview=preview_of(table),
            heartbeat_at=timezone.now(),
        )
        audit.record(job, ChangeAction.CREATE, None, {"文件": job.original_name, "社区": str(community)}, actor)
    return job


# --------------------------------------------------------------------------- runs


def start_run(job: ImportJob, *, dry_run: bool, actor: Actor, mapping: dict[int, str] | None = None) -> ImportJob:
    """Claim the job for a check (dry run) or a commit and queue the run.

    Refused (ImportRefused) while a run with a live worker holds it: a double click or a second counter starts
    one run, not two. An interrupted run (lease expired) may be started again. A commit needs a check first.
    """
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        before = _state(locked)
        if locked.status in RUNNING and run_is_alive(locked):
            raise ImportRefused("导入正在进行中，请稍候。")
        if locked.status in (ImportStatus.DONE, ImportStatus.CANCELLED, ImportStatus.EXPIRED) or not locked.file:
            raise ImportRefused("这次导入已经结束，文件已删除。如需再次导入，请重新上传文件。")
        if not dry_run and locked.status not in (ImportStatus.VALIDATED, ImportStatus.COMMITTING):
            raise ImportRefused("请先检查（试导入），确认结果后再导入。")
        if locked.status in RUNNING:  # interrupted: starting it again is a retry
            _require_manage(actor, locked)
        note = "重试中断的导入" if locked.status in RUNNING else ""
        if mapping is not None:
            locked.mapping = {str(k): v for k, v in mapping.items()}
            locked.report = None
        locked.status = ImportStatus.VALIDATING if dry_run else ImportStatus.COMMITTING
        locked.attempt += 1
        locked.heartbeat_at = timezone.now()
        locked.progress_done = 0
        locked.message = ""
        locked.save(
            update_fields=["mapping", "report", "status", "attempt", "heartbeat_at", "progress_done", "message"]
        )
        _record(locked, before, _state(locked), actor, note=note)
    from linli.ledgers.tasks import run_import_job

    run_import_job.delay(locked.pk, dry_run, locked.attempt)
    return locked


def retry_import(job: ImportJob, *, actor: Actor) -> ImportJob:
    """Start an interrupted run (导入中断) again: the same check or commit, from the start."""
    _require_manage(actor, job)
    job.refresh_from_db()
    if job.status not in RUNNING:
        raise ImportRefused("这次导入没有中断，不需要重试。")
    if run_is_alive(job):
        raise ImportRefused("导入正在进行中，请稍候。")
    return start_run(job, dry_run=job.status == ImportStatus.VALIDATING, actor=actor)


def cancel_import(job: ImportJob, *, actor: Actor) -> ImportJob:
    """Give the job up: its file is deleted now, and a late worker of an interrupted run is ignored."""
    _require_manage(actor, job)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status in RUNNING and run_is_alive(locked):
            raise ImportRefused("导入正在进行中，不能取消；请等它结束。")
        if locked.status not in WAITING:
            raise ImportRefused("这次导入已经结束，不能取消。")
        before = _state(locked)
        _delete_file(locked)
        locked.status = ImportStatus.CANCELLED
        locked.attempt += 1  # a worker of the cancelled run cannot write its outcome any more
        locked.file = ""
        locked.message = ""
        locked.save(update_fields=["status", "attempt", "file", "message"])
        _record(locked, before, _state(locked), actor)
    cache.delete(heartbeat_key(locked.pk))
    return locked


# --------------------------------------------------------------------------- files


def _delete_file(job: ImportJob) -> None:
    if job.file:
        try:
            job.file.delete(save=False)
        except OSError:  # already gone: the point is that it is not there
            logger.warning("import %s: file %s could not be deleted", job.pk, job.file.name)


def sweep_import_files(*, now: datetime.datetime | None = None) -> int:
    """Delete uploaded ledgers unused for LINLI_IMPORT_FILE_HOURS, and leftovers of killed uploads.

    A job's file is unused when nothing happened to the job (upload, check, commit) for that long and no run
    is alive; the job stays, without its file (状态 文件已删除), so that its report can still be read. Files
    under the upload folders that no job names (a process killed between writing the file and the row) and
    spooled upload temp files go by their age. Returns the number of files deleted.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.LINLI_IMPORT_FILE_HOURS)
    actor = Actor.system("到期删除导入文件")
    deleted = 0
    stale = ImportJob.objects.exclude(file="").filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    for job in stale:
        if job.status in RUNNING and run_is_alive(job, now=now):
            continue
        with transaction.atomic():
            before = _state(job)
            _delete_file(job)
            ImportJob.objects.filter(pk=job.pk).update(
                file="",
                attempt=job.attempt + 1,
                status=ImportStatus.EXPIRED if job.status in WAITING else job.status,
                message=f"上传的文件超过{settings.LINLI_IMPORT_FILE_HOURS}小时未使用，已自动删除（其中有身份证号码）。"
                "如需导入，请重新上传。",
            )
            job.refresh_from_db()
            _record(job, before, _state(job), actor)
        deleted += 1
    named = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    deleted += _sweep_storage(UPLOAD_DIR, named, cutoff)
    deleted += _sweep_dir(settings.FILE_UPLOAD_TEMP_DIR, cutoff)
    return deleted


def _sweep_storage(folder: str, named: set[str], cutoff: datetime.datetime) -> int:
    """Files under `folder` of the media storage that no job names and older than `cutoff`."""
    deleted = 0
    try:
        dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return 0
    for name in files:
        path = f"{folder}/{name}"
        if path in named:
            continue
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    for sub in dirs:
        deleted += _sweep_storage(f"{folder}/{sub}", named, cutoff)
    return deleted


def _sweep_dir(path, cutoff: datetime.datetime) -> int:
    """Upload temp files a killed request left (Django deletes them when a request ends normally)."""
    if not path or not os.path.isdir(path):
        return 0
    deleted = 0
    limit = cutoff.timestamp()
    for entry in os.scandir(path):
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
                deleted += 1
        except FileNotFoundError:
            continue
    return deleted
