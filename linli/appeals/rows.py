"""The rows of a queue page (/appeals/), written in Python.

A page of 30 rows through the template engine cost more than its SQL (per row: two {% url %}, a dozen
tags and filters). The same markup is built here with f-strings and `_e`, the standard library's html.escape
(what django.utils.html.escape does, without its lazy-string wrapper: format_html and conditional_escape cost
~1 ms a row of CPU, 16 % of the page). Same HTML as the template loop it replaced and as format_html wrote it
(linli/appeals/tests/test_queue_rows.py compares them); every value from the database is escaped.
"""

from __future__ import annotations

import datetime
from functools import partialmethod

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from linli.appeals.choices import OPEN
from linli.appeals.models import Appeal
from linli.areas.models import Household
from linli.core.choicelabels import ChoiceLabels
from linli.core.renderers import escape as _e

EMPTY = {
    "dispatch": "没有待派单的诉求。",
    "unit": "本单位没有待签收或办理中的诉求。",
    "overdue": "没有超期的诉求。",
    "reply": "没有待回访的诉求。",
}


def _when(value: datetime.datetime) -> str:
    """ "m-d H:i" in the current time zone (the date filter's format, without its formatter)."""
    local = timezone.localtime(value)
    return f"{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def appeal_row(a, *, bulk: bool, detail_base: str) -> str:
    url = f"{detail_base}{a.pk}/"
    badges = []
    if a.due_state == "overdue":
        badges.append('<span class="due-badge overdue">超期</span>')
    elif a.due_state == "today":
        badges.append('<span class="due-badge today">今日到期</span>')
    if a.supervised:
        badges.append('<span class="due-badge supervised">督办</span>')
    voices = getattr(a, "voices", 1)
    if voices > 1:
        badges.append(f'<span class="due-badge voices">附议{_e(voices)}人</span>')
    if a.urgency in ("urgent", "expedited"):
        badges.append(f'<span class="due-badge urgent">{_e(a.get_urgency_display())}</span>')
    if getattr(a, "needs_review", False):
        badges.append('<span class="due-badge review" title="系统把握不大，未预选承办单位">需人工判断</span>')
    returned = getattr(a, "returned_reason", None)
    if returned:
        badges.append('<span class="due-badge returned">被退回</span>')
    number = _e(a.number)
    url = _e(url)
    check = f'<input type="checkbox" name="ids" value="{_e(a.pk)}" aria-label="选择{number}">' if bulk else ""
    head = (
        f'{check}<a href="{url}"><b>{number}</b></a>\n      <span class="appeal-status s-{_e(a.status)}">'
        f"{_e(a.get_status_display())}</span>\n      {''.join(badges)}"
    )
    returned_html = (
        f'\n    <p class="returned-reason">{_e(getattr(a, "returned_by", None) or "承办机构")}退回：{_e(returned)}</p>'
        if returned
        else ""
    )
    org = f" · {_e(a.unit.name if a.unit_id else '')}：{_e(a.assigned_org.name)}" if a.assigned_org_id else ""
    due = f" · 时限 {_e(_when(a.current_due))}" if a.current_due and a.status in OPEN else ""
    category = _e(a.category.name) if a.category_id else "未分类"
    return (
        f'  <li id="appeal-{_e(a.pk)}">\n    <div class="appeal-head">\n      {head}\n    </div>\n'
        f'    <a class="appeal-summary" href="{url}">{_e(a.summary)}</a>{returned_html}\n'
        f'    <small class="muted">{category} · {_e(a.community.name)} {_e(a.place_label)}{org}</small>\n'
        f'    <small class="muted appeal-times">受理 {_e(_when(a.received_at))}{due}</small>\n  </li>\n'
    )


#: What a queue row reads (appeal_row, mark_due, mark_voices, mark_needs_review), as values_list columns and the
#: QueueRow attributes they fill; `related` names are read as `row.<fk>.name`.
ROW_VALUES = (
    ("pk", "pk"), ("number", "number"), ("text", "text"), ("status", "status"), ("urgency", "urgency"),
    ("supervised", "supervised"), ("address", "address"), ("current_due", "current_due"),
    ("received_at", "received_at"), ("household_id", "household_id"),
    ("category_id", "category_id"), ("category__name", "category_name"),
    ("community_id", "community_id"), ("community__name", "community_name"),
    ("building_id", "building_id"), ("building__name", "building_name"),
    ("unit_id", "unit_id"), ("unit__name", "unit_name"),
    ("assigned_org_id", "assigned_org_id"), ("assigned_org__name", "assigned_org_name"),
)  # fmt: skip
#: the dispatch tab's annotations (queues.queue_queryset), read when the queryset has them
ROW_ANNOTATIONS = ("returned_reason", "returned_by")


class Named:
    """A related row of which a queue row shows only the name."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class NamedBy:
    """`row.category` and the like: a Named of the row's `category_name`."""

    def __set_name__(self, owner, name):
        self.column = f"{name}_name"

    def __get__(self, row, owner=None):
        return Named(row.__dict__[self.column])


class RowHousehold:
    """The household of a queue row: its address, by Household's own property."""

    __slots__ = ("building", "entrance", "room")
    __str__ = Household.__str__
    address = Household.address

    def __init__(self, building_name, entrance, room):
        self.building, self.entrance, self.room = Named(building_name), entrance, room


class QueueRow:
    """An appeal of a queue page read with values_list (ROW_VALUES), not as a model instance with five related
    ones: building those was ~9 % of the page's CPU (issue 20). Answers what appeal_row asks of an Appeal, with
    the model's own properties and labels; test_queue_cache compares the markup with the model instances'."""

    get_status_display = partialmethod(ChoiceLabels._get_FIELD_display, field=Appeal._meta.get_field("status"))
    get_urgency_display = partialmethod(ChoiceLabels._get_FIELD_display, field=Appeal._meta.get_field("urgency"))
    summary = Appeal.summary
    place_label = Appeal.place_label
    household = None

    def __init__(self, values: dict):
        self.__dict__.update(values)

    category, community, building, unit, assigned_org = NamedBy(), NamedBy(), NamedBy(), NamedBy(), NamedBy()


#: a QueueRow attribute per column (the annotations' are their own names)
ROW_NAMES = dict(ROW_VALUES)


def row_values(queryset):
    """`queryset` (a page's slice of a queue) as the values_list a QueueRow is made of."""
    annotations = [name for name in ROW_ANNOTATIONS if name in queryset.query.annotations]
    return queryset.values_list(*ROW_NAMES, *annotations)


def queue_rows(queryset) -> list[QueueRow]:
    """The rows of `queryset` (a page's slice of a queue) as QueueRows, their households read in one query."""
    values = row_values(queryset)
    return _rows([ROW_NAMES.get(column, column) for column in values._fields], values)


def statement_rows(statement) -> list[QueueRow]:
    """queue_rows of a compiled statement of row_values() (linli.core.statements); [] for None (no rows)."""
    if statement is None:
        return []
    return _rows([ROW_NAMES.get(column, column) for column in statement.names], statement.rows())


def _rows(names: list[str], values) -> list[QueueRow]:
    rows = [QueueRow(dict(zip(names, row))) for row in values]
    households = {row.household_id for row in rows if row.household_id}
    if households:
        read = Household.objects.filter(pk__in=households).order_by()
        found = {pk: RowHousehold(*rest) for pk, *rest in read.values_list("pk", "building__name", "entrance", "room")}
        for row in rows:
            if row.household_id:
                row.household = found[row.household_id]
    return rows


def appeal_rows(appeals, *, tab: str, bulk: bool) -> SafeString:
    """The <li> rows of one page, or the tab's "nothing here" line."""
    if not appeals:
        return mark_safe(f'  <li class="muted">{_e(EMPTY.get(tab, "没有找到符合条件的诉求。"))}</li>\n')
    detail_base = reverse("appeals:appeal_detail", args=[0])[: -len("0/")]
    return mark_safe("".join(appeal_row(a, bulk=bulk, detail_base=detail_base) for a in appeals))


#: the filter form's scoped drop-downs, and whether the label names the community too (PlacedChoiceField)
LIGHT_SELECTS = (
    ("category", False),
    ("unit", False),
    ("organisation", False),
    ("community", False),
    ("grid", True),
    ("building", True),
)
