"""数据看板 at city scale: p95 of each level's dashboard (street, community, grid) and the nightly rollup's time.

Run on PostgreSQL with city-scale data:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/python bench/dashboards.py [--runs 30]
    ... bench/dashboards.py --rollup          # also time the nightly rollup: it WRITES (DailyFigure rows), so
                                              # only on your own copy of the database

Read-only without --rollup: the views are called with RequestFactory and an existing street administrator (the
demo's jiedao; no login, no session), the live figures' cache off (LINLI_FIGURES_CACHE_SECONDS=0: every run counts
afresh), so the times are the cold cost of a page. The nodes are that administrator's street, its largest community
and that community's largest grid. On a database without the dashboards' tables (migration dashboards 0001 not
applied) the pages' trend queries fail: the bench then times the live figures alone
(linli.dashboards.board.live_rows) and says so.
Goals (issue 22): every dashboard p95 <= 300 ms; the nightly rollup <= 10 minutes for the city.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
os.environ.setdefault("LINLI_DEBUG", "0")  # as in production: DEBUG keeps a log of every query
os.environ["LINLI_FIGURES_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.accounts.models import AreaAssignment  # noqa: E402
from linli.areas.models import Community, Grid, Street  # noqa: E402
from linli.core import shell  # noqa: E402
from linli.dashboards.board import figures_for, live_rows  # noqa: E402
from linli.dashboards.views import DashboardView  # noqa: E402
from linli.residents.models import Resident  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import ms  # noqa: E402

GOAL_MS = 300
ROLLUP_GOAL_S = 600


def largest(model, field, **within):
    """The node of `model` with the most active residents (`field`: the resident's column of that level)."""
    rows = (
        Resident.objects.filter(status="active", **within)
        .values(field)
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list(field, "n")[:1]
    )
    pk, n = rows[0]
    return model.objects.get(pk=pk), n


def has_tables() -> bool:
    return "dashboards_dailyfigure" in connection.introspection.table_names()


def time_page(user, level, node, runs, warm=2):
    view = DashboardView.as_view(level=level)
    factory = RequestFactory()
    times, queries = [], 0
    for i in range(warm + runs):
        request = factory.get(f"/dashboards/{level}/{node.pk}/")
        request.user = user
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = view(request, pk=node.pk)
            response.render()
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        if i >= warm:
            times.append(elapsed)
            queries = len(ctx.captured_queries)
    return times, queries


def time_live(user, level, node, runs, warm=2):
    figures = [f for _fam, figs, _r in figures_for(user, level) for f in figs]
    today = timezone.localdate()
    figure_node = shell.FigureNode(level, node.pk)
    times = []
    for i in range(warm + runs):
        start = time.perf_counter()
        live_rows(figure_node, figures, today)
        if i >= warm:
            times.append(time.perf_counter() - start)
    return times, len(figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rollup", action="store_true", help="also time the nightly rollup (writes!)")
    args = parser.parse_args()
    # A real street administrator (the demo's jiedao): the pages read per-user cached facts keyed by the user's row.
    assignment = (
        AreaAssignment.objects.filter(user__role=Role.STREET_ADMIN, user__is_active=True, street__isnull=False)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if assignment is None:
        sys.exit("没有分配到街道的街道管理员账号：先运行 linli demo")
    user = assignment.user
    street, n_street = largest(Street, "street_id", street_id=assignment.street_id)
    community, n_community = largest(Community, "community_id", street_id=street.pk)
    grid, n_grid = largest(Grid, "grid_id", community_id=community.pk)
    tables = has_tables()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; residents {Resident.objects.count():,}; "
        f"dashboards tables: {'yes' if tables else 'no (live figures only)'}"
    )
    print(f"{'level':<10} {'node':<16} {'residents':>10} {'what':<12} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}  goal")
    for level, node, n in (("street", street, n_street), ("community", community, n_community), ("grid", grid, n_grid)):
        if tables:
            times, queries = time_page(user, level, node, args.runs)
            what = "page"
        else:
            times, queries = time_live(user, level, node, args.runs)
            what = "live figures"
        p95 = ms(times, 95)
        verdict = "ok" if p95 <= GOAL_MS else "OVER"
        print(
            f"{level:<10} {node.name[:14]:<16} {n:>10,} {what:<12} {ms(times, 50):>8.0f} {p95:>8.0f} {queries:>8}  "
            f"{verdict} (<= {GOAL_MS})"
        )
    time_screens_and_reports(user, street, community, args.runs)
    if args.rollup:
        from linli.dashboards.rollup import nightly

        start = time.perf_counter()
        report = nightly()
        seconds = time.perf_counter() - start
        verdict = "ok" if seconds <= ROLLUP_GOAL_S else "OVER"
        print(f"nightly rollup: {seconds:.1f} s, {report.rows:,} rows, {len(report.days)} days  {verdict} (<= 600 s)")


def time_screens_and_reports(user, street, community, runs):
    """社区大屏's data (what the display fetches every LINLI_BIGSCREEN_REFRESH_SECONDS, uncached here), the 好人好事墙
    (uncached) and a monthly 工作报告's figures (the page and the PDF read them; a draft computes them afresh), for
    the same street and community. Read-only: the screens are built in memory, never saved."""
    from linli.bigscreen.figures import screen_figures
    from linli.bigscreen.models import Screen
    from linli.bigscreen.wall import public_wall
    from linli.workreports.figures import report_figures

    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    cases = [
        ("大屏 data", "street", street, lambda: screen_figures(Screen(street=street, panels=[]), today=today)),
        (
            "大屏 data",
            "community",
            community,
            lambda: screen_figures(Screen(street=street, community=community, panels=[]), today=today),
        ),
        ("好人好事墙", "street", street, lambda: public_wall("street", street.pk)),
        ("好人好事墙", "community", community, lambda: public_wall("community", community.pk)),
        (
            "工作报告 月报",
            "street",
            street,
            lambda: report_figures(user, "street", street.pk, "month", last_month.year, last_month.month, today=today),
        ),
        (
            "工作报告 月报",
            "community",
            community,
            lambda: report_figures(
                user, "community", community.pk, "month", last_month.year, last_month.month, today=today
            ),
        ),
    ]
    for what, level, node, compute in cases:
        times, queries = [], 0
        for i in range(2 + runs):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                compute()
                elapsed = time.perf_counter() - start
            if i >= 2:
                times.append(elapsed)
                queries = len(ctx.captured_queries)
        p95 = ms(times, 95)
        verdict = "ok" if p95 <= GOAL_MS else "OVER"
        print(
            f"{level:<10} {node.name[:14]:<16} {'':>10} {what:<12} {ms(times, 50):>8.0f} {p95:>8.0f} {queries:>8}  "
            f"{verdict} (<= {GOAL_MS})"
        )


if __name__ == "__main__":
    main()
