"""The export log: every copy of personal data that leaves the screen (an .xlsx, a printed table, an API page of
people) is one ExportRecord row: who, when, what, with which filter, how many rows, ID numbers masked or not.

`record_export()` is the only writer of those rows. What was exported is a code (the `kind` column) that the app
doing the export registers with its Chinese label, from its `shell.py` (autodiscovered when Django starts):

    register_export_kinds(ExportKind)                     # a TextChoices of the app's kinds
    register_export_kind("party_members_xlsx", "党员名册 Excel")

so that a new app adds its exports without a change to core or to another app, and without a migration (the
column has no database choices). The export log page lists the registered labels; a code nobody registers any
more (an old row) is shown as it is stored.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

__all__ = [
    "FILTER_LABELS",
    "export_kind_choices",
    "export_kind_label",
    "filters_text",
    "json_ready",
    "record_export",
    "register_export_kind",
    "register_export_kinds",
]


@dataclass(frozen=True)
class _Kind:
    label: str
    #: filter name -> {code: label}, for filters whose codes alone would be ambiguous (status "active")
    filter_values: Callable[[], dict] | None = None


_KINDS: dict[str, _Kind] = {}


def register_export_kind(code: str, label: str, *, filter_values: Callable[[], dict] | None = None) -> str:
    """Make `code` an export kind shown as `label`; returns the code.

    `filter_values()` (optional, called when the log is shown) gives, per filter name, the labels of its codes for
    this kind's exports. Registering a code again with another label is a programming error.
    """
    if not code or len(code) > 20:
        raise ValueError(f"an export kind code has 1 to 20 characters: {code!r}")
    code = str(code)
    known = _KINDS.get(code)
    if known is not None and known.label != str(label):
        raise ValueError(f"export kind {code!r} is registered already as {known.label!r}")
    _KINDS[code] = _Kind(str(label), filter_values)
    return code


def register_export_kinds(choices: type[models.TextChoices], *, filter_values: Callable[[], dict] | None = None):
    """register_export_kind() for each member of a TextChoices."""
    for value, label in choices.choices:
        register_export_kind(value, label, filter_values=filter_values)


def export_kind_choices() -> list[tuple[str, str]]:
    """(code, label) of every registered kind, in the order they were registered (the log page's filter)."""
    return [(code, kind.label) for code, kind in _KINDS.items()]


def export_kind_label(code: str) -> str:
    """The registered label of `code`; the code itself for a kind nobody registers (an old row)."""
    kind = _KINDS.get(code)
    return kind.label if kind else code


def json_ready(value):
    """A filter value as the export record stores it."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def record_export(user, kind: str, *, row_count: int, filters: dict | None = None, masked: bool = True):
    """One export by `user`: `filters` as applied (dates, model rows and decimals made JSON-ready; blank ones left
    out), `row_count` rows, ID numbers masked or (`masked=False`) in full. The only writer of export-log rows.

    `kind` must be registered (a typo would be a row the log cannot name)."""
    from linli.core.models import ExportRecord

    if str(kind) not in _KINDS:
        raise ValueError(f"export kind {kind!r} is not registered (register_export_kind in the app's shell.py)")
    return ExportRecord.objects.create(
        user=user,
        kind=kind,
        filters={k: json_ready(v) for k, v in (filters or {}).items() if v not in (None, "", [])},
        row_count=row_count,
        masked=masked,
    )


#: Names of the recorded filters, as the export log shows them, in this order (others, by name, after them;
#: filters named in the apps' FilterSets get those labels).
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
    # API reads (linli.core.api_pagination.RecordedPagination)
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
    # printed and exported tables
    "problem_list": "问题清单",
    "appeal": "诉求",
    "sheet": "单据",
    "period": "月份",
}


def filters_text(kind: str, filters: dict) -> str:
    """The filters of an export in words: 社区：东一社区；开始日期：2025-06-01."""
    from linli.core.labels import filter_labels, label_of

    order = {key: i for i, key in enumerate(FILTER_LABELS)}  # PostgreSQL's jsonb keeps no key order
    names = {**filter_labels(), **FILTER_LABELS}
    registered = _KINDS.get(kind)
    values = registered.filter_values() if registered and registered.filter_values else {}
    parts = []
    for key, value in sorted(filters.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
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
