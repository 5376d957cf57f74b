"""The resident list's rows written in Python (linli/residents/rows.py) are the markup of the template loop they
replaced."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from linli.residents.rows import resident_rows

pytestmark = pytest.mark.django_db

#: The loop of residents/_resident_results.html before 2026-12-07 (without the indent before it and the line end
#: after it, which stay around {{ rows_html }}), kept as the yardstick.
TEMPLATE_LOOP = (
    "{% load residents %}"
    + '{% for r in page %}\n    <tr>\n      {% if bulk_tags %}<td><input type="checkbox" name="ids" value="{{ r.pk }}" aria-label="选择{{ r.name }}"></td>{% endif %}\n      <td><a href="{% url \'residents:resident_detail\' r.pk %}">{{ r.name }}</a></td>\n      <td>{{ r.get_sex_display }}</td>\n      <td>{{ r.age|default_if_none:"" }}</td>\n      <td>{{ r.building.name }}{{ r.household.entrance }}单元{{ r.household.room }}</td>\n      <td>{{ r.grid.name|default:"待分配" }}</td>\n      <td>{{ r|shown_phone:user }}</td>\n      <td>{% for t in r|visible_tags:user %}<span class="tag c-{{ t.color }}">{{ t.name }}</span>{% endfor %}</td>\n    </tr>\n  {% empty %}\n    <tr><td colspan="{% if bulk_tags %}8{% else %}7{% endif %}" class="muted">没有找到符合条件的居民。</td></tr>\n  {% endfor %}'
)


def listed(client, url=None):
    response = client.get(url or reverse("residents:resident_list"))
    assert response.status_code == 200
    return response, list(response.context["page"].object_list)


@pytest.mark.parametrize("who", ["grid_worker_1", "secretary", "street_admin", "staff"])
def test_the_rows_are_the_template_loops_markup(world, login, who):
    chen = world.residents["chen"]
    chen.name = "陈<奶奶> & \"'"
    chen.save(update_fields=["name"])
    user = world.users[who]
    response, rows = listed(login(user))
    assert rows, "nobody listed"
    for bulk in (True, False):
        expected = Template(TEMPLATE_LOOP).render(
            Context({"page": rows, "user": user, "bulk_tags": [1] if bulk else []})
        )
        assert resident_rows(rows, user=user, bulk=bulk) == expected
    bulk = bool(response.context.get("bulk_tags"))
    assert resident_rows(rows, user=user, bulk=bulk) in response.content.decode()


def test_residents_without_a_grid_or_an_age_show_as_before(world, login):
    user = world.users["secretary"]
    _response, rows = listed(login(user))
    for r in rows[:3]:
        r.grid = None
        r.birth_date = None
    rows = rows[:3]
    expected = Template(TEMPLATE_LOOP).render(Context({"page": rows, "user": user, "bulk_tags": []}))
    assert resident_rows(rows, user=user, bulk=False) == expected
    assert "待分配" in expected


def test_an_empty_list_says_so_as_before(world, login):
    user = world.users["secretary"]
    response, rows = listed(login(user), reverse("residents:resident_list") + "?q=没有这个人的名字")
    assert rows == []
    for bulk in (True, False):
        expected = Template(TEMPLATE_LOOP).render(Context({"page": [], "user": user, "bulk_tags": [1] if bulk else []}))
        assert resident_rows([], user=user, bulk=bulk) == expected
    assert "没有找到符合条件的居民。" in response.content.decode()


@pytest.mark.parametrize("who", ["grid_worker_1", "secretary", "street_admin", "staff"])
def test_the_rows_read_no_deferred_column(world, login, who):
    """The page reads only the columns a row shows (views.LIST_FIELDS): a row that needed another would load it
    with a query of its own (`WHERE id = …`), one per row."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    deferred = re.compile(r'WHERE "(residents_resident|areas_household|areas_building|areas_grid)"\."id" = \d+ LIMIT')
    client = login(world.users[who])
    for query in ("", "?q=张", f"?grid={world.grids['g1'].pk}&min_age=1"):
        with CaptureQueriesContext(connection) as ctx:
            response, rows = listed(client, reverse("residents:resident_list") + query)
        assert rows or query
        assert [q["sql"] for q in ctx.captured_queries if deferred.search(q["sql"])] == [], query
