"""The queues at /appeals/: which rows each role's tabs hold, the badges, the filter and a fixed query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linli.appeals import services
from linli.appeals.choices import Outcome, Status
from linli.appeals.models import Appeal, UnitBinding
from linli.appeals.tests.conftest import new_appeal
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

LIST = reverse("appeals:appeal_list")


def dispatched(aw, unit="property", **kwargs):
    appeal = new_appeal(aw, **kwargs)
    return services.dispatch(appeal, aw.units[unit], actor=SYSTEM)


def signed(aw, unit="property", **kwargs):
    return services.sign(dispatched(aw, unit, **kwargs), actor=SYSTEM)


def resolved(aw, unit="property", **kwargs):
    return services.resolve(signed(aw, unit, **kwargs), actor=SYSTEM, outcome=Outcome.SOLVED, resolution="已修好")


def rows(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {a.number for a in response.context["page"]}


def test_it_opens_the_dispatchers_inbox_with_appeals_waiting_for_dispatch(aw, login):
    waiting = new_appeal(aw)
    sent = dispatched(aw)
    response = login(aw.users["secretary"]).get(LIST)
    assert response.context["tab"] == "dispatch"
    assert rows(response) == {waiting.number}
    assert sent.number not in response.content.decode()
    counts = {t["code"]: t["count"] for t in response.context["tabs"]}
    assert counts["dispatch"] == 1 and counts["all"] is None


def test_it_flags_a_returned_appeal_with_the_reason_from_the_last_return(aw, login):
    appeal = dispatched(aw)
    services.return_appeal(appeal, actor=aw.actor("dept_handler"), reason="下水道归水务，不是物业的事")
    page = login(aw.users["staff"]).get(LIST, {"tab": "dispatch"}).content.decode()
    assert "被退回" in page
    assert "东一物业服务中心退回：下水道归水务，不是物业的事" in page


def test_it_gives_a_handler_their_units_queue_across_every_community_it_serves(aw, login):
    UnitBinding.objects.create(community=aw.communities["e2"], unit=aw.units["water"], organisation=aw.orgs["water"])
    e1 = dispatched(aw, "water", category="water_outage")
    e2 = signed(aw, "water", category="water_outage", building="b3")
    other = dispatched(aw, "property")
    services.request_assist(other, aw.units["water"], actor=SYSTEM, note="查一下水管")
    done = resolved(aw, "water", category="water_outage")
    response = login(aw.users["water_handler"]).get(LIST)
    assert response.context["tab"] == "unit"
    assert rows(response) == {e1.number, e2.number, other.number}
    assert done.number not in rows(response)
    # The property company sees only its own.
    assert rows(login(aw.users["dept_handler"]).get(LIST)) == {other.number}


def test_it_starts_a_grid_worker_at_all_appeals_of_their_grid(aw, login):
    mine = new_appeal(aw, building="b1")
    other_grid = new_appeal(aw, building="b2")
    response = login(aw.users["grid_worker_1"]).get(LIST)
    assert response.context["tab"] == "all"
    assert [t["code"] for t in response.context["tabs"]] == ["overdue", "reply", "all"]
    assert rows(response) == {mine.number}
    assert other_grid.number not in response.content.decode()


def test_it_hides_other_communities_appeals(aw, login):
    e1 = new_appeal(aw, building="b1")
    e2 = new_appeal(aw, building="b3")
    west = new_appeal(aw, building="b4", category="corridor_light")
    assert rows(login(aw.users["secretary"]).get(LIST, {"tab": "all"})) == {e1.number}
    assert rows(login(aw.users["street_admin"]).get(LIST, {"tab": "all"})) == {e1.number, e2.number}
    assert rows(login(aw.users["street_admin"]).get(LIST, {"tab": "all", "q": west.number})) == set()


def test_it_lists_overdue_appeals_with_red_and_amber_badges(aw, login):
    now = timezone.now()
    late = signed(aw)
    due_today = dispatched(aw)
    fine = dispatched(aw)
    Appeal.objects.filter(pk=late.pk).update(current_due=now - datetime.timedelta(hours=3))
    today_end = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(23, 59)))
    Appeal.objects.filter(pk=due_today.pk).update(current_due=max(today_end, now + datetime.timedelta(minutes=1)))
    Appeal.objects.filter(pk=fine.pk).update(current_due=now + datetime.timedelta(days=3))
    client = login(aw.users["secretary"])
    overdue = client.get(LIST, {"tab": "overdue"})
    assert rows(overdue) == {late.number}
    page = client.get(LIST, {"tab": "all"}).content.decode()
    assert page.count('class="due-badge overdue">超期') == 1
    assert page.count('class="due-badge today">今日到期') == (1 if today_end > now else 0)
    # The handler's overdue: their organisation's.
    assert rows(login(aw.users["dept_handler"]).get(LIST, {"tab": "overdue"})) == {late.number}
    assert rows(login(aw.users["water_handler"]).get(LIST, {"tab": "overdue"})) == set()


def test_it_lists_appeals_awaiting_a_reply_oldest_deadline_first(aw, login):
    first, second = resolved(aw), resolved(aw)
    Appeal.objects.filter(pk=second.pk).update(reply_due=first.reply_due - datetime.timedelta(days=1))
    response = login(aw.users["grid_worker_1"]).get(LIST, {"tab": "reply"})
    assert [a.number for a in response.context["page"]] == [second.number, first.number]


def test_it_marks_supervised_appeals(aw, login):
    appeal = dispatched(aw)
    services.escalate(appeal, actor=aw.actor("secretary"), note="三天内必须解决")
    assert "督办</span>" in login(aw.users["secretary"]).get(LIST, {"tab": "all"}).content.decode()


def test_it_filters_by_number_text_status_and_date(aw, login):
    light = new_appeal(aw, text="楼道灯不亮")
    pipe = dispatched(aw, text="下水道堵了", category="pipe_blockage")
    client = login(aw.users["secretary"])
    assert rows(client.get(LIST, {"tab": "all", "q": light.number[-5:]})) == {light.number}
    assert rows(client.get(LIST, {"tab": "all", "q": "下水道"})) == {pipe.number}
    assert rows(client.get(LIST, {"tab": "all", "status": ["pending_sign", "in_progress"]})) == {pipe.number}
    assert rows(client.get(LIST, {"tab": "all", "category": aw.category("pipe_blockage").pk})) == {pipe.number}
    today = timezone.localdate()
    assert rows(client.get(LIST, {"tab": "all", "received_from": today, "received_to": today})) == {
        light.number,
        pipe.number,
    }
    assert rows(client.get(LIST, {"tab": "all", "received_to": today - datetime.timedelta(days=1)})) == set()
    assert rows(client.get(LIST, {"tab": "all", "overdue": "1"})) == set()


def test_bad_filter_values_are_ignored_not_a_500(aw, login):
    appeal = new_appeal(aw)
    client = login(aw.users["secretary"])
    response = client.get(
        LIST,
        {
            "tab": "nonsense",
            "status": "bogus",
            "grid": "abc",
            "received_from": "2025-13-45",
            "page": "x",
            "q": "9" * 60,
        },
    )
    assert response.status_code == 200
    response = client.get(LIST, {"tab": "all", "building": aw.buildings["b4"].pk, "grid": "99999999999999999999"})
    assert response.status_code == 200 and appeal.number in rows(response)


def test_live_filtering_returns_only_the_rows(aw, login):
    new_appeal(aw)
    response = login(aw.users["secretary"]).get(
        LIST, {"tab": "all", "q": "楼道"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="appeal-results"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'class="appeal-rows"' in body


@pytest.mark.parametrize("persona", ["volunteer", "resident"])
def test_it_refuses_the_queues_to_roles_without_appeals(aw, login, persona):
    assert login(aw.users[persona]).get(LIST).status_code == 403


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "persona, tab", [("secretary", "dispatch"), ("secretary", "all"), ("dept_handler", "unit"), ("secretary", "reply")]
)
def test_the_number_of_queries_does_not_grow_with_the_rows(aw, login, django_assert_max_num_queries, persona, tab):
    client = login(aw.users[persona])
    make = {"dispatch": new_appeal, "all": dispatched, "unit": signed, "reply": resolved}[tab]
    make(aw, building="b1")
    few = _queries(client, {"tab": tab})
    for i in range(12):
        appeal = make(aw, building="b2" if i % 2 else "b1")
        if i % 3 == 0 and appeal.status == Status.PENDING_DISPATCH:
            services.return_appeal(
                services.dispatch(appeal, aw.units["property"], actor=SYSTEM), actor=SYSTEM, reason="不归我们"
            )
    with django_assert_max_num_queries(few):
        response = client.get(LIST, {"tab": tab})
    assert len(response.context["page"]) == 13


def test_the_resident_page_lists_the_residents_appeals_with_their_status(aw, login):
    zhang = aw.residents["zhang"]
    mine = dispatched(aw, reporter=zhang, text="张三家门口的灯坏了")
    new_appeal(aw, text="别人的诉求")
    page = login(aw.users["grid_worker_1"]).get(reverse("residents:resident_detail", args=[zhang.pk])).content.decode()
    assert 'id="appeals"' in page and mine.number in page and "待签收" in page
    assert "别人的诉求" not in page


def test_the_building_page_counts_its_open_appeals(aw, login):
    late = dispatched(aw, building="b1")
    new_appeal(aw, building="b1")
    done = resolved(aw, building="b1")
    services.reply(done, actor=SYSTEM, text="好了", method="phone")
    new_appeal(aw, building="b2")
    Appeal.objects.filter(pk=late.pk).update(current_due=timezone.now() - datetime.timedelta(hours=1))
    response = login(aw.users["secretary"]).get(reverse("areas:building_detail", args=[aw.buildings["b1"].pk]))
    assert response.context["appeal_counts"] == {"total": 2, "overdue": 1}
    page = response.content.decode()
    assert "2件" in page and "超期1件" in page and done.number not in page


def test_pages_leave_out_appeals_for_roles_without_them(aw, login):
    from linli.accounts.roles import ROLE_PERMISSIONS

    zhang = aw.residents["zhang"]
    dispatched(aw, reporter=zhang)
    role = aw.users["grid_worker_1"].role
    original = ROLE_PERMISSIONS[role]
    ROLE_PERMISSIONS[role] = frozenset(p for p in original if not p.startswith("appeal."))
    try:
        client = login(aw.users["grid_worker_1"])
        page = client.get(reverse("residents:resident_detail", args=[zhang.pk])).content.decode()
        assert 'id="appeals"' not in page
        building = client.get(reverse("areas:building_detail", args=[aw.buildings["b1"].pk])).content.decode()
        assert 'id="appeals"' not in building
        assert "诉求</a>" not in page
    finally:
        ROLE_PERMISSIONS[role] = original


@pytest.mark.parametrize(
    "persona, shown",
    [("secretary", True), ("grid_worker_1", True), ("dept_handler", True), ("volunteer", False), ("resident", False)],
)
def test_the_navigation_offers_appeals_to_those_who_work_on_them(aw, login, persona, shown):
    page = login(aw.users[persona]).get(reverse("core:home")).content.decode()
    assert (f'<a href="{LIST}"' in page) is shown
