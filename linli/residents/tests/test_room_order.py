"""Rooms sort as numbers (102 before 502 before 1003) in the resident list, its export, the API and the print
ledger: one ordering (residents.filtersets.LIST_ORDERING, built on areas.querysets.room_order)."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from linli.testing import make_building, make_resident

pytestmark = pytest.mark.django_db

ROOMS = ["1003", "102", "502", "1001"]
EXPECTED = ["住102", "住502", "住1001", "住1003"]


@pytest.fixture
def tower(world):
    building = make_building(world.communities["e1"], world.grids["g1"], 9, entrances=1, floors=10, rooms=3)
    for i, room in enumerate(ROOMS):
        make_resident(building, f"住{room}", room=room, seq=20 + i, born=datetime.date(1960, 1, 1), phone="")
    return building


def in_order(text: str) -> list[str]:
    found = [(text.index(name), name) for name in EXPECTED if name in text]
    return [name for _, name in sorted(found)]


def test_the_resident_list_sorts_rooms_as_numbers(tower, world, login):
    page = login(world.users["secretary"]).get(reverse("residents:resident_list"), {"building": tower.pk})
    assert in_order(page.content.decode()) == EXPECTED


def test_the_export_sorts_rooms_as_numbers(tower, world, login):
    response = login(world.users["secretary"]).get(reverse("ledgers:resident_export"), {"building": tower.pk})
    data = b"".join(response.streaming_content)
    table = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("居民台账").to_python()
    column = table[0].index("姓名")
    assert [row[column] for row in table[1:]] == EXPECTED


def test_the_print_ledger_uses_the_same_order(tower, world, login):
    page = login(world.users["secretary"]).get(reverse("ledgers:print_building", args=[tower.pk]))
    assert in_order(page.content.decode()) == EXPECTED
