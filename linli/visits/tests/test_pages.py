"""The worklist, the visit form, the resident timeline and the alerts page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.testing import make_resident
from linli.visits.models import Visit, VisitAlert
from linli.visits.tests.helpers import days, visit

pytestmark = pytest.mark.django_db


def make_all_of_building_1_due(world):
    visit(world.residents["li"], -40)  # 残疾人, 30 days: 10 days overdue
    visit(world.residents["chen"], -9)  # 独居老人, 7 days: 2 days overdue
    visit(world.residents["zhang"], -7)  # due today


def test_the_worklist_is_in_walking_order_with_reason_and_phone(world, login):
    make_all_of_building_1_due(world)
    body = login(world.users["grid_worker_1"]).get(reverse("visits:worklist")).content.decode()
    # building 1: entrance 1 floor 1 (张三 101), entrance 1 floor 2 (陈奶奶 201), entrance 2 floor 5 (李四 502)
    positions = [body.index(f'id="due-{world.residents[k].pk}"') for k in ("zhang", "chen", "li")]
    assert positions == sorted(positions)
    assert "今天到期" in body and "逾期2天" in body and "逾期10天" in body
    assert "独居老人" in body and "残疾人" in body
    assert 'href="tel:13812345678"' in body
    assert reverse("visits:visit_log", args=[world.residents["zhang"].pk]) in body
    assert "王五" not in body  # grid 2


def test_residents_not_yet_due_are_not_listed(world, login):
    body = login(world.users["secretary"]).get(reverse("visits:worklist")).content.decode()
    assert "今天没有需要走访的居民" in body


def test_a_worker_cannot_see_or_log_another_grids_residents(world, login):
    make_all_of_building_1_due(world)
    zhang = world.residents["zhang"]
    client = login(world.users["grid_worker_2"])
    assert "张三" not in client.get(reverse("visits:worklist")).content.decode()
    url = reverse("visits:visit_log", args=[zhang.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "met", "wellbeing": "good", "visited_on": days(0)}).status_code == 404
    client = login(world.users["dept_handler"])
    assert client.get(reverse("visits:worklist")).status_code == 403
    assert client.post(url, {"outcome": "met", "wellbeing": "good", "visited_on": days(0)}).status_code == 403
    assert Visit.objects.filter(resident=zhang).count() == 1


def test_a_failed_submission_keeps_what_was_typed(world, login):
    zhang = world.residents["zhang"]
    url = reverse("visits:visit_log", args=[zhang.pk])
    response = login(world.users["grid_worker_1"]).post(
        url, {"outcome": "met", "findings": "厨房水管漏水", "need": "想申请助餐", "visited_on": days(0)}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请选择居民的身心状况" in body
    assert "厨房水管漏水" in body and "想申请助餐" in body
    assert re.search(r'value="met"[^>]*checked', body) and not re.search(r'value="phone"[^>]*checked', body)
    assert not Visit.objects.exists()
    response = login(world.users["grid_worker_1"]).post(
        url, {"outcome": "met", "visited_on": days(1), "wellbeing": "good"}
    )
    assert "走访日期不能晚于今天" in response.content.decode()


def test_logging_through_the_form_moves_the_due_date(world, login):
    zhang = world.residents["zhang"]
    response = login(world.users["grid_worker_1"]).post(
        reverse("visits:visit_log", args=[zhang.pk]),
        {"outcome": "phone", "wellbeing": "fair", "findings": "身体还好", "visited_on": days(0)},
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.visit_due_on == days(7)
    assert Visit.objects.get().visitor == world.users["grid_worker_1"]


def test_the_worklist_query_count_does_not_grow_with_more_residents(world, login):
    client = login(world.users["grid_worker_1"])
    make_all_of_building_1_due(world)
    url = reverse("visits:worklist")
    client.get(url)  # the first request of a session also writes the session row
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).content.decode().count('id="due-') == 3
    for i in range(8):
        r = make_resident(
            world.buildings["b1"], f"居民{i}", room=f"{i % 6 + 1}01", entrance=2, seq=20 + i, tags=["living_alone"]
        )
        visit(r, -8, "met")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count('id="due-') == 11
    assert len(many) == len(few)
    # session, user, the urgent residents' ids, count, the list, the tags; and one query for each section other apps add
    # to the page (core.shell.worklist_part: 需上门告知, 专项工作) when it has nothing to show. What every page reads about
    # the user (assigned nodes, whether a party secretary, unread messages) comes from the shared cache after the
    # first request (linli.core.pagecache.for_user).
    from linli.core import shell

    assert len(few) <= 6 + len(shell.registry.worklist_parts)


def test_the_resident_page_shows_the_visit_timeline_and_next_due_date(world, login):
    zhang = world.residents["zhang"]
    visit(zhang, -12, findings="第一次走访")
    visit(zhang, -2, "not_home")
    body = (
        login(world.users["grid_worker_1"]).get(reverse("residents:resident_detail", args=[zhang.pk])).content.decode()
    )
    assert "走访记录" in body
    assert f"下次走访：{days(-5):%Y-%m-%d}（逾期5天）" in body
    assert body.index("不在家") < body.index("第一次走访")  # newest first
    # a resident's own page does not show the workers' visit notes
    body = login(world.users["resident"]).get(reverse("residents:my_record")).content.decode()
    assert "走访记录" not in body


def test_the_secretary_sees_and_resolves_alerts_in_scope(world, login):
    zhang = world.residents["zhang"]
    for d in (-4, -2, 0):
        visit(zhang, d, "not_home")
    alert = VisitAlert.objects.get()
    client = login(world.users["secretary"])
    body = client.get(reverse("visits:alert_list")).content.decode()
    assert "张三" in body and "连续三次不在家" in body
    assert login(world.users["grid_worker_1"]).get(reverse("visits:alert_list")).status_code == 403
    assert login(world.users["street_admin"]).post(reverse("visits:alert_resolve", args=[alert.pk])).status_code == 302
    alert.refresh_from_db()
    assert alert.resolved
    body = login(world.users["secretary"]).get(reverse("visits:alert_list")).content.decode()
    assert "没有待处理的走访提醒" in body


def test_a_need_found_on_a_visit_becomes_an_appeal_in_one_step(world, login):
    from linli.visits.models import Visit

    client = login(world.users["grid_worker_1"])
    zhang = world.residents["zhang"]
    url = reverse("visits:visit_log", args=[zhang.pk])
    assert "把居民诉求转为诉求办理" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "outcome": "met",
            "wellbeing": "good",
            "visited_on": days(0),
            "need": "希望帮忙申请助餐服务",
            "to_appeal": "on",
        },
    )
    visit = Visit.objects.get(resident=zhang)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('appeals:appeal_add')}?visit={visit.pk}"
    form = client.get(response["Location"]).content.decode()
    assert "希望帮忙申请助餐服务" in form
    # Without a need, or without the box ticked, the worker goes back to the worklist.
    response = client.post(url, {"outcome": "phone", "wellbeing": "good", "visited_on": days(0), "to_appeal": "on"})
    assert response["Location"] == reverse("visits:worklist")


def test_the_worklist_pages_on_in_walking_order_without_repeating_anyone(world, login, monkeypatch):
    from linli.visits import views

    monkeypatch.setattr(views, "WORKLIST_PAGE", 4)
    make_all_of_building_1_due(world)
    for i in range(3):
        r = make_resident(
            world.buildings["b1"], f"居民{i}", room=f"{i + 3}01", entrance=2, seq=20 + i, tags=["living_alone"]
        )
        visit(r, -8, "met")
    client = login(world.users["grid_worker_1"])
    url = reverse("visits:worklist")
    first, second = (client.get(url, {"page": n}).content.decode() for n in (1, 2))
    ids = [re.findall(r'id="due-(\d+)"', body) for body in (first, second)]
    assert [len(page) for page in ids] == [4, 2]
    assert not set(ids[0]) & set(ids[1])
    assert "共 6 人" in first and "第1/2页" in first and "下一页" in first
    assert str(world.residents["zhang"].pk) in ids[0]  # entrance 1 comes before entrance 2
