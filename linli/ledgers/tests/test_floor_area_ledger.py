"""建筑面积 in the ledger: an optional column read as people write it (row errors in Chinese, empty is no area),
set on new rooms and on existing ones, exported as a number and offered by the import template."""

from decimal import Decimal

import pytest

from linli.areas.models import Household
from linli.core.models import ChangeRecord
from linli.ledgers.importer import detect_mapping, run_import
from linli.ledgers.template import COMMENTS
from linli.ledgers.template import HEADERS as TEMPLATE_HEADERS
from linli.ledgers.tests.test_export import content, fetch, records
from linli.ledgers.tests.test_importer import CLI, table_of

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "楼栋", "单元", "房号", "建筑面积"]


def run(rows, community, *, dry_run=False, headers=HEADERS):
    table = table_of(rows, headers=headers)
    return run_import(table, detect_mapping(table.headers), community, actor=CLI, dry_run=dry_run)


def area_of(building_name, room, entrance=1):
    return Household.objects.get(building__name=building_name, entrance=entrance, room=room).floor_area


@pytest.mark.parametrize("header", ["建筑面积", "建筑面积（㎡）", "房屋面积", "面积"])
def test_the_column_is_recognised_by_the_names_ledgers_use(header):
    assert detect_mapping(["姓名", "楼栋", "房号", header]) == {0: "name", 1: "building", 2: "room", 3: "floor_area"}


def test_new_rooms_get_the_area_however_it_is_written(world):
    e1 = world.communities["e1"]
    report = run(
        [
            ["周一", "7栋", 1, "101", "89.5"],
            ["周二", "7栋", 1, "102", "89.5㎡"],
            ["周三", "7栋", 1, "201", "76.25平方米"],
            ["周四", "7栋", 1, "202", "120平"],
            ["周五", "7栋", 1, "301", 95.5],
            ["周六", "7栋", 1, "302", ""],
        ],
        e1,
    )
    assert report.errors == [] and report.households_created == 6
    assert [area_of("7栋", r) for r in ("101", "102", "201", "202", "301", "302")] == [
        Decimal("89.50"),
        Decimal("89.50"),
        Decimal("76.25"),
        Decimal("120.00"),
        Decimal("95.50"),
        None,
    ]


def test_a_bad_area_is_a_row_error_keyed_by_the_column_and_the_row_is_skipped(world):
    e1 = world.communities["e1"]
    report = run([["周一", "7栋", 1, "101", "八十九平"], ["周二", "7栋", 1, "102", "-5"]], e1)
    assert [(e.row, e.column) for e in report.errors] == [(3, "建筑面积"), (4, "建筑面积")]
    assert "不是数字" in report.errors[0].message and "应大于0" in report.errors[1].message
    assert report.created == 0 and not Household.objects.filter(building__name="7栋").exists()


def test_an_existing_room_gets_its_area_with_a_change_record_and_keeps_it_when_the_cell_is_empty(world):
    e1 = world.communities["e1"]
    zhang = world.residents["zhang"]
    home = zhang.household
    report = run([["张三", "1栋", home.entrance, home.room, "88.8平米"]], e1)
    assert report.errors == [] and report.households_updated == 1 and report.skipped == 1
    home.refresh_from_db()
    assert home.floor_area == Decimal("88.80")
    record = ChangeRecord.objects.filter(content_type__model="household", object_id=home.pk).get()
    assert record.changes == {"建筑面积（㎡）": [None, "88.8"]} and record.actor_label.startswith("导入")
    # An empty cell is no information: the area stays (as every other cell of a matched row).
    report = run([["张三", "1栋", home.entrance, home.room, ""]], e1)
    assert report.households_updated == 0
    home.refresh_from_db()
    assert home.floor_area == Decimal("88.80")
    # The same area again changes nothing.
    assert run([["张三", "1栋", home.entrance, home.room, "88.8"]], e1).households_updated == 0


def test_a_dry_run_counts_the_areas_it_would_set_and_writes_nothing(world):
    home = world.residents["zhang"].household
    report = run([["张三", "1栋", home.entrance, home.room, "70"]], world.communities["e1"], dry_run=True)
    assert report.households_updated == 1 and report.dry_run
    home.refresh_from_db()
    assert home.floor_area is None


def test_two_rows_of_one_room_with_different_areas_are_refused(world):
    report = run([["周一", "7栋", 1, "101", "89.5"], ["周二", "7栋", 1, "101", "90"]], world.communities["e1"])
    assert [(e.row, e.column) for e in report.errors] == [(4, "建筑面积")]
    assert "第3行" in report.errors[0].message and "89.5㎡" in report.errors[0].message
    assert area_of("7栋", "101") == Decimal("89.50") and report.created == 1


def test_the_export_writes_the_area_as_a_number_next_to_the_room(world, login):
    home = world.residents["zhang"].household
    Household.objects.filter(pk=home.pk).update(floor_area=Decimal("89.50"))
    data = content(fetch(login(world.users["staff"])))
    rows = {r["姓名"]: r for r in records(data)}
    assert rows["张三"]["建筑面积"] == 89.5
    assert rows["王五"]["建筑面积"] in (None, "")
    headers = list(rows["张三"])
    assert headers.index("建筑面积") == headers.index("房号") + 1


def test_an_exported_ledger_imports_back_with_its_areas(world, login):
    home = world.residents["zhang"].household
    Household.objects.filter(pk=home.pk).update(floor_area=Decimal("89.50"))
    data = content(fetch(login(world.users["staff"])))
    zhang = {r["姓名"]: r for r in records(data)}["张三"]
    Household.objects.filter(pk=home.pk).update(floor_area=None)
    cells = [zhang[h] for h in HEADERS]
    assert run([cells], world.communities["e1"]).households_updated == 1
    home.refresh_from_db()
    assert home.floor_area == Decimal("89.50")


def test_the_template_offers_the_column_with_its_rule():
    assert TEMPLATE_HEADERS[TEMPLATE_HEADERS.index("房号") + 1] == "建筑面积"
    assert "89.5㎡" in COMMENTS["建筑面积"]
