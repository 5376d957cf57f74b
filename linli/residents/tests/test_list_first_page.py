"""The resident list's first page at city scale: walking order kept on the row (Resident.sort_key, so that an index
gives a street's first 30 without sorting the street) and a count that may be the planner's estimate for a wide,
unfiltered list. The order itself is tested in test_room_order; here: every write that moves a home keeps the key."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from linli.areas.models import Building, Household
from linli.areas.querysets import home_sort_key, home_sort_key_sql
from linli.areas.services import save_building, save_household
from linli.core.views import approximate
from linli.residents.models import Resident
from linli.residents.services import update_resident
from linli.testing import SYSTEM, make_building, make_resident

pytestmark = pytest.mark.django_db


def expected_key(resident: Resident) -> str:
    h = Household.objects.select_related("building").get(pk=resident.household_id)
    return home_sort_key(h.building.number, h.entrance, h.floor, h.room)


def stored_key(resident: Resident) -> str:
    return Resident.objects.values_list("sort_key", flat=True).get(pk=resident.pk)


def test_the_key_sorts_as_the_walking_order():
    keys = [
        home_sort_key(2, 1, 1, "101"),
        home_sort_key(3, 1, -1, "B01"),  # a basement comes before the ground floor
        home_sort_key(3, 1, 1, "102"),
        home_sort_key(3, 1, 5, "502"),
        home_sort_key(3, 1, 10, "1003"),
        home_sort_key(3, 2, 1, "101"),
        home_sort_key(12, 1, 1, "101"),  # building 12 after building 3, not between 1 and 2
    ]
    assert sorted(keys) == keys


def test_the_sql_key_is_the_python_key(world):
    building = make_building(world.communities["e1"], world.grids["g1"], 7, entrances=1, floors=1, rooms=1)
    Household.objects.create(building=building, entrance=3, floor=-2, room="B-12")
    Household.objects.create(building=building, entrance=1, floor=11, room="1102")
    rows = Household.objects.filter(building=building).annotate(key=home_sort_key_sql()).select_related("building")
    for h in rows:
        assert h.key == home_sort_key(building.number, h.entrance, h.floor, h.room)


def test_a_new_resident_and_a_move_get_the_key_of_their_home(world):
    b1, b2 = world.buildings["b1"], world.buildings["b2"]
    resident = make_resident(b1, "孙迁", room="301", born=datetime.date(1970, 1, 1), seq=71)
    assert stored_key(resident) == expected_key(resident) != ""
    update_resident(resident, actor=SYSTEM, household=Household.objects.get(building=b2, entrance=2, room="602"))
    resident.refresh_from_db()
    assert resident.building_id == b2.pk and stored_key(resident) == expected_key(resident)


def test_renumbering_a_building_moves_its_residents_in_the_list(world, login):
    b1, b2 = world.buildings["b1"], world.buildings["b2"]
    first = make_resident(b1, "周一号", room="101", born=datetime.date(1970, 1, 1), seq=72)
    second = make_resident(b2, "吴二号", room="101", born=datetime.date(1970, 1, 1), seq=73)
    page = login(world.users["secretary"]).get(reverse("residents:resident_list"), {"q": ""}).content.decode()
    assert page.index("周一号") < page.index("吴二号")

    building = Building.objects.get(pk=b1.pk)
    building.number = 30
    save_building(building, SYSTEM)
    assert stored_key(first) == expected_key(first) and stored_key(first) > stored_key(second)
    page = login(world.users["secretary"]).get(reverse("residents:resident_list")).content.decode()
    assert page.index("吴二号") < page.index("周一号")


def test_moving_a_room_to_another_floor_moves_its_residents(world):
    b1 = world.buildings["b1"]
    resident = make_resident(b1, "郑搬层", room="201", born=datetime.date(1970, 1, 1), seq=74)
    household = Household.objects.get(pk=resident.household_id)
    household.floor = 9
    save_household(household, SYSTEM)
    assert stored_key(resident) == expected_key(resident)
    assert stored_key(resident)[15:20] == f"{9 + 32768:05d}"


def test_the_room_edit_page_keeps_the_key(world, login):
    resident = make_resident(world.buildings["b1"], "钱编辑", room="202", born=datetime.date(1970, 1, 1), seq=75)
    url = reverse("areas:household_edit", args=[resident.household_id])
    response = login(world.users["secretary"]).post(url, {"floor": "7", "floor_area": "", "note": ""})
    assert response.status_code == 302
    assert stored_key(resident) == expected_key(resident) and stored_key(resident)[15:20] == f"{7 + 32768:05d}"


def test_a_small_list_counts_exactly(world, login):
    page = login(world.users["street_admin"]).get(reverse("residents:resident_list"))
    total = Resident.objects.restrict(world.users["street_admin"]).active().count()
    text = page.content.decode()
    assert f'data-list-total="{total}"' in text and f"共 {total} 人" in text and "共 约" not in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
@override_settings(LINLI_LIST_EXACT_COUNT_MAX=1)
def test_a_wide_unfiltered_list_shows_the_estimate_and_a_filtered_one_counts(world, login):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Resident._meta.db_table}")  # the planner's statistics of the world's residents
    client = login(world.users["street_admin"])
    text = client.get(reverse("residents:resident_list")).content.decode()
    assert "共 约 " in text and "data-list-total" not in text
    grid = world.grids["g1"]
    filtered = client.get(reverse("residents:resident_list"), {"grid": grid.pk}).content.decode()
    total = Resident.objects.active().filter(grid=grid).count()
    assert f"共 {total} 人" in filtered


def test_sqlite_and_a_zero_limit_always_count_exactly(world, login, settings):
    settings.LINLI_LIST_EXACT_COUNT_MAX = 0
    text = login(world.users["street_admin"]).get(reverse("residents:resident_list")).content.decode()
    assert "共 约" not in text and "data-list-total" in text


def test_an_estimate_is_said_in_wan():
    assert approximate(82_340) == "约 8.2 万"
    assert approximate(80_000) == "约 8 万"
    assert approximate(1_004_548) == "约 100 万"
    assert approximate(3_456) == "约 3,456"


@override_settings(LINLI_LIST_EXACT_COUNT_MAX=1)
def test_a_user_without_an_area_sees_an_empty_list_not_an_error(world, login):
    response = login(world.users["nobody"]).get(reverse("residents:resident_list"))
    assert response.status_code == 200 and "共 0 人" in response.content.decode()
