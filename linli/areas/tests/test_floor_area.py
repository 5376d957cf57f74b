"""A household's 建筑面积 (floor_area): written the way people write it, in the household form, shown on the
household page and in the building drawing's tooltip, and in the change log as a person reads it."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from linli.areas.floor_area import FloorAreaError, format_floor_area, parse_floor_area
from linli.areas.models import Household
from linli.areas.templatetags.buildings import floor_rows
from linli.core.models import ChangeRecord


@pytest.mark.parametrize(
    "text,area",
    [
        ("89.5", Decimal("89.50")),
        ("89.5㎡", Decimal("89.50")),
        ("89.5平方米", Decimal("89.50")),
        ("89.5平", Decimal("89.50")),
        ("89.5 平米", Decimal("89.50")),
        ("８９．５", Decimal("89.50")),  # full-width, as some ledgers are typed
        ("120m2", Decimal("120.00")),
        ("75.456", Decimal("75.46")),
        (89.5, Decimal("89.50")),  # a number cell
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_an_area_is_read_as_people_write_it(text, area):
    assert parse_floor_area(text) == area


@pytest.mark.parametrize("text", ["八十九", "89.5亩", "约90", "0", "-3", "20000", "NaN", "89.5.1"])
def test_an_area_that_is_not_one_is_refused_with_a_chinese_message(text):
    with pytest.raises(FloorAreaError, match="建筑面积"):
        parse_floor_area(text)


def test_an_area_is_shown_without_trailing_zeros():
    assert format_floor_area(Decimal("89.50")) == "89.5㎡"
    assert format_floor_area(Decimal("100.00")) == "100㎡"
    assert format_floor_area(None) == ""


@pytest.mark.django_db
def test_a_room_added_with_an_area_keeps_it_and_logs_it_as_written(world, login):
    client = login(world.users["grid_worker_1"])
    b1 = world.buildings["b1"]
    response = client.post(
        reverse("areas:household_add"),
        {"building": b1.pk, "entrance": 1, "floor": 1, "room": "商铺1", "floor_area": "89.5㎡"},
    )
    assert response.status_code == 302
    household = Household.objects.get(building=b1, room="商铺1")
    assert household.floor_area == Decimal("89.50")
    record = ChangeRecord.objects.filter(object_id=household.pk, content_type__model="household").get()
    assert record.changes["建筑面积（㎡）"] == [None, "89.5"]


@pytest.mark.django_db
def test_editing_a_room_sets_and_clears_its_area(world, login):
    client = login(world.users["secretary"])
    household = world.residents["zhang"].household
    url = reverse("areas:household_edit", args=[household.pk])
    assert client.post(url, {"floor": household.floor, "floor_area": "102.3平方米"}).status_code == 302
    household.refresh_from_db()
    assert household.floor_area == Decimal("102.30")
    form = client.get(url).context["form"]
    assert 'value="102.3"' in str(form["floor_area"])
    assert client.post(url, {"floor": household.floor, "floor_area": ""}).status_code == 302
    household.refresh_from_db()
    assert household.floor_area is None


@pytest.mark.django_db
def test_a_bad_area_is_refused_in_chinese_and_nothing_changes(world, login):
    client = login(world.users["secretary"])
    household = world.residents["zhang"].household
    before = ChangeRecord.objects.count()
    response = client.post(
        reverse("areas:household_edit", args=[household.pk]), {"floor": household.floor, "floor_area": "九十平"}
    )
    assert response.status_code == 200
    assert "不是数字" in str(response.context["form"].errors["floor_area"])
    household.refresh_from_db()
    assert household.floor_area is None and ChangeRecord.objects.count() == before


@pytest.mark.django_db
def test_the_household_page_and_the_building_drawing_show_the_area(world, login):
    household = world.residents["zhang"].household
    Household.objects.filter(pk=household.pk).update(floor_area=Decimal("89.50"))
    client = login(world.users["grid_worker_1"])
    assert "建筑面积89.5㎡" in client.get(reverse("areas:household_detail", args=[household.pk])).text
    drawing = client.get(reverse("areas:building_detail", args=[household.building_id])).text
    assert f'title="{household.room}：' in drawing and '89.5㎡">' in drawing


def test_a_room_cell_without_an_area_says_nothing_of_it():
    room = SimpleNamespace(pk=7, room="502", people=2, color="", tag_list=[], floor_area=None)
    assert 'title="502：2人"' in floor_rows([{"floor": 5, "rooms": [room]}])
    room.floor_area = Decimal("75.00")
    assert 'title="502：2人 75㎡"' in floor_rows([{"floor": 5, "rooms": [room]}])
