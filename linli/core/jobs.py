"""Import jobs: one uploaded file on its way in — preview and column mapping, check (dry run), commit.

`BaseImportJob` (abstract) is what every import keeps, whatever it imports: ledgers.ImportJob, hotline.HotlineImport,
and the next importers subclass it too, each adding its own scope field (the community) and `upload_dir`. One status
enum, `JobStatus`, serves them all. The functions below are the only code that changes a job's status
(linli/core/tests/test_jobs.py fails on any other module that does): `upload`, `start`, `Heartbeat` (progress),
`finish`, `fail`, `cancel` and `sweep_files`. Each writes a ChangeRecord with its actor, and locks the job's row where
two processes could race (a double click, a second worker). Who may do what stays with the app (its views and
services check permissions and scope before calling these).

A run (check or commit) is leased: `start` numbers the run (`attempt`) and stamps `heartbeat_at`; a worker renews the
stamp as it goes (`Heartbeat`), and a run that has not reported for LINLI_IMPORT_LEASE_SECONDS lost its process
(kill -9, a restarted machine) and is 导入中断: it may be started again. `finish` and `fail` write the outcome only
while the job is still at the run's attempt, so that a late worker of a superseded or cancelled run changes nothing.

The uploaded file holds personal data in clear (ID numbers, callers' phones): `finish` deletes it after a commit,
`cancel` at once, and `sweep_files` once it has been unused for LINLI_IMPORT_FILE_HOURS.
"""

from __future__ import annotations

import datetime
import logging
import os
import posixpath
import time

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection, connections, models, transaction
from django.db.models import Q
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.excel.read import preview_of
from linli.core.models import ChangeAction

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    VALIDATING = "validating", "正在检查"
    VALIDATED = "validated", "已检查"
    COMMITTING = "committing", "正在导入"
    DONE = "done", "已导入"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"
    EXPIRED = "expired", "文件已删除"


#: A run holds the job (its worker may be alive, or the run is 导入中断).
RUNNING = (JobStatus.VALIDATING, JobStatus.COMMITTING)
#: Statuses whose file is still needed (to check or commit later); the others keep none.
WAITING = (JobStatus.UPLOADED, JobStatus.VALIDATED, JobStatus.FAILED, *RUNNING)
#: The job is over: nothing more runs on it.
ENDED = (JobStatus.DONE, JobStatus.CANCELLED, JobStatus.EXPIRED)


class JobRefused(Exception):
    """The job cannot do that now; str() is the Chinese message for the user."""


def upload_to(instance, filename: str) -> str:
    """`<upload_dir>/<year>/<month>/<name>`: each job model keeps its files under its own folder."""
    return posixpath.join(datetime.datetime.now().strftime(f"{instance.upload_dir}/%Y/%m/"), filename)


class BaseImportJob(models.Model):
    """One uploaded file on its way in: preview and column mapping, check (dry run), commit.

    The file stays until the job is committed or cancelled (or swept, unused), so that the user can leave and come
    back; `preview` holds what the page shows of it (headers, first rows with ID numbers masked, row count) so that
    a page never parses it again; `report` holds the latest check or commit report (the importer's as_dict()).
    A command-line import records its job too, with no uploader and no file.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    file = models.FileField("文件", upload_to=upload_to, blank=True)
    original_name = models.CharField("文件名", max_length=200)
    mapping = models.JSONField("列对应", default=dict, help_text="{列序号: 字段}")
    header_row = models.PositiveIntegerField("表头行", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    progress_done = models.PositiveIntegerField("已处理行数", default=0)
    progress_total = models.PositiveIntegerField("总行数", default=0)
    report = models.JSONField("检查/导入结果", null=True, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    preview = models.JSONField("预览", null=True, blank=True, help_text="{headers, rows, row_total}")
    heartbeat_at = models.DateTimeField("最近活动", null=True, blank=True)
    attempt = models.PositiveIntegerField("运行次数", default=0)

    #: The media folder of this kind of job's uploads (swept for files no job names).
    upload_dir = "imports"

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def last_active(self):
        return self.heartbeat_at or self.created_at

    @property
    def interrupted(self) -> bool:
        """A run under way whose process stopped reporting: 导入中断."""
        return self.status in RUNNING and not run_is_alive(self)

    @property
    def running(self) -> bool:
        """A run under way whose process is alive."""
        return self.status in RUNNING and not self.interrupted

    @property
    def status_text(self) -> str:
        return "导入中断" if self.interrupted else self.get_status_display()

    @property
    def problem_rows(self) -> int:
        """Rows with at least one problem: a row may have several (6 rows with 9 problems)."""
        return len({e.get("row") for e in (self.report or {}).get("errors") or []})

    @property
    def problem_count(self) -> int:
        return len((self.report or {}).get("errors") or [])

    @property
    def problems_text(self) -> str:
        """有问题的行 in words: “6行（共9处问题）”, or “6行” when each has one."""
        rows, count = self.problem_rows, self.problem_count
        return f"{rows}行" if rows == count else f"{rows}行（共{count}处问题）"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


# --------------------------------------------------------------------------- preview


def stored_preview(job: BaseImportJob, read) -> dict:
    """The job's stored preview; a job uploaded before previews were stored is parsed once (`read(handle, name)`
    returns the table) and keeps it. The reader's errors and OSError pass to the caller."""
    if job.preview is None:
        with job.file.open("rb") as handle:
            job.preview = preview_of(read(handle, job.original_name))
        type(job).objects.filter(pk=job.pk).update(preview=job.preview)
    return job.preview


# --------------------------------------------------------------------------- lease and progress


def _key(kind: str, job: BaseImportJob) -> str:
    return f"linli:import-{kind}:{job._meta.label_lower}:{job.pk}"


def heartbeat_key(job: BaseImportJob) -> str:
    return _key("heartbeat", job)


def progress_key(job: BaseImportJob) -> str:
    return _key("progress", job)


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.LINLI_IMPORT_LEASE_SECONDS)


def run_is_alive(job: BaseImportJob, *, now: datetime.datetime | None = None) -> bool:
    """Whether the process of `job`'s current run reported within the lease.

    The job row's heartbeat is what every process sees; during a commit on SQLite the row cannot be written
    beside the import's transaction, so the worker also beats in the cache (shared with Redis).
    """
    now = now or timezone.now()
    last = job.heartbeat_at
    cached = cache.get(heartbeat_key(job))
    if cached and cached[0] == job.attempt:
        beat = datetime.datetime.fromtimestamp(cached[1], tz=datetime.UTC)
        last = max(last, beat) if last else beat
    return last is not None and now - last < lease()


def read_progress(job: BaseImportJob) -> tuple[int, int]:
    """(done, total) while a run is under way. A commit runs in one transaction, so its progress cannot be read
    from the job row by another connection: it lives in the cache."""
    return cache.get(progress_key(job)) or (job.progress_done, job.progress_total)


class Heartbeat:
    """The worker's side of the lease and of the progress bar: `beat()` and `progress(done, total)` as it goes
    (cheap: at most every few seconds it writes the row), `close()` at the end."""

    EVERY = 5.0  # seconds between writes

    def __init__(self, job: BaseImportJob):
        self.model, self.job_id, self.attempt = type(job), job.pk, job.attempt
        self.heartbeat_key, self.progress_key = heartbeat_key(job), progress_key(job)
        self.last = 0.0
        self.side = None  # a second connection to write the row while the commit's transaction is open

    def beat(self, *, force: bool = False) -> None:
        clock = time.monotonic()
        if not force and clock - self.last < self.EVERY:
            return
        self.last = clock
        now = timezone.now()
        cache.set(self.heartbeat_key, (self.attempt, now.timestamp()), timeout=24 * 3600)
        try:
            if not connection.in_atomic_block:
                self.model.objects.filter(pk=self.job_id, attempt=self.attempt).update(heartbeat_at=now)
            elif connection.vendor == "postgresql":
                if self.side is None:
                    self.side = connections.create_connection("default")
                with self.side.cursor() as cur:
                    cur.execute(
                        f"UPDATE {self.model._meta.db_table} SET heartbeat_at = %s WHERE id = %s AND attempt = %s",
                        [now, self.job_id, self.attempt],
                    )
            # SQLite inside the transaction: the file is locked for the import; the cache carries the beat.
        except Exception:  # a missed beat must not fail the import
            logger.exception("import %s: heartbeat not written", self.job_id)

    def progress(self, done: int, total: int) -> None:
        """The run's progress callback: the page's progress bar reads it (read_progress), and it keeps the lease."""
        cache.set(self.progress_key, (done, total), timeout=3600)
        self.beat()

    def close(self) -> None:
        cache.delete(self.progress_key)
        if self.side is not None:
            self.side.close()
            self.side = None


# --------------------------------------------------------------------------- the status changes


def _state(job: BaseImportJob) -> dict:
    return {"状态": job.get_status_display(), "文件": "有" if job.file else "无", "运行次数": job.attempt}


def _locked(job: BaseImportJob, attempt: int | None = None) -> BaseImportJob | None:
    """The job's row, locked for this transaction; None when a run `attempt` was given and is superseded."""
    rows = type(job).objects.select_for_update().filter(pk=job.pk)
    if attempt is not None:
        rows = rows.filter(attempt=attempt)
    return rows.first()


def _delete_file(job: BaseImportJob) -> None:
    if job.file:
        try:
            job.file.delete(save=False)
        except OSError:  # already gone: the point is that it is not there
            logger.warning("import %s: file %s could not be deleted", job.pk, job.file.name)
        job.file = ""


def upload(model, *, table, mapping: dict[int, str], actor: Actor, file=None, name: str = "", **fields):
    """A job (已上传) for a file that the reader accepted (within the size limits, with a header).

    `file` is the upload to keep until the job is committed (none for a command-line import: its file stays where
    it is); `name` defaults to the upload's name; `fields` are the model's own (its community).
    """
    if file is not None:
        file.seek(0)
    name = (name or file.name)[:200]
    with transaction.atomic():
        job = model.objects.create(
            created_by=actor.user,
            file=file or "",
            original_name=name,
            header_row=table.header_row,
            mapping={str(k): v for k, v in mapping.items()},
            progress_total=len(table.rows),
            preview=preview_of(table) if file is not None else None,
            heartbeat_at=timezone.now(),
            **fields,
        )
        labels = {str(model._meta.get_field(k).verbose_name): str(v) for k, v in fields.items()}
        audit.record(job, ChangeAction.CREATE, None, {"文件": name, **labels}, actor)
    return job


def start(
    job: BaseImportJob,
    *,
    dry_run: bool,
    actor: Actor,
    mapping: dict[int, str] | None = None,
    checks_itself: bool = False,
    may_retry=None,
) -> BaseImportJob:
    """Claim the job for a run, a check (dry run) or a commit; returns the claimed job (its `attempt` is the run's).
    The caller then runs it, in the request or in a worker, and ends it with finish() or fail().

    Refused (JobRefused) while a run with a live process holds the job (a double click or a second counter starts
    one run, not two), once the job is over or its file is gone, and for a commit not checked first — unless
    `checks_itself`: the run checks every row itself before writing and reads no kept file (the command line).
    An interrupted run (导入中断) may be started again: that is a retry, and `may_retry(job)` is called first
    (it raises PermissionDenied for who may not). A new `mapping` replaces the job's and drops its old report.
    """
    with transaction.atomic():
        locked = _locked(job)
        before = _state(locked)
        retry = locked.status in RUNNING
        if retry and run_is_alive(locked):
            raise JobRefused("导入正在进行中，请稍候。")
        if locked.status in ENDED or not (locked.file or checks_itself):
            raise JobRefused("这次导入已经结束，文件已删除。如需再次导入，请重新上传文件。")
        if not (dry_run or checks_itself) and locked.status not in (JobStatus.VALIDATED, JobStatus.COMMITTING):
            raise JobRefused("请先检查（试导入），确认结果后再导入。")
        if retry and may_retry is not None:
            may_retry(locked)
        if mapping is not None:
            locked.mapping = {str(k): v for k, v in mapping.items()}
            locked.report = None
        locked.status = JobStatus.VALIDATING if dry_run else JobStatus.COMMITTING
        locked.attempt += 1
        locked.heartbeat_at = timezone.now()
        locked.progress_done = 0
        locked.message = ""
        locked.save(
            update_fields=["mapping", "report", "status", "attempt", "heartbeat_at", "progress_done", "message"]
        )
        audit.record(locked, ChangeAction.UPDATE, before, _state(locked), actor, note="重试中断的导入" if retry else "")
    return locked


def finish(job: BaseImportJob, report: dict, *, dry_run: bool, actor: Actor, attempt: int) -> bool:
    """Run `attempt` ended with `report`: a check leaves the job 已检查 (ready to commit), a commit 已导入 with
    its file deleted (the personal data in it is not kept once imported). Returns False, changing nothing, when the
    run was superseded (retried or cancelled meanwhile)."""
    with transaction.atomic():
        locked = _locked(job, attempt)
        if locked is None:
            return False
        before = _state(locked)
        now = timezone.now()
        if not dry_run:
            _delete_file(locked)
        rows = report.get("rows", locked.progress_total)
        locked.status = JobStatus.VALIDATED if dry_run else JobStatus.DONE
        locked.report = report
        locked.progress_done = locked.progress_total = rows
        locked.committed_at = None if dry_run else now
        locked.heartbeat_at = now
        locked.message = ""
        locked.save(
            update_fields=[
                "status",
                "report",
                "progress_done",
                "progress_total",
                "committed_at",
                "heartbeat_at",
                "message",
                "file",
            ]
        )
        audit.record(locked, ChangeAction.UPDATE, before, _state(locked), actor)
    return True


def fail(job: BaseImportJob, message: str, *, actor: Actor, attempt: int, back_to: str = JobStatus.FAILED) -> bool:
    """Run `attempt` stopped before writing anything, for `message` (shown on the job's page).

    The job is 失败 (`back_to` FAILED, the default: an error the user cannot fix from the page), or goes back to
    where it was before the run (`back_to` UPLOADED or VALIDATED: a conflict or a problem the user can correct and
    run again). Returns False, changing nothing, when the run was superseded.
    """
    if back_to not in (JobStatus.FAILED, JobStatus.UPLOADED, JobStatus.VALIDATED):
        raise ValueError(f"a failed run cannot leave a job {back_to!r}")
    with transaction.atomic():
        locked = _locked(job, attempt)
        if locked is None:
            return False
        before = _state(locked)
        locked.status = back_to
        locked.message = message[:500]
        locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["status", "message", "heartbeat_at"])
        audit.record(locked, ChangeAction.UPDATE, before, _state(locked), actor, note=message[:200])
    return True


def cancel(job: BaseImportJob, *, actor: Actor) -> BaseImportJob:
    """Give the job up: its file is deleted now, and a late process of an interrupted run is ignored.
    Refused while a run with a live process holds it, and once the job is over."""
    with transaction.atomic():
        locked = _locked(job)
        if locked.status in RUNNING and run_is_alive(locked):
            raise JobRefused("导入正在进行中，不能取消；请等它结束。")
        if locked.status not in WAITING:
            raise JobRefused("这次导入已经结束，不能取消。")
        before = _state(locked)
        _delete_file(locked)
        locked.status = JobStatus.CANCELLED
        locked.attempt += 1  # a process of the cancelled run cannot write its outcome any more
        locked.message = ""
        locked.save(update_fields=["status", "attempt", "file", "message"])
        audit.record(locked, ChangeAction.UPDATE, before, _state(locked), actor)
    cache.delete(heartbeat_key(locked))
    return locked


# --------------------------------------------------------------------------- unused files


def sweep_files(model, *, message: str, now: datetime.datetime | None = None) -> int:
    """Delete the files of `model`'s jobs unused for LINLI_IMPORT_FILE_HOURS, and leftovers of killed uploads.

    A job's file is unused when nothing happened to the job (upload, check, commit) for that long and no run is
    alive; the job stays, without its file (文件已删除, with `message`), so that its report can still be read.
    Files under `model.upload_dir` that no job names (a process killed between writing the file and the row) and
    spooled upload temp files go by their age. Returns the number of files deleted.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.LINLI_IMPORT_FILE_HOURS)
    actor = Actor.system("到期删除导入文件")
    deleted = 0
    stale = model.objects.exclude(file="").filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    for job in stale.values_list("pk", flat=True):
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=job)
            if not locked.file or (locked.status in RUNNING and run_is_alive(locked, now=now)):
                continue
            before = _state(locked)
            _delete_file(locked)
            locked.attempt += 1
            if locked.status in WAITING:
                locked.status = JobStatus.EXPIRED
            locked.message = message[:500]
            locked.save(update_fields=["file", "attempt", "status", "message"])
            audit.record(locked, ChangeAction.UPDATE, before, _state(locked), actor)
        deleted += 1
    named = set(model.objects.exclude(file="").values_list("file", flat=True))
    deleted += _sweep_storage(model.upload_dir, named, cutoff)
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
