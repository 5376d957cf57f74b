"""The dashboard pages: who opens which level, what a grid worker's figures count, links, ranking, and a query count
that does not grow with the number of communities and grids."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import Community, Grid
from linli.dashboards.board import build_board
from linli.dashboards.rollup import rollup
from linli.residents.models import Resident
from linli.testing import make_building, make_resident
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db


def url(level, obj):
    return reverse(f"dashboards:{level}_dashboard", args=[obj.pk])


def cells(board) -> dict:
    return {c.key: c for _family, cs in board.families for c in cs}


def test_each_persona_lands_on_the_widest_dashboard_they_may_open(world, login):
    expected = {
        "street_admin": url("street", world.streets["east"]),
        "secretary": url("community", world.communities["e1"]),
        "grid_worker_2": url("grid", world.grids["g2"]),
    }
    for persona, target in expected.items():
        response = login(world.users[persona]).get(reverse("dashboards:dashboard_home"))
        assert response.status_code == 302 and response["Location"] == target, persona
    response = login(world.users["nobody"]).get(reverse("dashboards:dashboard_home"))
    assert response.status_code == 200 and "还没有分配" in response.content.decode()
    assert login(world.users["resident"]).get(reverse("dashboards:dashboard_home")).status_code == 403


def test_it_never_counts_another_grid_on_a_grid_workers_dashboard(world, login):
    visit(world.residents["zhang"], 0)  # grid 1
    visit(world.residents["wang"], 0)  # grid 2
    worker = world.users["grid_worker_2"]
    client = login(worker)
    assert client.get(url("grid", world.grids["g1"])).status_code == 404
    assert client.get(url("community", world.communities["e1"])).status_code == 404
    assert client.get(url("street", world.streets["east"])).status_code == 404
    response = client.get(url("grid", world.grids["g2"]))
    assert response.status_code == 200
    figures = cells(response.context["board"])
    assert figures["residents.population"].value == 1  # 王五 only
    assert figures["visits.made"].value == 1
    assert "lovebank.earned" not in figures  # counted per community only: not on a grid's dashboard
    assert "张三" not in response.content.decode() and "李四" not in response.content.decode()


def test_a_street_admin_opens_every_community_and_grid_below_and_no_other_street(world, login):
    client = login(world.users["street_admin"])
    for level, obj in [("community", world.communities["e2"]), ("grid", world.grids["g3"])]:
        assert client.get(url(level, obj)).status_code == 200
    assert client.get(url("community", world.communities["w1"])).status_code == 404
    response = client.get(url("street", world.streets["east"]))
    names = [row["name"] for row in response.context["board"].children]
    assert sorted(names) == ["东一社区", "东二社区"]
    assert "西一" not in response.content.decode()


def test_every_figure_links_to_its_list_with_the_nodes_filter(world, login):
    response = login(world.users["secretary"]).get(url("grid", world.grids["g1"]))
    figures = [c for c in cells(response.context["board"]).values() if not c.rate]
    assert figures and all(c.link for c in figures)
    by_key = {c.key: c for c in figures}
    assert by_key["residents.population"].link.endswith(f"grid={world.grids['g1'].pk}")
    assert f"grid={world.grids['g1'].pk}" in by_key["appeals.received"].link
    page = login(world.users["secretary"]).get(by_key["residents.population"].link)
    assert page.status_code == 200 and page.context["page"].paginator.count == 3


def test_the_comparison_ranks_the_grids_by_the_chosen_figure(world, login):
    client = login(world.users["secretary"])
    response = client.get(url("community", world.communities["e1"]) + "?sort=residents.population")
    rows = response.context["board"].children
    assert [(r["rank"], r["name"]) for r in rows] == [(1, "东一第1网格"), (2, "东一第2网格")]
    assert client.get(url("community", world.communities["e1"]) + "?sort=nonsense").status_code == 200


def test_stocks_show_the_change_since_the_end_of_last_month(world):
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    Resident.objects.update(created_at=timezone.now() - datetime.timedelta(days=70))
    rollup([last_month_end], today=last_month_end + datetime.timedelta(days=1))
    make_resident(world.buildings["b1"], "新来的", room="102", seq=31)
    board = build_board(world.users["secretary"], "community", world.communities["e1"])
    assert cells(board)["residents.population"].change == 1
    assert cells(board)["residents.population"].value == 5


def test_the_dashboards_queries_do_not_grow_with_its_nodes(world, login):
    client = login(world.users["street_admin"])
    street = world.streets["east"]

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("street", street)).status_code == 200
        return len(ctx.captured_queries)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    rollup([yesterday])
    queries()  # the first request warms the session and the menu's caches
    before = queries()
    for n in range(3):
        community = Community.objects.create(street=street, code=f"more{n}", name=f"新社区{n}")
        for g in range(3):
            grid = Grid.objects.create(community=community, number=g + 1, name=f"新社区{n}第{g + 1}网格")
            building = make_building(community, grid, g + 1)
            make_resident(building, f"居民{n}{g}", seq=40 + n * 3 + g)
    rollup([yesterday])
    assert queries() == before
    community_page = url("community", world.communities["e1"])
    with CaptureQueriesContext(connection) as ctx:
        client.get(community_page)
    assert len(ctx.captured_queries) <= before + 2


def test_the_page_shows_the_rollups_as_of_day(world, login):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client = login(world.users["secretary"])
    assert "尚无每日统计" in client.get(url("community", world.communities["e1"])).content.decode()
    rollup([yesterday])
    text = client.get(url("community", world.communities["e1"])).content.decode()
    assert f"趋势数据截至 {yesterday.year}年{yesterday.month}月{yesterday.day}日" in text


def test_the_home_line_promises_the_comparison_of_the_users_own_level_only(world, login):
    expected = {
        "street_admin": "全街道人口、走访、诉求等各项数字，本月实时统计，附12个月趋势和各社区对比。",
        "secretary": "本社区人口、走访、诉求等各项数字，本月实时统计，附12个月趋势和各网格对比。",
        "grid_worker_2": "本网格人口、走访、诉求等各项数字，本月实时统计，附12个月趋势。",
    }
    for persona, line in expected.items():
        page = login(world.users[persona]).get(reverse("core:home")).content.decode()
        assert line in page, persona


def test_a_breakdown_heads_its_columns_with_what_it_splits_by_not_its_caption(world, login):
    page = login(world.users["secretary"]).get(url("community", world.communities["e1"])).content.decode()
    assert "<caption>在办诉求（按承办单位）</caption>" in page
    assert '<th scope="col">承办单位</th><th scope="col">数量（件）</th>' in page
