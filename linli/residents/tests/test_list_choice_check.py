"""The resident list checks a chosen grid, building, tag or community against the scope's cached drop-down rows
(linli.core.pagecache.known_choice), not with a query each: the same ids pass, the same ones are refused, a new row
counts at once and one scope's rows never let another scope's user through."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.areas.models import Building, Grid
from linli.residents.models import Tag

pytestmark = pytest.mark.django_db

LIST = reverse("residents:resident_list")


def names(response) -> set[str]:
    assert response.status_code == 200
    return {r.name for r in response.context["page"].object_list}


def lookups(ctx, table: str) -> list[str]:
    """Statements that read `table` by an id (a ModelChoiceField's check: `WHERE "table"."id" = 3`)."""
    return [q["sql"] for q in ctx.captured_queries if re.search(rf'"{table}"\."id" = \d', q["sql"])]


def test_a_chosen_grid_and_tag_filter_the_rows_without_a_query_each(world, login):
    client = login(world.users["street_admin"])
    elderly = Tag.objects.get(code="elderly60")
    client.get(LIST)  # fills the cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"grid": world.grids["g1"].pk, "tag": elderly.pk})
    assert names(response) == {"张三", "陈奶奶"}
    assert not lookups(ctx, "areas_grid") and not lookups(ctx, "residents_tag")
    assert response.context["filter"].form.errors == {}
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"community": world.communities["e1"].pk, "building": world.buildings["b1"].pk})
    assert not lookups(ctx, "areas_community") and not lookups(ctx, "areas_building")
    assert response.context["filter"].form.errors == {}


@pytest.mark.parametrize("value", ["999999", "abc", "1.0", "99999999999999999999999"])
def test_an_unknown_id_is_refused_as_before(world, login, value):
    client = login(world.users["secretary"])
    response = client.get(LIST, {"grid": value})
    assert "grid" in response.context["filter"].form.errors
    assert names(response) == names(client.get(LIST))  # the invalid value filters nothing, as django-filter does


def test_another_scopes_grid_is_refused_even_after_that_scope_filled_the_cache(world, login):
    g2 = world.grids["g2"]
    assert names(login(world.users["street_admin"]).get(LIST, {"grid": g2.pk}))  # the street's cache knows g2
    response = login(world.users["grid_worker_1"]).get(LIST, {"grid": g2.pk})
    assert "grid" in response.context["filter"].form.errors
    assert "王五" not in names(response)  # 王五 lives in grid 2: the refused filter leaves the worker's own rows


def test_a_new_grid_and_a_new_tag_are_accepted_at_once(world, login):
    client = login(world.users["secretary"])
    client.get(LIST)  # fills the cache
    grid = Grid.objects.create(community=world.communities["e1"], number=9, name="东一第9网格")
    Building.objects.create(community=world.communities["e1"], grid=grid, number=99, name="99栋")
    tag = Tag.objects.create(community=world.communities["e1"], code="e1_new", name="新关注对象")
    response = client.get(LIST, {"grid": grid.pk, "tag": tag.pk})
    assert response.context["filter"].form.errors == {}
    assert names(response) == set()


def test_a_deactivated_tag_is_refused_at_once(world, login):
    client = login(world.users["secretary"])
    tag = Tag.objects.create(community=world.communities["e1"], code="e1_old", name="旧关注对象")
    assert client.get(LIST, {"tag": tag.pk}).context["filter"].form.errors == {}
    tag.is_active = False
    tag.save()
    assert "tag" in client.get(LIST, {"tag": tag.pk}).context["filter"].form.errors
