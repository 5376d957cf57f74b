"""The dashboards' appeal figures link to lists that show their number: 已评价 and 满意 are not all closed appeals
(some closed appeals were never rated, some were rated 不满意)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from linli.appeals import dashfigures
from linli.appeals.tests.test_stats import NOW, built  # noqa: F401 (the fixture)
from linli.core.shell import FigureNode

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)


@pytest.mark.parametrize("key", ["received", "resolved", "resolved_on_time", "replied", "rated", "satisfied"])
def test_each_appeal_flow_links_to_a_list_of_its_number(aw, built, login, monkeypatch, key):  # noqa: F811
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    _key, _label, compute, link = next(f for f in dashfigures.FIGURES if f[0] == key)
    node = FigureNode("community", aw.world.communities["e1"].pk)
    figure = sum(row[-1] for row in compute(START, END, node))
    page = login(aw.users["secretary"]).get(link(node, START, END)).content.decode()
    assert int(re.search(r'data-list-total="(\d+)"', page).group(1)) == figure


def test_the_rated_and_good_filters_are_not_all_closed_appeals(aw, built, login, monkeypatch):  # noqa: F811
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    client = login(aw.users["secretary"])

    def total(**params):
        page = client.get("/appeals/", {"tab": "all", "received_from": START, "received_to": END, **params})
        return int(re.search(r'data-list-total="(\d+)"', page.content.decode()).group(1))

    closed, rated, good = total(status="closed"), total(rating="rated"), total(rating="good")
    assert closed > rated > good > 0
