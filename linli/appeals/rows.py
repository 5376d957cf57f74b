"""The rows of a queue page (/appeals/), written in Python.

A page of 30 rows through the template engine cost more than its SQL (per row: two {% url %}, a dozen
tags and filters); the same markup built here with format_html takes a fraction of it. Same HTML as the
template loop it replaces (tests read it); every value is escaped by format_html.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from linli.appeals.choices import OPEN

EMPTY = {
    "dispatch": "没有待派单的诉求。",
    "unit": "本单位没有待签收或办理中的诉求。",
    "overdue": "没有超期的诉求。",
    "reply": "没有待回访的诉求。",
}


def _when(value) -> str:
    return date_format(timezone.localtime(value), "m-d H:i")


def appeal_row(a, *, bulk: bool, detail_base: str) -> SafeString:
    url = f"{detail_base}{a.pk}/"
    badges = []
    if a.due_state == "overdue":
        badges.append('<span class="due-badge overdue">超期</span>')
    elif a.due_state == "today":
        badges.append('<span class="due-badge today">今日到期</span>')
    if a.supervised:
        badges.append('<span class="due-badge supervised">督办</span>')
    if getattr(a, "voices", 1) > 1:
        badges.append(format_html('<span class="due-badge voices">附议{}人</span>', a.voices))
    if a.urgency in ("urgent", "expedited"):
        badges.append(format_html('<span class="due-badge urgent">{}</span>', a.get_urgency_display()))
    if getattr(a, "needs_review", False):
        badges.append('<span class="due-badge review" title="系统把握不大，未预选承办单位">需人工判断</span>')
    returned = getattr(a, "returned_reason", None)
    if returned:
        badges.append('<span class="due-badge returned">被退回</span>')
    head = format_html(
        '{}<a href="{}"><b>{}</b></a>\n      <span class="appeal-status s-{}">{}</span>\n      {}',
        format_html('<input type="checkbox" name="ids" value="{}" aria-label="选择{}">', a.pk, a.number)
        if bulk
        else "",
        url,
        a.number,
        a.status,
        a.get_status_display(),
        mark_safe("".join(badges)),
    )
    returned_html = (
        format_html(
            '\n    <p class="returned-reason">{}退回：{}</p>', getattr(a, "returned_by", None) or "承办机构", returned
        )
        if returned
        else ""
    )
    org = format_html(" · {}：{}", a.unit.name if a.unit_id else "", a.assigned_org.name) if a.assigned_org_id else ""
    due = format_html(" · 时限 {}", _when(a.current_due)) if a.current_due and a.status in OPEN else ""
    return format_html(
        '  <li id="appeal-{}">\n    <div class="appeal-head">\n      {}\n    </div>\n'
        '    <a class="appeal-summary" href="{}">{}</a>{}\n'
        '    <small class="muted">{} · {} {}{}</small>\n'
        '    <small class="muted appeal-times">受理 {}{}</small>\n  </li>\n',
        a.pk,
        head,
        url,
        a.summary,
        returned_html,
        a.category.name if a.category_id else "未分类",
        a.community.name,
        a.place_label,
        org,
        _when(a.received_at),
        due,
    )


def appeal_rows(appeals, *, tab: str, bulk: bool) -> SafeString:
    """The <li> rows of one page, or the tab's "nothing here" line."""
    if not appeals:
        return format_html('  <li class="muted">{}</li>\n', EMPTY.get(tab, "没有找到符合条件的诉求。"))
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
