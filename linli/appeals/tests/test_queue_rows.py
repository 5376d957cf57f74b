"""The queue rows written with f-strings (linli.appeals.rows) are the markup format_html wrote before, escaped alike."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from linli.appeals.choices import OPEN, Status, Urgency
from linli.appeals.models import Appeal, Category, HandlingUnit, Organisation
from linli.appeals.rows import appeal_row, appeal_rows
from linli.areas.models import Building, Community


def _when(value) -> str:
    return date_format(timezone.localtime(value), "m-d H:i")


def reference_row(a, *, bulk: bool, detail_base: str) -> str:
    """The format_html version of appeal_row (linli/appeals/rows.py before 2026-12-07), kept as the yardstick."""
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


NASTY = "<b>“引号”</b> & 'x' \"y\""


def appeals():
    """Unsaved appeals covering every branch of a row: badges, returned, organisation, due, category, place."""
    community = Community(pk=3, name=f"青和居社区{NASTY}")
    building = Building(pk=4, name="1栋<", community=community)
    category = Category(pk=5, name=f"楼道灯{NASTY}")
    unit = HandlingUnit(pk=6, name="物业&")
    org = Organisation(pk=7, name="工人村街物业<服务>中心")
    now = timezone.now()
    statuses = [Status.PENDING_DISPATCH, Status.IN_PROGRESS, Status.CLOSED]
    flags = itertools.product(statuses, ("overdue", "today", ""), (True, False), (1, 3))
    for n, (status, due_state, on, voices) in enumerate(flags):
        a = Appeal(
            pk=100 + n,
            number=f"20261207-{n:05d}" + ("<" if n % 5 == 0 else ""),
            text=f"{NASTY} 楼道灯坏了，晚上看不见路，请尽快修理，谢谢！" * (1 + n % 2),
            status=status,
            urgency=[Urgency.NORMAL, Urgency.URGENT, "expedited"][n % 3],
            supervised=on,
            received_at=now - datetime.timedelta(days=n, minutes=7 * n),
            current_due=(now + datetime.timedelta(hours=n - 10)) if n % 4 else None,
            address="东门<旁>" if n % 3 else "",
        )
        a.community = community
        if n % 2:
            a.building = building
        if on:
            a.category = category
            a.assigned_org = org
        if n % 3 == 0:
            a.unit = unit
        a.due_state = due_state
        a.voices = voices
        a.needs_review = not on
        if n % 4 == 1:
            a.returned_reason = f"不归我们管{NASTY}"
            a.returned_by = "水务<局>" if n % 8 == 1 else None
        yield a


def test_the_rows_are_the_markup_format_html_wrote():
    detail_base = reverse("appeals:appeal_detail", args=[0])[: -len("0/")]
    rows = list(appeals())
    assert len(rows) == 36
    for a in rows:
        for bulk in (True, False):
            assert appeal_row(a, bulk=bulk, detail_base=detail_base) == reference_row(
                a, bulk=bulk, detail_base=detail_base
            )


def test_an_empty_tab_says_so_and_rows_are_safe_html():
    assert appeal_rows([], tab="dispatch", bulk=False) == '  <li class="muted">没有待派单的诉求。</li>\n'
    html = appeal_rows(list(appeals())[:2], tab="all", bulk=True)
    assert hasattr(html, "__html__") and "<b>“引号”</b>" not in html and "&lt;b&gt;“引号”&lt;/b&gt;" in html
