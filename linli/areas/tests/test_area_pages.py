"""Area tree pages and services: scope, moving buildings, the building drawing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linli.areas.models import Building, Grid, Household
from linli.areas.services import move_building
from linli.core.audit import Actor
from linli.core.models import ChangeRecord
from linli.residents.models import Resident

pytestmark = pytest.mark.django_db


def test_moving_a_building_moves_its_households_and_residents(world, login):
    b1, g2 = world.buildings["b1"], world.grids["g2"]
    client = login(world.users["secretary"])
    response = client.post(reverse("areas:building_move", args=[b1.pk]), {"grid": g2.pk})
    assert response.status_code == 302
    assert set(Resident.objects.filter(grid=g2).values_list("name", flat=True)) == {"张三", "李四", "陈奶奶", "王五"}
    assert Household.objects.filter(building__grid=g2).count() == 48
    record = ChangeRecord.objects.filter(object_id=b1.pk, content_type__model="building", action="update").get()
    assert record.changes["网格"] == ["东一第1网格", "东一第2网格"] and "3名居民" in record.note
    # the grid worker of the old grid no longer sees them; the new one does
    assert (
        login(world.users["grid_worker_1"]).get(reverse("residents:resident_list")).context["page"].paginator.count == 0
    )


def test_a_building_cannot_move_to_a_grid_of_another_community(world, login):
    b1, g3 = world.buildings["b1"], world.grids["g3"]
    response = login(world.users["street_admin"]).post(reverse("areas:building_move", args=[b1.pk]), {"grid": g3.pk})
    assert response.status_code == 200
    assert "其他社区" in str(response.context["form"].errors["grid"])
    b1.refresh_from_db()
    assert b1.grid == world.grids["g1"]
    assert Resident.objects.filter(grid=g3).count() == 1


def test_the_service_refuses_a_cross_community_move_from_commands_too(world):
    with pytest.raises(ValidationError):
        move_building(world.buildings["b1"], world.grids["g3"], Actor.cli("test"))


def test_a_grid_worker_cannot_move_buildings(world, login):
    response = login(world.users["grid_worker_1"]).post(
        reverse("areas:building_move", args=[world.buildings["b1"].pk]), {"grid": world.grids["g2"].pk}
    )
    assert response.status_code == 403


def test_a_secretary_cannot_reach_buildings_of_another_community(world, login):
    client = login(world.users["secretary"])
    assert client.get(reverse("areas:building_detail", args=[world.buildings["b3"].pk])).status_code == 404
    assert client.get(reverse("areas:building_move", args=[world.buildings["b3"].pk])).status_code == 404


def test_the_area_tree_shows_only_what_is_in_scope(world, login):
    page = login(world.users["grid_worker_1"]).get(reverse("areas:area_tree")).content.decode()
    assert "东一第1网格" in page and "东一第2网格" not in page and "东二" not in page and "西一" not in page
    page = login(world.users["street_admin"]).get(reverse("areas:area_tree")).content.decode()
    assert "东一第2网格" in page and "东二第1网格" in page and "西一" not in page


def test_the_building_page_draws_rooms_coloured_by_care_group(world, login):
    response = login(world.users["grid_worker_1"]).get(
        reverse("areas:building_detail", args=[world.buildings["b1"].pk])
    )
    assert response.status_code == 200
    ctx = response.context
    assert [e["number"] for e in ctx["entrances"]] == [1, 2]
    assert [f["floor"] for f in ctx["entrances"][0]["floors"]] == [6, 5, 4, 3, 2, 1]
    rooms = {h.room: h for e in ctx["entrances"] if e["number"] == 1 for f in e["floors"] for h in f["rooms"]}
    assert rooms["101"].color == "red" and rooms["101"].people == 1
    assert rooms["102"].color == "" and rooms["102"].people == 0
    assert ctx["summary"] == "1栋: 3人, 独居老人2户"
    legend = {x["tag"].name: x["households"] for x in ctx["legend"]}
    assert legend["独居老人"] == 2 and legend["残疾人"] == 1


def test_the_building_page_hides_sensitive_groups_from_roles_without_the_right(world, login, settings):
    from linli.accounts import roles

    weaker = roles.ROLE_PERMISSIONS["grid_worker"] - {"resident.view_sensitive"}
    settings_patch = dict(roles.ROLE_PERMISSIONS, grid_worker=weaker)
    original = roles.ROLE_PERMISSIONS
    roles.ROLE_PERMISSIONS = settings_patch
    try:
        response = login(world.users["grid_worker_1"]).get(
            reverse("areas:building_detail", args=[world.buildings["b1"].pk])
        )
    finally:
        roles.ROLE_PERMISSIONS = original
    assert "残疾人" not in {x["tag"].name for x in response.context["legend"]}


def test_the_building_page_uses_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.users["street_admin"])
    # +2: the open appeals there (handler orgs, rows); +2: its 党员中心户 and the households they look after
    with django_assert_max_num_queries(18):
        client.get(reverse("areas:building_detail", args=[world.buildings["b1"].pk]))


def test_a_street_admin_creates_a_building_with_its_rooms(world, login):
    client = login(world.users["street_admin"])
    response = client.post(
        reverse("areas:building_add"),
        {
            "community": world.communities["e1"].pk,
            "grid": world.grids["g1"].pk,
            "number": 9,
            "name": "9栋",
            "compound": "",
            "entrances": 2,
            "floors": 3,
            "rooms_per_floor": 4,
        },
    )
    assert response.status_code == 302
    building = Building.objects.get(name="9栋")
    assert building.households.count() == 24
    assert building.households.filter(entrance=2, room="304").exists()
    assert ChangeRecord.objects.filter(object_id=building.pk, content_type__model="building", action="create").exists()


def test_a_building_form_refuses_a_grid_of_another_community(world, login):
    client = login(world.users["street_admin"])
    response = client.post(
        reverse("areas:building_add"),
        {
            "community": world.communities["e1"].pk,
            "grid": world.grids["g3"].pk,
            "number": 9,
            "name": "9栋",
            "entrances": 1,
            "floors": 3,
            "rooms_per_floor": 2,
        },
    )
    assert response.status_code == 200 and "本社区" in str(response.context["form"].errors["grid"])
    assert not Building.objects.filter(name="9栋").exists()


def test_a_secretary_cannot_create_a_grid_in_another_community(world, login):
    response = login(world.users["secretary"]).post(
        reverse("areas:grid_add"),
        {
            "community": world.communities["e2"].pk,
            "number": 5,
            "name": "偷建网格",
        },
    )
    assert response.status_code == 200 and "community" in response.context["form"].errors
    assert not Grid.objects.filter(name="偷建网格").exists()


def test_only_the_platform_admin_creates_streets(world, login):
    assert login(world.users["street_admin"]).get(reverse("areas:street_add")).status_code == 403


def test_the_household_page_lists_its_residents(world, login):
    household = world.residents["zhang"].household
    response = login(world.users["grid_worker_1"]).get(reverse("areas:household_detail", args=[household.pk]))
    assert [r.name for r in response.context["residents"]] == ["张三"]
    assert (
        login(world.users["grid_worker_2"]).get(reverse("areas:household_detail", args=[household.pk])).status_code
        == 404
    )


def test_a_grid_worker_adds_a_room_to_a_building_of_their_grid(world, login):
    client = login(world.users["grid_worker_1"])
    b1 = world.buildings["b1"]
    response = client.post(
        reverse("areas:household_add"), {"building": b1.pk, "entrance": 1, "floor": 1, "room": "商铺1"}
    )
    assert response.status_code == 302
    assert Household.objects.filter(building=b1, room="商铺1").exists()
    response = client.post(
        reverse("areas:household_add"),
        {"building": world.buildings["b2"].pk, "entrance": 1, "floor": 1, "room": "商铺2"},
    )
    assert response.status_code == 200 and "building" in response.context["form"].errors


def test_a_duplicate_room_is_refused_with_a_message(world, login):
    client = login(world.users["grid_worker_1"])
    b1 = world.buildings["b1"]
    response = client.post(
        reverse("areas:household_add"), {"building": b1.pk, "entrance": 1, "floor": 1, "room": "101"}
    )
    assert response.status_code == 200
    assert "已经有这个房号" in str(response.context["form"].non_field_errors())
    assert Household.objects.filter(building=b1, room="101", entrance=1).count() == 1


def test_a_building_with_residents_cannot_be_deleted(world, login):
    b1 = world.buildings["b1"]
    response = login(world.users["secretary"]).post(reverse("areas:building_delete", args=[b1.pk]), follow=True)
    assert "还有3名居民" in response.content.decode()
    assert Building.objects.filter(pk=b1.pk).exists()


def test_an_empty_building_is_deleted_with_its_rooms_and_recorded(world, login):
    from linli.testing import make_building

    empty = make_building(world.communities["e1"], world.grids["g1"], 8, entrances=1, floors=2, rooms=2)
    response = login(world.users["secretary"]).post(reverse("areas:building_delete", args=[empty.pk]))
    assert response.status_code == 302
    assert not Building.objects.filter(pk=empty.pk).exists()
    assert not Household.objects.filter(building_id=empty.pk).exists()
    assert ChangeRecord.objects.filter(object_id=empty.pk, content_type__model="building", action="delete").exists()


def test_a_grid_with_buildings_cannot_be_deleted_and_an_empty_one_can(world, login):
    client = login(world.users["secretary"])
    g1 = world.grids["g1"]
    client.post(reverse("areas:grid_delete", args=[g1.pk]))
    assert Grid.objects.filter(pk=g1.pk).exists()
    empty = Grid.objects.create(community=world.communities["e1"], number=9, name="空网格")
    assert client.post(reverse("areas:grid_delete", args=[empty.pk])).status_code == 302
    assert not Grid.objects.filter(pk=empty.pk).exists()


def test_deleting_is_refused_to_grid_workers_and_outside_scope(world, login):
    b3 = world.buildings["b3"]
    assert (
        login(world.users["grid_worker_1"])
        .post(reverse("areas:building_delete", args=[world.buildings["b1"].pk]))
        .status_code
        == 403
    )
    assert login(world.users["secretary"]).post(reverse("areas:building_delete", args=[b3.pk])).status_code == 404
