"""The rows of a queue page (/appeals/), written in Python.

A page of 30 rows through the template engine cost more than its SQL (per row: two {% url %}, a dozen
tags and filters). The same markup is built here with f-strings and `_e`, the standard library's html.escape
(what django.utils.html.escape does, without its lazy-string wrapper: format_html and conditional_escape cost
~1 ms a row of CPU, 16 % of the page). Same HTML as the template loop it replaced and as format_html wrote it
(linli/appeals/tests/test_queue_rows.py compares them); every value from the database is escaped.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from linli.appeals.choices import OPEN
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
