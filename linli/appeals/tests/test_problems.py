"""问题清单: numbered items, linked appeals, one-click solved, progress, scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from linli.appeals import services
from linli.appeals import services_problems as problems
from linli.appeals.choices import Outcome, ProblemItemStatus, Rating, ReplyMethod
from linli.appeals.models import ProblemItem, ProblemList
from linli.appeals.tests.conftest import new_appeal
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def closed_appeal(aw, outcome=Outcome.SOLVED, **kwargs):
    appeal = new_appeal(aw, **kwargs)
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    services.sign(appeal, actor=aw.actor("dept_handler"))
    services.resolve(
        appeal,
        actor=aw.actor("dept_handler"),
        outcome=outcome,
        resolution="已处理",
        explanation="" if outcome == Outcome.SOLVED else "只能部分解决",
    )
    services.reply(appeal, actor=aw.actor("staff"), text="已回访", method=ReplyMethod.PHONE, rating=Rating.SATISFIED)
    appeal.refresh_from_db()
    return appeal


@pytest.fixture
def plist(aw):
    return problems.create_list(
        actor=aw.actor("secretary"), name="我为群众办实事", year=2026, community=aw.communities["e1"]
    )


def test_a_secretary_creates_a_list_and_the_creation_is_recorded(aw, login):
    client = login(aw.users["secretary"])
    response = client.post(
        reverse("appeals:problem_list_add"),
        {"name": "我为群众办实事", "year": 2026, "community": aw.communities["e1"].pk, "description": "年度清单"},
    )
    assert response.status_code == 302
    plist = ProblemList.objects.get()
    assert (plist.community, plist.street) == (aw.communities["e1"], aw.streets["east"])
    assert ChangeRecord.objects.filter(object_id=plist.pk, action="create").exists()


def test_a_list_outside_the_managers_communities_is_refused(aw, login):
    response = login(aw.users["secretary"]).post(
        reverse("appeals:problem_list_add"), {"name": "清单", "year": 2026, "community": aw.communities["e2"].pk}
    )
    assert response.status_code == 200
    assert not ProblemList.objects.exists()
    with pytest.raises(ValidationError):
        problems.create_list(actor=aw.actor("secretary"), name="清单", year=2026, community=aw.communities["e2"])


def test_a_year_out_of_range_gets_a_message(aw):
    with pytest.raises(ValidationError) as exc:
        problems.create_list(actor=aw.actor("secretary"), name="清单", year=1990, community=aw.communities["e1"])
    assert "年度应在" in str(exc.value)


def test_items_are_numbered_one_after_another(aw, plist, login):
    client = login(aw.users["secretary"])
    for title in ("修缮2栋屋顶", "加装电梯", "增设充电桩"):
        client.post(reverse("appeals:problem_item_add", args=[plist.pk]), {"title": title, "status": "open"})
    assert list(plist.items.values_list("number", "title")) == [(1, "修缮2栋屋顶"), (2, "加装电梯"), (3, "增设充电桩")]
    plist.items.get(number=2).delete()
    item = problems.add_item(plist, actor=aw.actor("secretary"), title="第四项")
    assert item.number == 4


def test_an_item_needs_a_title(aw, plist, login):
    response = login(aw.users["secretary"]).post(
        reverse("appeals:problem_item_add", args=[plist.pk]), {"title": " ", "status": "open"}
    )
    assert response.status_code == 200
    assert not plist.items.exists()


def test_editing_an_items_status_and_note(aw, plist, login):
    item = problems.add_item(plist, actor=aw.actor("secretary"), title="加装电梯")
    response = login(aw.users["secretary"]).post(
        reverse("appeals:problem_item_edit", args=[item.pk]),
        {"title": "加装电梯", "status": "in_progress", "note": "已和住户协商"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.note) == ("in_progress", "已和住户协商")
    assert ChangeRecord.objects.filter(object_id=item.pk, changes__has_key="进展").exists()


def test_linking_appeals_of_the_same_community_only(aw, plist, login):
    item = problems.add_item(plist, actor=aw.actor("secretary"), title="楼道灯")
    mine = new_appeal(aw)
    other = new_appeal(aw, building="b3")  # 东二社区
    client = login(aw.users["street_admin"])
    client.post(reverse("appeals:problem_item_link", args=[item.pk]), {"appeal": mine.number})
    client.post(reverse("appeals:problem_item_link", args=[item.pk]), {"appeal": other.number})
    assert list(item.appeals.all()) == [mine]
    with pytest.raises(ValidationError) as exc:
        problems.link_appeal(item, other, actor=aw.actor("street_admin"))
    assert "本社区" in str(exc.value)
    with pytest.raises(Http404):  # the secretary of 东一 cannot even see it
        problems.link_appeal(item, other, actor=aw.actor("secretary"))
    assert ChangeRecord.objects.filter(object_id=item.pk, note="关联诉求").exists()


def test_an_unknown_appeal_number_gets_a_message(aw, plist, login):
    item = problems.add_item(plist, actor=aw.actor("secretary"), title="楼道灯")
    response = login(aw.users["secretary"]).post(
        reverse("appeals:problem_item_link", args=[item.pk]), {"appeal": "NOPE-1"}, follow=True
    )
    assert "没有找到编号为" in response.content.decode()


def test_unlinking_an_appeal(aw, plist, login):
    item = problems.add_item(plist, actor=aw.actor("secretary"), title="楼道灯")
    appeal = new_appeal(aw)
    problems.link_appeal(item, appeal, actor=aw.actor("secretary"))
    login(aw.users["secretary"]).post(reverse("appeals:problem_item_unlink", args=[item.pk, appeal.pk]))
    assert not item.appeals.exists()


def test_an_item_whose_appeals_are_all_solved_is_marked_solved_in_one_click(aw, plist, login):
    item = problems.add_item(plist, actor=aw.actor("secretary"), title="楼道灯")
    done, pending = closed_appeal(aw), new_appeal(aw)
    problems.link_appeal(item, done, actor=aw.actor("secretary"))
    problems.link_appeal(item, pending, actor=aw.actor("secretary"))
    client = login(aw.users["secretary"])
    page = client.get(reverse("appeals:problem_list_detail", args=[plist.pk]))
    body = page.content.decode()
    assert "已结案" in body and "待派单" in body
    assert reverse("appeals:problem_item_solve", args=[item.pk]) not in body
    client.post(reverse("appeals:problem_item_solve", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == ProblemItemStatus.OPEN  # refused: one appeal still open

    problems.unlink_appeal(item, pending, actor=aw.actor("secretary"))
    page = client.get(reverse("appeals:problem_list_detail", args=[plist.pk]))
    assert reverse("appeals:problem_item_solve", args=[item.pk]) in page.content.decode()
    client.post(reverse("appeals:problem_item_solve", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == ProblemItemStatus.SOLVED


def test_a_partly_solved_appeal_does_not_make_the_item_solved(aw, plist):
    item = problems.add_item(plist, actor=aw.actor("secretary"), title="楼道灯")
    problems.link_appeal(item, closed_appeal(aw, outcome=Outcome.PARTLY), actor=aw.actor("secretary"))
    assert not problems.all_linked_solved(item)
    with pytest.raises(ValidationError):
        problems.mark_solved(item, actor=aw.actor("secretary"))


def test_the_list_page_shows_progress_with_a_progress_element(aw, plist, login):
    for n in range(3):
        item = problems.add_item(plist, actor=aw.actor("secretary"), title=f"事项{n}")
        if n < 2:
            problems.set_item_status(item, actor=aw.actor("secretary"), status=ProblemItemStatus.SOLVED)
    client = login(aw.users["grid_worker_1"])
    body = client.get(reverse("appeals:problem_lists")).content.decode()
    assert "3项，已解决2项" in body
    assert '<progress class="problem-progress" value="2" max="3"' in body
    detail = client.get(reverse("appeals:problem_list_detail", args=[plist.pk])).content.decode()
    assert "3项，已解决2项" in detail and "style=" not in detail
    assert reverse("appeals:problem_item_add", args=[plist.pk]) not in detail  # grid workers only read


def test_area_staff_see_only_their_communitys_lists(aw, plist, login):
    other = problems.create_list(
        actor=aw.actor("street_admin"), name="东二清单", year=2026, community=aw.communities["e2"]
    )
    client = login(aw.users["staff"])
    assert list(client.get(reverse("appeals:problem_lists")).context["lists"]) == [plist]
    assert client.get(reverse("appeals:problem_list_detail", args=[other.pk])).status_code == 404
    assert login(aw.users["dept_handler"]).get(reverse("appeals:problem_lists")).status_code == 403


def test_staff_cannot_change_lists(aw, plist, login):
    client = login(aw.users["staff"])
    assert client.get(reverse("appeals:problem_item_add", args=[plist.pk])).status_code == 403
    item = problems.add_item(plist, actor=aw.actor("secretary"), title="楼道灯")
    assert client.post(reverse("appeals:problem_item_solve", args=[item.pk])).status_code == 403
    secretary_other = login(aw.users["secretary"])
    other = problems.create_list(
        actor=aw.actor("street_admin"), name="东二清单", year=2026, community=aw.communities["e2"]
    )
    assert secretary_other.get(reverse("appeals:problem_list_edit", args=[other.pk])).status_code == 404
    assert ProblemItem.objects.count() == 1
