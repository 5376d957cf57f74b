"""Ledger (台账) imports: the jobs users run (the export log is linli.core.models.ExportRecord)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from linli.core.querysets import ScopedQuerySet
from linli.ledgers.choices import ImportStatus


class ImportJobQuerySet(ScopedQuerySet):
    """Imports of communities in the user's scope (a whole community: grid workers do not import)."""

    perm_subject = "ledger"
    scope_paths = {"street": "community__street_id", "community": "community_id"}


class ImportJob(models.Model):
    """One uploaded ledger on its way into the registry: preview, mapping, dry run, commit.

    The file stays on disk until the job is committed or cancelled, or for LINLI_IMPORT_FILE_HOURS without use
    (linli.ledgers.services.sweep_import_files), so that the user can leave and come back; `preview` holds what
    the page shows of it (headers, first rows masked, row count) so that a view does not parse it again;
    `report` holds the latest dry-run or commit report (linli.ledgers.importer.ImportReport.as_dict()).

    A run (check or commit) is leased: its worker renews `heartbeat_at` as it goes, and a run whose lease
    has run out (LINLI_IMPORT_LEASE_SECONDS) lost its worker (killed, machine restarted) and is 导入中断:
    it may be retried or cancelled. `attempt` numbers the runs so that a late worker of a superseded run
    cannot overwrite the outcome of the one that replaced it.
    """

    community = models.ForeignKey("areas.Community", on_delete=models.CASCADE, related_name="+", verbose_name="社区")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    mapping = models.JSONField("列对应", default=dict, help_text="{列序号: 字段}")
    header_row = models.PositiveIntegerField("表头行", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    report = models.JSONField("检查/导入结果", null=True, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    preview = models.JSONField("预览", null=True, blank=True, help_text="{headers, rows, row_total}")
    heartbeat_at = models.DateTimeField("最近活动", null=True, blank=True)
    attempt = models.PositiveIntegerField("运行次数", default=0)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "台账导入"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("ledgers:import_detail", args=[self.pk])

    @property
    def last_active(self):
        return self.heartbeat_at or self.created_at

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
    def interrupted(self) -> bool:
        """A run under way whose worker stopped reporting: 导入中断."""
        from linli.ledgers.services import run_is_alive

        return self.status in (ImportStatus.VALIDATING, ImportStatus.COMMITTING) and not run_is_alive(self)

    @property
    def status_text(self) -> str:
        return "导入中断" if self.interrupted else self.get_status_display()

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0
