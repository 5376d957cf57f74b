"""走访统计: per-grid coverage, lateness buckets, households known, field days, scope and drill-down."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.accounts.choices import Role
from linli.areas.models import Grid
from linli.core.audit import actor_of
from linli.testing import make_building, make_resident, make_user
from linli.visits.coverage import coverage_report
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db


def overdue_world(world):
    """东一 grid 1: 张三 8-30 days late, 陈奶奶 1-7, 李四 31+; grid 2: 王五 on time; 东二: one 1-7 late."""
    visit(world.residents["zhang"], -17)  # 7-day interval: due 10 days ago
    visit(world.residents["chen"], -9)  # 7-day interval: due 2 days ago
    visit(world.residents["li"], -80)  # 30-day interval: due 50 days ago
    # Same household as 张三: the household is counted once.
    make_resident(world.buildings["b1"], "张小", room="101", seq=11, born=datetime.date(1990, 1, 1))
    # Grid 2: a household visited too long ago, and one where nobody was home: neither is known.
    old = make_resident(world.buildings["b2"], "周八", room="302", seq=12, born=datetime.date(1980, 1, 1))
    visit(old, -400)
    missed = make_resident(world.buildings["b2"], "吴九", room="401", seq=13, born=datetime.date(1980, 1, 1))
    visit(missed, -3, "not_home")
    # 东二 (secretary: out of scope; street admin: in scope).
    visit(make_resident(world.buildings["b3"], "郑十", room="201", seq=14, tags=["living_alone"]), -10)
    # 西街: out of everyone's scope here.
    visit(make_resident(world.buildings["b4"], "钱一", room="201", seq=15, tags=["living_alone"]), -60)


def rows_by_label(report):
    return {row.label: row for row in report.grids}


def test_grid_rows_percentages_buckets_and_households_known(world):
    overdue_world(world)
    report = coverage_report(world.users["secretary"])
    rows = rows_by_label(report)
    assert list(rows) == ["东一社区 东一第1网格", "东一社区 东一第2网格"]
    g1, g2 = rows["东一社区 东一第1网格"], rows["东一社区 东一第2网格"]
    assert (g1.care, g1.on_time, g1.on_time_pct) == (3, 0, 0)
    assert (g1.late_1_7, g1.late_8_30, g1.late_31, g1.overdue) == (1, 1, 1, 3)
    assert (g1.households, g1.known, g1.known_pct, g1.known_meets_goal) == (3, 3, 100, True)
    assert (g2.care, g2.on_time, g2.on_time_pct, g2.overdue) == (1, 1, 100, 0)
    assert (g2.households, g2.known, g2.known_pct, g2.known_meets_goal) == (3, 0, 0, False)
    total = report.total
    assert (total.care, total.on_time, total.on_time_pct) == (4, 1, 25)
    assert (total.late_1_7, total.late_8_30, total.late_31) == (1, 1, 1)
    assert (total.households, total.known, total.known_pct, total.known_meets_goal) == (6, 3, 50, False)


def test_bucket_edges(world):
    # 7-day interval: a visit 14 days ago is 7 days late, 15 days ago 8 days late; 37/38 days ago: 30/31 late.
    b1 = world.buildings["b1"]
    people = {}
    for seq, ago in enumerate((14, 15, 37, 38, 7), start=20):
        people[ago] = make_resident(b1, f"边界{ago}", room=f"{seq - 19}02", seq=seq, tags=["living_alone"])
        visit(people[ago], -ago)
    g1 = rows_by_label(coverage_report(world.users["secretary"]))["东一社区 东一第1网格"]
    # 张三, 陈奶奶, 李四 are on time (registered today); the one visited 7 days ago is due today: on time.
    assert (g1.late_1_7, g1.late_8_30, g1.late_31) == (1, 2, 1)
    assert g1.on_time == 4 and g1.care == 8


def test_overdue_by_care_group(world):
    overdue_world(world)
    report = coverage_report(world.users["secretary"])
    tags = {t.tag.code: t for t in report.tags}
    assert (tags["living_alone"].members, tags["living_alone"].late_1_7, tags["living_alone"].late_8_30) == (2, 1, 1)
    assert tags["living_alone"].overdue == 2
    assert (tags["disabled"].members, tags["disabled"].late_31, tags["disabled"].overdue) == (1, 1, 1)
    assert (tags["empty_nest"].members, tags["empty_nest"].overdue) == (1, 0)
    assert "elderly60" not in tags  # no visit interval: not a care group


def test_field_days_per_worker(world):
    w1, w2 = world.users["grid_worker_1"], world.users["grid_worker_2"]
    idle = make_user("grid_worker_3", Role.GRID_WORKER, world.grids["g1"])
    visit(world.residents["zhang"], 0, actor=actor_of(w1))
    visit(world.residents["chen"], 0, actor=actor_of(w1))
    visit(world.residents["li"], -2, "not_home", actor=actor_of(w1))
    visit(world.residents["zhang"], -6, "phone", actor=actor_of(w1))  # a call is not a field day
    visit(world.residents["chen"], -7, actor=actor_of(w1))  # outside the last 7 days
    for ago in (1, 3, 5):
        visit(world.residents["wang"], -ago, actor=actor_of(w2))
    workers = {w.user.username: w for w in coverage_report(world.users["secretary"]).workers}
    assert (workers["grid_worker_1"].visits, workers["grid_worker_1"].field_days) == (4, 2)
    assert not workers["grid_worker_1"].meets_goal
    assert (workers["grid_worker_2"].visits, workers["grid_worker_2"].field_days) == (3, 3)
    assert workers["grid_worker_2"].meets_goal
    assert (workers[idle.username].visits, workers[idle.username].field_days) == (0, 0)
    # The worker of 东二 is not the secretary's.
    make_user("grid_worker_e2", Role.GRID_WORKER, world.grids["g3"])
    assert "grid_worker_e2" not in {w.user.username for w in coverage_report(world.users["secretary"]).workers}
    assert "grid_worker_e2" in {w.user.username for w in coverage_report(world.users["street_admin"]).workers}


def test_the_page_shows_the_scope_and_highlights_goals(world, login):
    overdue_world(world)
    body = login(world.users["secretary"]).get(reverse("visits:coverage")).content.decode()
    assert "东一第1网格" in body and "东一第2网格" in body
    assert "东二第1网格" not in body and "西一第1网格" not in body
    assert '<span class="goal-met">100% ✓</span>' in body  # grid 1 households known
    assert '<mark class="goal-missed">50%</mark>' in body  # the total is below 70%
    g1 = world.grids["g1"]
    assert f'href="/visits/coverage/overdue/?grid={g1.pk}&amp;late=8-30"' in body
    assert "走访统计" in body  # the nav item

    body = login(world.users["street_admin"]).get(reverse("visits:coverage")).content.decode()
    assert "东二第1网格" in body and "西一第1网格" not in body
    report = coverage_report(world.users["street_admin"])
    assert rows_by_label(report)["东二社区 东二第1网格"].late_1_7 == 1
    assert report.total.overdue == 4


def test_roles_without_the_permission_get_403_and_no_nav_item(world, login):
    for persona in ("dept_handler", "volunteer"):
        client = login(world.users[persona])
        assert client.get(reverse("visits:coverage")).status_code == 403
        assert client.get(reverse("visits:coverage_overdue")).status_code == 403
        assert "走访统计" not in client.get(reverse("core:home")).content.decode()


def test_a_grid_worker_reads_the_coverage_of_their_own_grid_only(world, login):
    overdue_world(world)
    g1, g2 = world.grids["g1"], world.grids["g2"]
    client = login(world.users["grid_worker_1"])
    response = client.get(reverse("visits:coverage"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "东一第1网格" in body and "东一第2网格" not in body and "东二第1网格" not in body
    assert "走访统计" in client.get(reverse("core:home")).content.decode()  # the nav item
    report = response.context["report"]
    assert [row.label for row in report.grids] == ["东一社区 东一第1网格"]
    assert (report.total.care, report.total.overdue) == (3, 3)
    assert {w.user.username for w in report.workers} == {"grid_worker_1"}
    # the drill-down links of the page open, with the count the page shows
    assert f'href="/visits/coverage/overdue/?grid={g1.pk}&amp;late=8-30"' in body
    url = reverse("visits:coverage_overdue")
    assert client.get(url, {"grid": g1.pk, "late": "8-30"}).context["page"].paginator.count == 1
    assert client.get(url).context["page"].paginator.count == 3
    living_alone = world.tag("living_alone")
    assert client.get(url, {"tag": living_alone.pk}).context["page"].paginator.count == 2
    # another grid of the same community is not theirs
    assert client.get(url, {"grid": g2.pk}).status_code == 404
    assert client.get(url, {"grid": "²"}).status_code == 404
    assert client.get(url, {"grid": "9" * 30}).status_code == 404
    assert login(world.users["grid_worker_2"]).get(url).context["page"].paginator.count == 0


def test_the_overdue_list_counts_what_the_coverage_page_counts(world):
    from linli.visits.overdue import overdue_residents

    overdue_world(world)
    for persona in ("street_admin", "secretary", "staff", "grid_worker_1", "grid_worker_2"):
        user = world.users[persona]
        assert overdue_residents(user).count() == coverage_report(user).total.overdue, persona


def test_drill_down_lists_the_overdue_names_within_scope(world, login):
    overdue_world(world)
    client = login(world.users["secretary"])
    g1, g3 = world.grids["g1"], world.grids["g3"]
    url = reverse("visits:coverage_overdue")

    body = client.get(url, {"grid": g1.pk, "late": "8-30"}).content.decode()
    assert "张三" in body and "逾期10天" in body
    assert "陈奶奶" not in body and "李四" not in body

    body = client.get(url, {"grid": g1.pk}).content.decode()
    assert all(name in body for name in ("张三", "陈奶奶", "李四"))
    assert body.index("李四") < body.index("张三") < body.index("陈奶奶")  # the longest overdue first

    body = client.get(url).content.decode()
    assert "张三" in body and "郑十" not in body and "钱一" not in body
    assert client.get(url, {"grid": g3.pk}).status_code == 404
    assert client.get(url, {"grid": "x"}).status_code == 404
    assert client.get(url, {"late": "2-3"}).status_code == 404

    living_alone = world.tag("living_alone")
    body = client.get(url, {"tag": living_alone.pk, "late": "1-7"}).content.decode()
    assert "陈奶奶" in body and "张三" not in body

    client = login(world.users["street_admin"])
    body = client.get(url, {"grid": g3.pk}).content.decode()
    assert "郑十" in body and "逾期3天" in body
    body = client.get(url, {"late": "31+"}).content.decode()
    assert "李四" in body and "钱一" not in body
    assert client.get(url, {"grid": world.grids["g4"].pk}).status_code == 404


def test_constant_number_of_queries(world, login):
    overdue_world(world)
    client = login(world.users["street_admin"])
    url = reverse("visits:coverage")
    client.get(url)  # warm the per-process caches (content types, ...)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    # More grids, buildings, care-group residents, visits and workers.
    east1 = world.communities["e1"]
    for n in range(3, 6):
        grid = Grid.objects.create(community=east1, number=n, name=f"东一第{n}网格")
        building = make_building(east1, grid, 10 + n)
        worker = make_user(f"worker{n}", Role.GRID_WORKER, grid)
        for i in range(3):
            r = make_resident(building, f"居民{n}{i}", room=f"{i + 1}01", seq=30 + n * 3 + i, tags=["living_alone"])
            visit(r, -i * 10, actor=actor_of(worker))
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert response.status_code == 200
    assert "东一第5网格" in response.content.decode()
    assert len(big) == len(small), [q["sql"] for q in big.captured_queries]
    assert len(big) <= 10  # 9 for the report, 1 for the unread-messages badge in the header


def test_every_overdue_number_of_the_page_opens_a_list_of_as_many_names(world, login):
    from linli.core.tests.figures import check_page

    overdue_world(world)
    for persona in ("street_admin", "secretary", "staff", "grid_worker_1", "grid_worker_2"):
        found = check_page(login(world.users[persona]), reverse("visits:coverage"), persona)
        # grid rows, the total and the care groups link their non-zero overdue numbers; grid 2 has none
        assert bool(found.figures) == (persona != "grid_worker_2"), (persona, found.figures)
