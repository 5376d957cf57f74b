"""The rows of 党员服务汇总 (/party/service/), written in Python.

Fifty members through the template loop (a {% url %}, floatformat, a dozen tags and lookups per row) were about
half of the page's CPU for a street administrator (cProfile, issue 20). Same HTML as the loop it replaced
(linli/party/tests/test_service_rows.py renders both and compares them): each value goes through what
{{ value }} does (localize, escape) and floatformat where the template used it.
"""

from __future__ import annotations

from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from linli.core.renderers import url_around_pk

EMPTY = '<tr><td colspan="11" class="muted">没有符合条件的党员。</td></tr>'


def _v(value) -> str:
    """{{ value }}: localized, then escaped (safe HTML kept)."""
    return conditional_escape(localize(value))


def _or_dash(value) -> str:
    """{{ value|default:"—" }}"""
    return _v(value) if value else "—"


def service_row(m, f, *, street_wide: bool, member_url: tuple[str, str]) -> str:
    community = f"<td>{_v(m.community.name) if m.community_id else ''}</td>" if street_wide else ""
    branch = _or_dash(m.branch.name if m.branch_id else "")
    work = _v(m.work_unit.name) if m.work_unit_id else _or_dash(m.work_unit_name)
    rate = f"（{_v(f.attendance_rate)}%）" if f.attendance_rate is not None else ""
    return (
        f'\n    <tr>{community}<td><a href="{member_url[0]}{m.pk}{member_url[1]}">{_v(m.name)}</a></td>'
        f"<td>{branch}</td><td>{_v(m.get_status_display())}</td><td>{work}</td>"
        f"<td>{_v(floatformat(f.volunteer_hours, '-1'))}</td><td>{_v(f.activities)}</td>"
        f"<td>{_v(f.wishes_claimed)}/{_v(f.wishes_fulfilled)}</td><td>{_v(f.pairings)}</td><td>{_v(f.contacts)}</td>"
        f"<td>{_v(f.meetings_attended)}/{_v(f.meetings_expected)}{rate}</td></tr>\n  "
    )


def service_rows_html(rows, *, street_wide: bool) -> SafeString:
    """The <tr> rows of one page [(member, Figures)], or the "nobody" row."""
    if not rows:
        return mark_safe(EMPTY)
    member_url = url_around_pk("party:member_detail")
    return mark_safe("".join(service_row(m, f, street_wide=street_wide, member_url=member_url) for m, f in rows))
