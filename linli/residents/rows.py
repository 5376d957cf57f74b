"""The rows of 居民 (/residents/), written in Python.

Thirty residents through the template loop ({% url %}, two filters and a dozen variables a row) were a fifth of the
list's CPU, and the list is the page people open first (issue 20: the admin comparison's grid + tag case is decided
by the page's Python, not its 3-6 ms of SQL). The same markup is built here with f-strings and html.escape (what the
template's autoescape does): linli/residents/tests/test_list_rows.py renders the template loop it replaced and
compares.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from linli.core.renderers import attr_of, url_around_pk
from linli.core.renderers import escape as _e
from linli.residents.templatetags.residents import shown_phone, visible_tags

EMPTY = '\n    <tr><td colspan="{cols}" class="muted">没有找到符合条件的居民。</td></tr>\n  '


def resident_row(r, *, user, bulk: bool, detail_url: tuple[str, str]) -> str:
    name = _e(r.name)
    tick = f'<td><input type="checkbox" name="ids" value="{r.pk}" aria-label="选择{name}"></td>' if bulk else ""
    age = "" if r.age is None else _e(r.age)
    grid = r.grid.name if r.grid is not None else ""
    tags = "".join(f'<span class="tag c-{_e(t.color)}">{_e(t.name)}</span>' for t in visible_tags(r, user))
    household = r.household
    place = f"{attr_of(r.building, 'name')}{attr_of(household, 'entrance')}单元{attr_of(household, 'room')}"
    return (
        f"\n    <tr>\n      {tick}\n"
        f'      <td><a href="{detail_url[0]}{r.pk}{detail_url[1]}">{name}</a></td>\n'
        f"      <td>{_e(r.get_sex_display())}</td>\n"
        f"      <td>{age}</td>\n"
        f"      <td>{place}</td>\n"
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
    detail_url = url_around_pk("residents:resident_detail")
    return mark_safe("".join(resident_row(r, user=user, bulk=bulk, detail_url=detail_url) for r in residents))
