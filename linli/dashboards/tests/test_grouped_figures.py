"""The live figures of a family's shared rows (core.figures.Counted: the appeals received, the care-group residents…)
come from one grouped query with conditional aggregates, and equal the figures counted one query each, as before —
on the demo, for a street, a community and a grid."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.areas.models import Community, Grid
from linli.core import shell
from linli.core.figures import Part
from linli.dashboards.board import live_rows, month_start, number


def one_by_one(node, figures, today) -> dict:
    """Each figure counted alone (its compute, a query each): what the dashboards did before the grouping."""
    rows = {}
    for figure in figures:
        if figure.kind == shell.STOCK:
            found = figure.compute(today, node)
        else:
            summed = defaultdict(Decimal)
            for _day, c, g, v in figure.compute(month_start(today), today, node):
                summed[(c, g)] += Decimal(v)
            found = [(c, g, v) for (c, g), v in summed.items()]
        rows[figure.key] = found
    return rows


def shown(rows: dict) -> dict:
    """Per figure, its (community, grid) values as the page prints them (zeros are no row)."""
    return {key: sorted((c or 0, g or 0, number(v)) for c, g, v in found if v) for key, found in rows.items()}


def test_the_grouped_figures_equal_the_figures_counted_one_by_one(demo_output, db):
    today = timezone.localdate()
    figures = list(shell.registry.dashboard_figures.values())
    assert sum(isinstance(f.compute, Part) for f in figures) >= 15
    community = Community.objects.get(code="qinghejuju")
    grid = Grid.objects.get(community=community, number=1)
    for node in (
        shell.FigureNode("street", community.street_id),
        shell.FigureNode("community", community.pk),
        shell.FigureNode("grid", grid.pk),
        None,
    ):
        counted = [f for f in figures if f.grids or node is None or node.level != "grid"]  # as figures_for
        grouped, alone = shown(live_rows(node, counted, today)), shown(one_by_one(node, counted, today))
        assert grouped == alone, node
        assert grouped["visits.care_due"] and grouped["visits.overdue"], node  # the demo has rows to compare


def test_each_shared_rows_are_one_query(world):
    today = timezone.localdate()
    figures = list(shell.registry.dashboard_figures.values())
    groups = {(f.compute.counted, f.kind) for f in figures if isinstance(f.compute, Part)}
    alone = [f for f in figures if not isinstance(f.compute, Part)]
    node = shell.FigureNode("street", world.streets["east"].pk)
    with CaptureQueriesContext(connection) as ctx:
        live_rows(node, figures, today)
    assert len(ctx.captured_queries) == len(groups) + len(alone) < len(figures) - 10
    appeals = [q["sql"] for q in ctx.captured_queries if 'FROM "appeals_appeal"' in q["sql"]]
    assert len(appeals) == 2  # the month's received appeals (seven figures), the open ones (two)


@pytest.mark.parametrize("key", ["visits.on_time", "appeals.overdue", "lovebank.spent", "places.hours"])
def test_a_share_counted_alone_is_the_figure_of_one_day(world, key):
    """The nightly rollup counts each figure alone, a day at a time: the same rows as the grouped query."""
    figure = shell.registry.dashboard_figures[key]
    today = timezone.localdate()
    node = shell.FigureNode("street", world.streets["east"].pk)
    args = (today,) if figure.kind == shell.STOCK else (today, today)
    alone = figure.compute(*args, node)
    grouped = figure.compute.counted.tally_parts([figure.compute], args, node)[0]
    if figure.kind == shell.FLOW:
        alone = [(c, g, v) for _d, c, g, v in alone]
    assert sorted(alone) == sorted(grouped)


def test_a_past_days_population_is_counted_as_it_was_not_with_todays_residents(world):
    """在册居民 shares the active residents' query today only; a past day (a report's, a screen's) keeps its history."""
    import datetime

    population = shell.registry.dashboard_figures["residents.population"]
    node = shell.FigureNode("street", world.streets["east"].pk)
    today = timezone.localdate()
    assert population.compute.shares((today,)) and not population.compute.shares((today - datetime.timedelta(1),))
    for day in (today, today - datetime.timedelta(days=10)):
        assert shown(live_rows(node, [population], day)) == shown({population.key: population.compute(day, node)})
