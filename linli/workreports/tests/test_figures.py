"""A report's figures are the dashboard's: the same numbers for a node and period, the change against the previous
month or year and the same month last year, the unresolved items from the alarm figures."""

import datetime

import pytest

from linli.dashboards.board import build_board
from linli.testing import SYSTEM
from linli.workreports import services
from linli.workreports.figures import report_figures
from linli.workreports.tests.helpers import appeal, months_ago, roll_months, this_month

pytestmark = pytest.mark.django_db


def values(figures) -> dict:
    return {row["key"]: row for s in figures["sections"] for row in s["rows"]}


def test_this_months_report_shows_the_dashboards_figures_for_the_node(world):
    b1 = world.buildings["b1"]
    appeal(b1, this_month())
    appeal(world.buildings["b3"], this_month())  # 东二: not in 东一's report
    secretary = world.users["secretary"]
    e1 = world.communities["e1"]
    month = this_month()
    figures = report_figures(secretary, "community", e1.pk, "month", month.year, month.month)
    board = build_board(secretary, "community", e1)
    cells = {c.key: c.value for _f, cs in board.families for c in cs}
    rows = values(figures)
    assert cells and {k: rows[k]["value"] for k in cells} == cells
    assert rows["appeals.received"]["value"] == 1
    assert [s["label"] for s in figures["sections"]] == [f.label for f, _c in board.families]


def test_a_past_months_figures_equal_the_dashboards_trend_for_that_month(world):
    appeal(world.buildings["b1"], months_ago(1) + datetime.timedelta(days=3))
    appeal(world.buildings["b2"], months_ago(1) + datetime.timedelta(days=5))
    roll_months(months_ago(1))
    admin = world.users["street_admin"]
    east = world.streets["east"]
    last = months_ago(1)
    rows = values(report_figures(admin, "street", east.pk, "month", last.year, last.month))
    board = build_board(admin, "street", east)
    trend = {s["key"]: s["data"][-2] for t in board.trends for s in t["series"]}
    assert {k: rows[k]["value"] for k in trend} == trend
    assert rows["appeals.received"]["value"] == 2


def test_it_compares_with_last_month_and_the_same_month_last_year(world):
    b1 = world.buildings["b1"]
    last, before, year_ago = months_ago(1), months_ago(2), months_ago(13)
    for day, count in ((last, 3), (before, 1), (year_ago, 5)):
        for n in range(count):
            appeal(b1, day + datetime.timedelta(days=n))
    roll_months(year_ago, before, last)
    e1 = world.communities["e1"]
    figures = report_figures(world.users["secretary"], "community", e1.pk, "month", last.year, last.month)
    received = values(figures)["appeals.received"]
    assert received["value"] == 3
    assert received["compare"] == [{"value": 1, "change": 2}, {"value": 5, "change": -2}]
    assert [c["label"] for c in figures["compare"]] == ["上月", "去年同期"]
    assert figures["compare"][1]["period"] == f"{year_ago.year}年{year_ago.month}月"
    # A month nobody counted is “—”, and so is its change.
    unknown = months_ago(4)
    rows = values(report_figures(world.users["secretary"], "community", e1.pk, "month", unknown.year, unknown.month))
    assert rows["appeals.received"]["value"] is None and rows["appeals.received"]["compare"][0]["change"] is None


def test_a_yearly_report_sums_the_flows_of_the_year_and_compares_with_last_year(world):
    b1 = world.buildings["b1"]
    first = datetime.date(this_month().year, 1, 1)
    appeal(b1, this_month())  # live
    earlier = [m for m in (months_ago(1), months_ago(2)) if m >= first]
    for m in earlier:
        appeal(b1, m + datetime.timedelta(days=1))
    if earlier:
        roll_months(*earlier)
    e1 = world.communities["e1"]
    figures = report_figures(world.users["secretary"], "community", e1.pk, "year", first.year, None)
    assert values(figures)["appeals.received"]["value"] == 1 + len(earlier)
    assert [c["label"] for c in figures["compare"]] == ["上年"]
    assert figures["live"] is True


def test_the_unresolved_items_are_the_alarm_figures_with_their_lists(world):
    from django.utils import timezone

    from linli.appeals.models import Appeal

    late = appeal(world.buildings["b1"], this_month())
    Appeal.objects.filter(pk=late.pk).update(current_due=timezone.now() - datetime.timedelta(days=1))
    e1 = world.communities["e1"]
    figures = report_figures(
        world.users["secretary"], "community", e1.pk, "month", this_month().year, this_month().month
    )
    items = {i["label"]: i for s in figures["sections"] for i in s["unresolved"]}
    assert items["当前超期"]["value"] == 1 and "overdue=1" in items["当前超期"]["link"]


def test_a_staff_members_report_has_only_the_families_they_may_read(world):
    staff_families = {
        s["name"]
        for s in report_figures(
            world.users["staff"],
            "community",
            world.communities["e1"].pk,
            "month",
            this_month().year,
            this_month().month,
        )["sections"]
    }
    report = services.create_report(
        actor=SYSTEM, level="community", node_id=world.communities["e1"].pk, period="month",
        year=this_month().year, month=this_month().month,
    )  # fmt: skip
    assert staff_families and staff_families <= set(services.section_names(report, None))
