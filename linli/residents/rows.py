"""The rows of 居民 (/residents/), written in Python.

Thirty residents through the template loop ({% url %}, two filters and a dozen variables a row) were a fifth of the
list's CPU, and the list is the page people open first (issue 20: the admin comparison's grid + tag case is decided
by the page's Python, not its 3-6 ms of SQL). The same markup is built here with f-strings and html.escape (what the
template's autoescape does): linli/residents/tests/test_list_rows.py renders the template loop it replaced and
compares.
"""

from __future__ import annotations

from html import escape as _html_escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from linli.residents.templatetags.residents import shown_phone, visible_tags

EMPTY = '\n    <tr><td colspan="{cols}" class="muted">没有找到符合条件的居民。</td></tr>\n  '


def _e(value) -> str:
    """What {{ value }} writes: None as "None", safe HTML as it is, the rest escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _html_escape(str(value))


def _attr(obj, name: str) -> str:
    """{{ obj.name }} where obj may be missing (no building, no household): "" as the template writes it."""
    return "" if obj is None else _e(getattr(obj, name))


def resident_row(r, *, user, bulk: bool, detail_url: tuple[str, str]) -> str:
    name = _e(r.name)
    tick = f'<td><input type="checkbox" name="ids" value="{r.pk}" aria-label="选择{name}"></td>' if bulk else ""
    age = "" if r.age is None else _e(r.age)
    grid = r.grid.name if r.grid is not None else ""
    tags = "".join(f'<span class="tag c-{_e(t.color)}">{_e(t.name)}</span>' for t in visible_tags(r, user))
    household = r.household
    return (
        f"\n    <tr>\n      {tick}\n"
        f'      <td><a href="{detail_url[0]}{r.pk}{detail_url[1]}">{name}</a></td>\n'
        f"      <td>{_e(r.get_sex_display())}</td>\n"
        f"      <td>{age}</td>\n"
        f"      <td>{_attr(r.building, 'name')}{_attr(household, 'entrance')}单元{_attr(household, 'room')}</td>\n"
        f"      <td>{_e(grid) if grid else '待分配'}</td>\n"
        f"      <td>{_e(shown_phone(r, user))}</td>\n"
        f"      <td>{tags}</td>\n"
        "    </tr>\n  "
    )


def resident_rows(residents, *, user, bulk: bool) -> SafeString:
    """The <tr> rows of one page of the resident list, or the "nothing found" row."""
    residents = list(residents)
    if not residents:
        return mark_safe(EMPTY.format(cols=8 if bulk else 7))
    before, _, after = reverse("residents:resident_detail", args=[987654321]).partition("987654321")
    return mark_safe("".join(resident_row(r, user=user, bulk=bulk, detail_url=(before, after)) for r in residents))
