"""The rows of 今日走访 (/visits/), written in Python.

Fifty residents through the template loop (a {% url %} or two, a filter, a dozen tags per row) were over half of
the page's CPU for a street administrator (cProfile, issue 20); the same markup is built here with f-strings and
html.escape (what the template's autoescape does). Same HTML as the loop it replaced: linli/visits/tests/
test_worklist_rows.py renders both and compares them.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from linli.core.renderers import attr_of, url_around_pk
from linli.core.renderers import escape as _e
from linli.residents.templatetags.residents import shown_phone

EMPTY = '\n  <li class="muted">今天没有需要走访的居民。</li>\n'


URGENT_CLASS = ' class="urgent"'
URGENT_MARK = '<mark class="urgent-mark">紧急</mark> '


def worklist_row(r, *, user, can_log: bool, detail_url: tuple[str, str], log_url: tuple[str, str]) -> str:
    urgent = r.urgent_since
    tags = "".join(f'<span class="tag c-{_e(t.color)}">{_e(t.name)}</span>' for t in r.groups)
    phone = shown_phone(r, user)
    if phone:
        phone = f' · <a href="tel:{_e(phone)}">{_e(phone)}</a>' if phone == r.phone else f" · {_e(phone)}"
    urgent_note = ""
    if urgent:
        local = timezone.localtime(urgent)
        urgent_note = (
            f'<br><span class="reason"><mark>走访发现紧急情况（{local.month}月{local.day}日 '
            f"{local.hour:02d}:{local.minute:02d}），请尽快再访，社区处理后解除</mark></span>"
        )
    reason = ""
    if r.visit_due_on and r.days_overdue >= 0:
        late = f"<mark>逾期{_e(r.days_overdue)}天</mark>" if r.days_overdue > 0 else "今天到期"
        last = r.last_visit_on
        if last:
            seen = f"，上次{last.month}月{last.day}日" + ("不在家，需再访" if r.last_outcome == "not_home" else "")
        else:
            seen = "，尚未走访"
        reason = f'<br><span class="reason">{late}（每{_e(r.visit_interval_days)}天一次{seen}）</span>'
    log = (
        f'<div class="toolbar"><a role="button" href="{log_url[0]}{r.pk}{log_url[1]}">记录走访</a></div>'
        if can_log
        else ""
    )
    household = r.household
    li_class, mark = (URGENT_CLASS, URGENT_MARK) if urgent else ("", "")
    return (
        f'\n  <li id="due-{r.pk}"{li_class}>\n'
        f'    {mark}<strong><a href="{detail_url[0]}{r.pk}{detail_url[1]}">{_e(r.name)}</a></strong>\n'
        f"    {tags}\n"
        f"    <br>{attr_of(r.building, 'name')}{attr_of(household, 'entrance')}单元{attr_of(household, 'room')}\n"
        f"    {phone or ''}\n"
        f"    {urgent_note}\n"
        f"    {reason}\n"
        f"    {log}\n"
        "  </li>\n"
    )


def worklist_rows(residents, *, user, can_log: bool) -> SafeString:
    """The <li> rows of one page of 今日走访, or the "nobody today" line."""
    if not residents:
        return mark_safe(EMPTY)
    urls = {"detail_url": url_around_pk("residents:resident_detail"), "log_url": url_around_pk("visits:visit_log")}
    return mark_safe("".join(worklist_row(r, user=user, can_log=can_log, **urls) for r in residents))
