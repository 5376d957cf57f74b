"""Buildings kept per process for the API's writes (linli.areas.placecache) and the in-memory scope check
(ScopedQuerySet.holds) that decides with restrict()'s rules."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from linli.areas import placecache
from linli.areas.models import Building
from linli.areas.services import move_building, save_building
from linli.core.audit import Actor

pytestmark = pytest.mark.django_db


def test_holds_never_says_yes_where_restrict_says_no_and_agrees_for_every_persona(world):
    for user in world.users.values():
        visible = set(Building.objects.restrict(user).values_list("pk", flat=True))
        for building in Building.objects.select_related("community"):
            assert Building.objects.all().holds(user, building) == (building.pk in visible), (user, building)


def test_holds_does_not_decide_for_querysets_with_their_own_rules(world):
    from linli.residents.models import Resident

    # Resident.restrict lets a resident see their own record (restrict_self): not decided in memory
    chen = world.residents["chen"]
    assert not Resident.objects.all().holds(world.users["resident"], chen)


def test_a_building_is_read_once_with_its_community_and_each_call_gets_its_own(world):
    b1 = world.buildings["b1"]
    first = placecache.building(b1.pk)
    with CaptureQueriesContext(connection) as queries:
        second = placecache.building(b1.pk)
        assert second.community.street_id == world.communities["e1"].street_id
    assert len(queries) == 0
    assert (second.pk, second.name, second.grid_id, second.community_id) == (
        b1.pk,
        b1.name,
        b1.grid_id,
        b1.community_id,
    )
    first.name = "改了"
    first.community.name = "改了"
    assert placecache.building(b1.pk).name == b1.name and placecache.building(b1.pk).community.name == "东一社区"
    assert placecache.building(10**9) is None


def test_a_change_of_the_tree_is_seen_at_the_next_read(world):
    b1 = world.buildings["b1"]
    placecache.building(b1.pk)
    move_building(b1, world.grids["g2"], Actor(world.users["secretary"]))
    assert placecache.building(b1.pk).grid_id == world.grids["g2"].pk
    b1.refresh_from_db()
    b1.name = "新名字楼"
    save_building(b1, Actor(world.users["secretary"]))
    assert placecache.building(b1.pk).name == "新名字楼"


def test_nothing_read_inside_a_transaction_the_code_opened_is_kept(world):
    b1 = world.buildings["b1"]
    with transaction.atomic():
        Building.objects.filter(pk=b1.pk).update(name="回滚楼")  # no signal: as a rolled-back change would be
        assert placecache.building(b1.pk).name == "回滚楼"
        transaction.set_rollback(True)
    assert placecache.building(b1.pk).name == b1.name
