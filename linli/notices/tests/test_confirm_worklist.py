"""需上门告知 on 今日走访: a grid worker's open door households of sent must-confirm notices, deadline soonest first,
in walking order, with the residents to tell and the two buttons; hidden when there is nothing to do."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import actor_of
from linli.notices import confirm, services
from linli.notices.models import NoticeHousehold
from linli.notices.shell_confirm import door_context
from linli.notices.testing_confirm import sent_notice
from linli.testing import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(world):
    """张三 (101) and 陈奶奶 (201) of 1栋 cannot use a smartphone: their households need a visit."""
    for key in ("zhang", "chen"):
        world.residents[key].tags.add(world.tag("no_smartphone"))
    return world


def today():
    return timezone.localdate()


def rows_of(context):
    return [(g["notice"].title, row.household.room) for g in context["groups"] for row in g["rows"]]


def test_it_lists_the_door_households_of_the_workers_grid_with_who_to_tell(door, client):
    notice = sent_notice(door.communities["e1"])
    ctx = door_context(door.users["grid_worker_1"], today())
    assert rows_of(ctx) == [(notice.title, "101"), (notice.title, "201")]
    assert [p.name for p in ctx["groups"][0]["rows"][1].household.people] == ["陈奶奶"]
    client.force_login(door.users["grid_worker_1"])
    page = client.get(reverse("visits:worklist")).content.decode()
    assert "需上门告知" in page and "陈奶奶" in page and "已当面告知" in page and "已电话告知" in page
    # Grid 2's worker has no door household: no section.
    assert door_context(door.users["grid_worker_2"], today()) is None
    client.force_login(door.users["grid_worker_2"])
    assert "需上门告知" not in client.get(reverse("visits:worklist")).content.decode()


def test_deadline_soonest_first_then_walking_order(door):
    e1 = door.communities["e1"]
    # A resident of 1栋 2单元 1楼 who cannot use a phone: after entrance 1's rooms, whatever their floor.
    make_resident(door.buildings["b1"], "刘爷爷", entrance=2, room="101", seq=9, tags=["no_smartphone"])
    later = sent_notice(e1, title="后天停电", days=2)
    sooner = sent_notice(e1, title="明天停水", days=1)
    ctx = door_context(door.users["grid_worker_1"], today())
    assert [g["notice"].title for g in ctx["groups"]] == [sooner.title, later.title]
    for group in ctx["groups"]:
        assert [row.household.address for row in group["rows"]] == ["1栋1单元101", "1栋1单元201", "1栋2单元101"]
    assert ctx["total"] == 6 and ctx["more"] == 0


def test_told_withdrawn_and_optional_notices_leave_the_list(door):
    e1 = door.communities["e1"]
    worker = door.users["grid_worker_1"]
    notice = sent_notice(e1)
    sent_notice(e1, title="社区活动", must_confirm=False)
    withdrawn = sent_notice(e1, title="发错了")
    services.withdraw_notice(withdrawn, actor=actor_of(door.users["staff"]), reason="重复")
    assert rows_of(door_context(worker, today())) == [(notice.title, "101"), (notice.title, "201")]
    for row in NoticeHousehold.objects.filter(notice=notice, needs_door=True):
        confirm.mark_told(row, actor=actor_of(worker), via="in_person")
    assert door_context(worker, today()) is None


def test_the_section_costs_the_same_few_queries_however_many_rows(door, django_assert_max_num_queries):
    worker = door.users["grid_worker_1"]
    sent_notice(door.communities["e1"])
    worker = type(worker).objects.get(pk=worker.pk)
    with django_assert_max_num_queries(3):
        small = door_context(worker, today())
    for n, room in enumerate(["102", "202", "301", "302", "401"]):
        make_resident(door.buildings["b1"], f"老人{n}", room=room, seq=20 + n, born=datetime.date(1940, 1, 1))
    for n in range(3):
        sent_notice(door.communities["e1"], title=f"通知{n}", days=n + 1)
    worker = type(worker).objects.get(pk=worker.pk)
    with django_assert_max_num_queries(3):
        big = door_context(worker, today())
    assert sum(len(g["rows"]) for g in big["groups"]) > 3 * sum(len(g["rows"]) for g in small["groups"])


def test_marking_from_the_worklist_redraws_the_row(door, client):
    notice = sent_notice(door.communities["e1"])
    row = NoticeHousehold.objects.get(notice=notice, household_id=door.residents["chen"].household_id)
    client.force_login(door.users["grid_worker_1"])
    url = reverse("notices:notice_household_mark", args=[row.pk])
    response = client.post(url, {"via": "phone", "part": "worklist"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert f'id="door-{row.pk}"' in text and "✓ 已电话告知" in text and "撤销登记" in text
    # Without htmx: back to 今日走访.
    other = NoticeHousehold.objects.get(notice=notice, household_id=door.residents["zhang"].household_id)
    response = client.post(
        reverse("notices:notice_household_mark", args=[other.pk]), {"via": "in_person", "part": "worklist"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("visits:worklist")


def test_the_deadline_reads_as_people_say_it():
    from linli.notices.shell_confirm import deadline_text

    day = datetime.date(2026, 12, 6)
    assert [deadline_text(day + datetime.timedelta(days=n), day) for n in (-1, 0, 1, 3)] == [
        "已过截止日期（12月5日）",
        "今天截止",
        "明天截止",
        "12月9日前",
    ]
    assert deadline_text(None, day) == ""
