"""The rollup: per-node values equal a recount from scratch after random changes, re-runs are idempotent, and the
history stocks count past days as they were."""

import datetime
import itertools
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.areas.models import Community, Grid, Street
from linli.core import shell
from linli.dashboards.models import DailyFigure, RollupRun
from linli.dashboards.rollup import days_between, nightly, rollup
from linli.residents.models import Resident
from linli.testing import make_resident
from linli.visits.models import Visit
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db


def stored(day) -> dict:
    return {(r.level, r.node_id, r.key): r.value for r in DailyFigure.objects.filter(day=day)}


def recount(day) -> dict:
    """Every registered figure counted node by node, each node on its own (the slow way the rollup avoids)."""
    found = {}
    nodes = [("street", pk) for pk in Street.objects.values_list("pk", flat=True)]
    nodes += [("community", pk) for pk in Community.objects.values_list("pk", flat=True)]
    nodes += [("grid", pk) for pk in Grid.objects.values_list("pk", flat=True)]
    for figure in shell.registry.dashboard_figures.values():
        for level, pk in nodes:
            if level == "grid" and not figure.grids:
                continue
            node = shell.FigureNode(level, pk)
            if figure.kind == shell.STOCK:
                rows = figure.compute(day, node)
            else:
                rows = [(c, g, v) for _d, c, g, v in figure.compute(day, day, node)]
            total = sum((Decimal(v) for _c, _g, v in rows), Decimal(0))
            if total:
                found[(level, pk, figure.key)] = total
    return found


#: Each new resident's own birthday: distinct ID numbers within a community.
BIRTHDAYS = (datetime.date(1940, 1, 1) + datetime.timedelta(days=n) for n in itertools.count())
CHANGES = st.lists(
    st.tuples(st.sampled_from(["resident", "leave", "visit", "appeal", "move"]), st.integers(0, 3)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=CHANGES)
def test_the_rollup_equals_a_recount_after_random_changes(world, changes):
    from linli.appeals.services import create_appeal
    from linli.residents.services import mark_resident_left
    from linli.testing import SYSTEM

    today = timezone.localdate()
    buildings = list(world.buildings.values())
    rollup([today])
    for n, (kind, index) in enumerate(changes):
        building = buildings[index % len(buildings)]
        residents = list(Resident.objects.active().filter(building=building))
        if kind == "resident":
            make_resident(building, f"新居民{n}", room=f"{index + 1}02", born=next(BIRTHDAYS), tags=["living_alone"])
        elif kind == "leave" and residents:
            mark_resident_left(residents[0], status="moved_out", date=today, actor=SYSTEM)
        elif kind == "visit" and residents:
            visit(residents[0], 0)
        elif kind == "appeal":
            create_appeal(
                actor=SYSTEM, building=building, category=None, text="楼道灯坏了", channel="phone",
                reporter_name="王阿姨", reporter_phone="13800001111",
            )  # fmt: skip
        elif kind == "move" and residents:
            Visit.objects.filter(resident=residents[0]).update(visited_on=today)
    rollup([today])
    assert stored(today) == recount(today)
    rows = DailyFigure.objects.count()
    rollup([today])
    assert DailyFigure.objects.count() == rows
    DailyFigure.objects.all().delete()
    RollupRun.objects.all().delete()


def test_a_grids_values_add_up_to_its_community_and_street(world):
    Resident.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))
    visit(world.residents["zhang"], -1)
    visit(world.residents["wang"], -1)
    day = timezone.localdate() - datetime.timedelta(days=1)
    rollup([day], today=timezone.localdate())
    values = stored(day)
    g1, g2 = world.grids["g1"].pk, world.grids["g2"].pk
    e1, east = world.communities["e1"].pk, world.streets["east"].pk
    assert values[("grid", g1, "visits.made")] == 1 and values[("grid", g2, "visits.made")] == 1
    assert values[("community", e1, "visits.made")] == 2 == values[("street", east, "visits.made")]
    assert values[("community", e1, "residents.population")] == 4
    assert values[("street", east, "residents.population")] == 5


def test_a_past_day_keeps_its_flows_and_the_stocks_with_history_only(world):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=40)
    visit(world.residents["zhang"], -40)
    Resident.objects.filter(pk=world.residents["li"].pk).update(created_at=timezone.now())
    Resident.objects.exclude(pk=world.residents["li"].pk).update(
        created_at=timezone.now() - datetime.timedelta(days=100)
    )
    report = rollup([long_ago], backfill=True, today=today)
    assert "visits.overdue" not in report.keys[long_ago]  # no history: not counted for a past day
    values = stored(long_ago)
    e1 = world.communities["e1"].pk
    assert values[("community", e1, "visits.made")] == 1
    assert values[("community", e1, "residents.population")] == 3  # 李四 was registered today
    run = RollupRun.objects.get(day=long_ago)
    assert "residents.population" in run.keys and "visits.overdue" not in run.keys


def test_the_nightly_run_counts_yesterday_and_two_months_of_flows(world):
    today = datetime.date(2026, 3, 15)
    report = nightly(today)
    assert report.days[0] == datetime.date(2026, 2, 1) and report.days[-1] == datetime.date(2026, 3, 14)
    assert "visits.overdue" in report.keys[datetime.date(2026, 3, 14)]
    assert "visits.overdue" not in report.keys[datetime.date(2026, 3, 13)]


def test_the_command_takes_a_date_or_a_start_and_refuses_bad_input(world, capsys):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    call_command("rollup", "--date", yesterday.isoformat())
    assert RollupRun.objects.filter(day=yesterday).exists()
    call_command("rollup", "--since", (yesterday - datetime.timedelta(days=2)).isoformat())
    assert RollupRun.objects.filter(day__gte=yesterday - datetime.timedelta(days=2)).count() == 3
    assert "统计" in capsys.readouterr().out
    from django.core.management.base import CommandError

    for args in (["--date", "2026-13-01"], ["--date", "2999-01-01"], ["--since", "2999-01-01"]):
        with pytest.raises(CommandError):
            call_command("rollup", *args)


def test_days_between_includes_both_ends():
    assert days_between(datetime.date(2026, 1, 30), datetime.date(2026, 2, 1)) == [
        datetime.date(2026, 1, 30),
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 1),
    ]


def test_the_history_stocks_count_a_range_of_days_as_each_day_on_its_own(world):
    """history_days (the backfill's one query) gives what compute gives day by day, at every level: residents
    registered, marked left and still active across the range, volunteers joined and struck off."""
    from linli.residents.choices import ResidentStatus
    from linli.volunteers.tests.helpers import volunteer

    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=12), today - datetime.timedelta(days=1)
    r = world.residents
    for n, key in enumerate(["zhang", "li", "chen", "wang", "zhao"]):
        Resident.objects.filter(pk=r[key].pk).update(created_at=timezone.now() - datetime.timedelta(days=15 - 3 * n))
    Resident.objects.filter(pk=r["li"].pk).update(
        status=ResidentStatus.MOVED_OUT, left_on=start + datetime.timedelta(5)
    )
    Resident.objects.filter(pk=r["zhao"].pk).update(status=ResidentStatus.DECEASED, left_on=end)
    Resident.objects.filter(pk=r["chen"].pk).update(status=ResidentStatus.MOVED_OUT, left_on=None)
    for n, (name, active) in enumerate([("甲", True), ("乙", True), ("丙", False), ("丁", True)]):
        volunteer(world, name=name, community=["e1", "e2"][n % 2], is_active=active,
                  joined_on=start + datetime.timedelta(days=4 * n - 2))  # fmt: skip
    nodes = [None, shell.FigureNode("street", world.streets["east"].pk)]
    nodes += [shell.FigureNode("community", c.pk) for c in world.communities.values()]
    nodes += [shell.FigureNode("grid", g.pk) for g in world.grids.values()]
    figures = [f for f in shell.registry.dashboard_figures.values() if f.history_days]
    assert {f.key for f in figures} >= {"residents.population", "volunteers.registered"}
    for figure in figures:
        for node in nodes:
            if node is not None and node.level == "grid" and not figure.grids:
                continue
            by_day = sorted((d, c, g, v) for d in days_between(start, end) for c, g, v in figure.compute(d, node) if v)
            assert sorted(figure.history_days(start, end, node)) == by_day, (figure.key, node)
    population = shell.registry.dashboard_figures["residents.population"]
    totals = Counter()
    for d, _c, _g, v in population.history_days(start, end, None):
        totals[d] += v
    assert len(set(totals.values())) > 2  # the range saw registrations and departures


def test_a_backfill_stores_the_history_stocks_of_each_past_day(world):
    today = timezone.localdate()
    days = days_between(today - datetime.timedelta(days=6), today - datetime.timedelta(days=1))
    for n, resident in enumerate(world.residents.values()):
        Resident.objects.filter(pk=resident.pk).update(created_at=timezone.now() - datetime.timedelta(days=n + 1))
    rollup(days, backfill=True, today=today)
    for d in days:
        population = {k: v for k, v in stored(d).items() if k[2] == "residents.population"}
        assert population == {k: v for k, v in recount(d).items() if k[2] == "residents.population"}, d
    assert stored(days[0]) != stored(days[-1])
