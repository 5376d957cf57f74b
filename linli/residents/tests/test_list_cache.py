"""The resident list's drop-downs (grids, buildings, tags) are cached per scope and forgotten on every change."""

import pytest
from django.urls import reverse

from linli.areas.models import Building, Grid
from linli.core.bulk import BulkWriter, purge
from linli.core.pagecache import scope_key
from linli.residents import services
from linli.residents.models import Tag
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

LIST = reverse("residents:resident_list")


def options(response, field: str) -> list[str]:
    assert response.status_code == 200
    return [label for _, label in response.context["filter"].form.fields[field].widget.choices]


def test_it_lists_a_new_grid_building_and_tag_at_once(world, login):
    client = login(world.users["secretary"])
    before = client.get(LIST)
    assert "东一社区 东一第9网格" not in options(before, "grid")
    grid = Grid.objects.create(community=world.communities["e1"], number=9, name="东一第9网格")
    Building.objects.create(community=world.communities["e1"], grid=grid, number=99, name="99栋")
    services.save_tag(Tag(community=world.communities["e1"], code="e1_new", name="新关注对象"), SYSTEM)
    after = client.get(LIST)
    assert "东一社区 东一第9网格" in options(after, "grid")
    assert "东一社区 99栋" in options(after, "building")
    assert "新关注对象" in options(after, "tag")
    assert "新关注对象" in [t["name"] for t in after.context["bulk_tags"]]


def test_it_drops_a_deactivated_tag_at_once(world, login):
    client = login(world.users["secretary"])
    tag = services.save_tag(Tag(community=world.communities["e1"], code="e1_old", name="旧关注对象"), SYSTEM)
    assert "旧关注对象" in options(client.get(LIST), "tag")
    tag.is_active = False
    services.save_tag(tag, SYSTEM)
    assert "旧关注对象" not in options(client.get(LIST), "tag")


def tag_filter(client, tag_pk):
    """The list filtered by tag `tag_pk`: whether the filter accepted it, and the tags it offers."""
    response = client.get(LIST, {"tag": tag_pk})
    return "tag" not in response.context["filter"].form.errors, options(response, "tag")


def test_a_tag_deleted_by_a_bulk_purge_is_no_longer_offered_or_accepted(world, login):
    """purge() deletes with raw statements (no post_delete): it tells the cached lists itself (versioned.touched)."""
    client = login(world.users["secretary"])
    tag = services.save_tag(Tag(community=world.communities["e1"], code="e1_gone", name="将删除的标签"), SYSTEM)
    assert tag_filter(client, tag.pk) == (True, options(client.get(LIST), "tag"))  # cached, chosen and accepted
    assert "将删除的标签" in tag_filter(client, tag.pk)[1]
    purge(Tag.objects.filter(pk=tag.pk))
    accepted, offered = tag_filter(client, tag.pk)
    assert not accepted and "将删除的标签" not in offered


def test_a_tag_inserted_by_the_bulk_writer_is_offered_and_accepted_at_once(world, login):
    """BulkWriter (COPY on PostgreSQL, bulk_create elsewhere) sends no post_save either."""
    client = login(world.users["secretary"])
    assert "批量标签" not in options(client.get(LIST), "tag")
    writer = BulkWriter()
    (pk,) = writer.reserve_ids(Tag, 1)
    writer.insert(Tag, [Tag(pk=pk, community=world.communities["e1"], code="e1_bulk", name="批量标签")])
    accepted, offered = tag_filter(client, pk)
    assert accepted and "批量标签" in offered


def test_it_never_shows_one_scopes_lists_to_another(world, login):
    east = options(login(world.users["street_admin"]).get(LIST), "grid")
    assert "东二社区 东二第1网格" in east
    # same role family, another node: a grid worker of g1 sees their grid only, after the street filled the cache
    assert options(login(world.users["grid_worker_1"]).get(LIST), "grid") == ["全部", "东一社区 东一第1网格"]
    assert options(login(world.users["secretary"]).get(LIST), "grid") == [
        "全部",
        "东一社区 东一第1网格",
        "东一社区 东一第2网格",
    ]


def test_it_keys_the_lists_by_role_and_assigned_nodes(world):
    """Same node, another role (whose permissions may list other rows), or another node: never the same entry."""
    users = world.users
    assert scope_key(users["secretary"]) != scope_key(users["staff"])  # both of 东一社区
    assert scope_key(users["grid_worker_1"]) != scope_key(users["grid_worker_2"])
    assert scope_key(users["nobody"]) != scope_key(users["staff"])  # no assignment at all
    assert scope_key(users["secretary"]) == scope_key(users["secretary"])


def test_it_keeps_the_buildings_of_each_chosen_grid_apart(world, login):
    client = login(world.users["secretary"])
    g1, g2 = world.grids["g1"], world.grids["g2"]
    one = options(client.get(LIST, {"grid": g1.pk}), "building")
    two = options(client.get(LIST, {"grid": g2.pk}), "building")

    def labels(grid):
        return {f"{b.community.name} {b.name}" for b in Building.objects.filter(grid=grid)}

    assert set(one[1:]) == labels(g1) and set(two[1:]) == labels(g2)
    assert labels(g1) != labels(g2)


def test_the_served_filter_markup_is_the_scopes_own_and_shows_a_change_at_once(world, login):
    """Unfiltered, the page serves the scope's filter markup kept per process (pagecache.rendered)."""
    g2 = f'<option value="{world.grids["g2"].pk}">东一社区 东一第2网格</option>'
    assert g2 in login(world.users["street_admin"]).get(LIST).content.decode()
    worker = login(world.users["grid_worker_1"])
    assert g2 not in worker.get(LIST).content.decode()
    Grid.objects.filter(pk=world.grids["g1"].pk).update(name="改名网格")  # no signal: bulk update
    Grid.objects.get(pk=world.grids["g1"].pk).save()  # a save bumps the areas group
    assert "东一社区 改名网格" in worker.get(LIST).content.decode()


def test_the_unfiltered_page_is_the_page_the_filterset_draws(world, login, monkeypatch):
    import re

    from linli.core import pagecache

    def page(client):
        html = client.get(LIST).content.decode()
        return re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', r"\1", html)

    client = login(world.users["secretary"])
    page(client)
    fast = page(client)
    monkeypatch.setattr(pagecache, "RENDERED_MAX", 0)
    pagecache._RENDERED.clear()
    assert page(client) == fast
