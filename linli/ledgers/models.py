"""Ledger (台账) imports and exports: the jobs users run and the record of every export."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from linli.accounts.querysets import UserQuerySet
from linli.areas.scope import COMMUNITY_SCOPE
from linli.core.jobs import BaseImportJob
from linli.core.querysets import ScopedQuerySet
from linli.ledgers.choices import ExportKind


class ImportJobQuerySet(ScopedQuerySet):
    """Imports of communities in the user's scope (a whole community: grid workers do not import)."""

    perm_subject = "ledger"
    scope_paths = COMMUNITY_SCOPE


class ImportJob(BaseImportJob):
    """One uploaded ledger on its way into the registry: preview, mapping, dry run, commit (linli.core.jobs).

    A run (check or commit) runs in a worker (linli.ledgers.tasks) that renews the lease as it goes. The file holds
    ID numbers in clear: it is deleted after the commit, on cancel, or after LINLI_IMPORT_FILE_HOURS without use
    (linli.ledgers.services.sweep_import_files).
    """

    community = models.ForeignKey("areas.Community", on_delete=models.CASCADE, related_name="+", verbose_name="社区")

    upload_dir = "imports"

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "台账导入"
        ordering = ["-created_at"]

    def get_absolute_url(self):
        return reverse("ledgers:import_detail", args=[self.pk])


class ExportRecordQuerySet(ScopedQuerySet):
    """Exports by the accounts a manager may see (export.log): those assigned inside the manager's area."""

    perm_subject = "export"
    scope_paths = {
        level: tuple(f"user__{path}" for path in ((paths,) if isinstance(paths, str) else paths))
        for level, paths in UserQuerySet.scope_paths.items()
    }
    scope_joins_many = True


#: Names of the recorded filters, as the export log shows them (others are shown as recorded).
FILTER_LABELS = {
    "q": "搜索",
    "status": "状态",
    "tab": "队列",
    "community": "社区",
    "grid": "网格",
    "building": "楼栋",
    "tag": "人员标签",
    "start": "开始日期",
    "end": "结束日期",
    "year": "年度",
    "account": "积分账户",
    "since": "办结时间起",
    "only_new": "只导出还没导出过的",
    # API reads (linli.ledgers.api_reads)
    "queue": "队列",
    "residence_type": "居住类型",
    "sex": "性别",
    "min_age": "最小年龄",
    "max_age": "最大年龄",
    "month": "登记月份",
    "date_from": "开始日期",
    "date_to": "结束日期",
    "offset": "起始行",
    "limit": "每页条数",
    "total": "符合条件共",
    # printed and exported tables (linli.ledgers.tables)
    "problem_list": "问题清单",
    "appeal": "诉求",
    "sheet": "单据",
    "period": "月份",
}


def _appeal_values() -> dict:
    from linli.appeals.choices import Channel, QueueTab, Rating, Status, Urgency

    yes_no = {"1": "是", "0": "否"}
    return {
        "tab": dict(QueueTab.choices),
        "queue": dict(QueueTab.choices),
        "status": dict(Status.choices),
        "channel": dict(Channel.choices),
        "urgency": dict(Urgency.choices),
        "rating": dict(Rating.choices),
        "overdue": yes_no,
        "supervised": yes_no,
        "needs_reply": yes_no,
    }


def _resident_values() -> dict:
    from linli.residents.choices import ResidenceType, ResidentStatus, Sex

    return {
        "status": dict(ResidentStatus.choices),
        "residence_type": dict(ResidenceType.choices),
        "sex": dict(Sex.choices),
    }


class _FilterValues(dict):
    """Per export kind, filter name → {code: label}, where a code alone would be ambiguous (status "active")."""

    def get(self, kind, default=None):
        appeals = (ExportKind.APPEALS_XLSX, ExportKind.API_APPEALS)
        residents = (ExportKind.RESIDENTS_XLSX, ExportKind.API_RESIDENTS)
        if kind in appeals:
            return _appeal_values()
        if kind in residents:
            return _resident_values()
        return default


FILTER_VALUES = _FilterValues()


class ExportRecord(models.Model):
    """Each export of resident data: who, when, what filter, how many rows."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="导出人"
    )
    kind = models.CharField("类型", max_length=20, choices=ExportKind.choices)
    filters = models.JSONField("筛选条件", default=dict)
    row_count = models.PositiveIntegerField("行数", default=0)
    masked = models.BooleanField("身份证号码已遮蔽", default=True)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "导出记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.row_count}行"

    @property
    def filters_text(self) -> str:
        """The filters in words: 社区：东一社区；开始日期：2025-06-01."""
        from linli.core.labels import filter_labels, label_of

        order = {key: i for i, key in enumerate(FILTER_LABELS)}  # PostgreSQL's jsonb keeps no key order
        names = {**filter_labels(), **FILTER_LABELS}
        values = FILTER_VALUES.get(self.kind, {})
        parts = []
        for key, value in sorted(self.filters.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
            choices = values.get(key)
            if isinstance(value, dict) and "name" in value:
                value = value["name"]
            elif isinstance(value, list):
                value = "、".join(
                    str(v["name"] if isinstance(v, dict) and "name" in v else label_of(v, choices)) for v in value
                )
            elif value is True:
                value = "是"
            elif value is False:
                value = "否"
            else:
                value = label_of(value, choices)
            parts.append(f"{names.get(key, key)}：{value}")
        return "；".join(parts)

    @classmethod
    def record(cls, user, kind: str, *, row_count: int, filters: dict | None = None, masked: bool = True):
        """One export by `user`: `filters` as applied (dates, model rows and decimals made JSON-ready)."""
        return cls.objects.create(
            user=user,
            kind=kind,
            filters={k: json_ready(v) for k, v in (filters or {}).items() if v not in (None, "", [])},
            row_count=row_count,
            masked=masked,
        )


def json_ready(value):
    """A filter value as the export record stores it."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value
