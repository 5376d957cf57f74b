"""Following a figure lands on a list whose count is the figure: every registered figure with a link, on the demo, at
each level as the dashboard's own user (and a community's as the street administrator, whose list would otherwise be
the whole street's)."""

import re

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.areas.models import Community, Grid, Street
from linli.dashboards.board import build_board

pytestmark = pytest.mark.django_db

#: Links to report pages, which show figures per row or month rather than a count of rows.
NO_COUNT = {
    "visits.care_due": "走访统计 is a report: the figure is its 重点人群 total, not a count of rows",
    "visits.on_time": "走访统计 is a report: the figure is its 按期走访 total, not a count of rows",
    "visits.made": "走访台账 is a print ledger grouped by grid, without a count",
    "volunteers.hours": "服务时长统计 shows hours per volunteer, not a count",
    "lovebank.earned": "积分月报 shows points per month, not a count",
    "lovebank.spent": "积分月报 shows points per month, not a count",
    "places.hours": "the bookings the hours add up: the list counts bookings, not hours",
}
TOTAL = re.compile(r'data-list-total="(\d+)"')


def viewers():
    community = Community.objects.get(code="qinghejuju")
    worker = User.objects.get(username="wangge1")
    return [
        ("jiedao", "street", Street.objects.get(pk=community.street_id)),
        ("shuji", "community", community),
        ("jiedao", "community", community),
        ("wangge1", "grid", Grid.objects.restrict(worker).get()),
    ]


def test_every_figure_link_lists_exactly_the_figure(demo_output, client):
    checked, skipped = set(), {}
    for username, level, node in viewers():
        viewer = User.objects.get(username=username)
        client.force_login(viewer)
        board = build_board(viewer, level, node, today=timezone.localdate())
        for _family, cells in board.families:
            for cell in cells:
                if cell.rate or not cell.link:
                    continue
                if NO_COUNT.get(cell.key):
                    skipped[cell.key] = NO_COUNT[cell.key]
                    continue
                response = client.get(cell.link)
                assert response.status_code == 200, (cell.key, cell.link)
                found = TOTAL.search(response.content.decode())
                assert found, f"{cell.key}: {cell.link} shows no count"
                assert int(found.group(1)) == cell.value, (username, level, cell.key, cell.link)
                checked.add(cell.key)
        for _family, items in board.breakdowns:
            for item in items:
                for name, value, link in item["rows"]:
                    found = TOTAL.search(client.get(link).content.decode())
                    assert found and int(found.group(1)) == value, (item["key"], name, link)
    assert len(checked) >= 20, sorted(checked)
    assert set(skipped) <= set(NO_COUNT)
