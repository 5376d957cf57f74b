"""问题清单 items have a responsible unit and a deadline, like appeals; open items past it are marked 超期."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from linli.appeals import services_problems as problems
from linli.appeals.choices import ProblemItemStatus
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def plist(aw):
    year = timezone.localdate().year
    return problems.create_list(
        actor=aw.actor("secretary"), name="我为群众办实事", year=year, community=aw.communities["e1"]
    )


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def test_an_item_gets_a_unit_and_a_deadline_and_both_are_recorded(aw, plist):
    item = problems.add_item(
        plist, actor=aw.actor("secretary"), title="加装电梯", unit=aw.units["property"], due_on=yesterday()
    )
    assert (item.unit, item.due_on, item.overdue) == (aw.units["property"], yesterday(), True)
    record = ChangeRecord.objects.get(object_id=item.pk, content_type__model="problemitem")
    assert record.changes["责任单位"][1] == aw.units["property"].name
    # solved is never overdue
    item = problems.update_item(item, actor=aw.actor("secretary"), title="加装电梯", status=ProblemItemStatus.SOLVED)
    assert (item.unit, item.overdue) == (aw.units["property"], False)


def test_a_deadline_far_from_the_lists_year_is_refused(aw, plist):
    with pytest.raises(ValidationError) as exc:
        problems.add_item(plist, actor=aw.actor("secretary"), title="x", due_on=datetime.date(1999, 1, 1))
    assert "完成时限" in exc.value.message_dict["due_on"][0]
    assert not plist.items.exists()


def test_the_list_page_shows_unit_deadline_and_the_overdue_mark(aw, login, plist):
    client = login(aw.users["secretary"])
    response = client.post(
        reverse("appeals:problem_item_add", args=[plist.pk]),
        {"title": "修路灯", "status": "open", "unit": aw.units["property"].pk, "due_on": yesterday().isoformat()},
    )
    assert response.status_code == 302
    problems.add_item(plist, actor=aw.actor("secretary"), title="不限期")
    body = client.get(reverse("appeals:problem_list_detail", args=[plist.pk])).content.decode()
    assert f"责任单位：{aw.units['property'].name}" in body
    assert f"完成时限：{yesterday():%Y-%m-%d}" in body
    assert body.count('class="due-badge overdue"') == 1
    assert "超期1项" in body


def test_the_index_counts_overdue_items(aw, login, plist):
    problems.add_item(plist, actor=aw.actor("secretary"), title="过期", due_on=yesterday())
    problems.add_item(plist, actor=aw.actor("secretary"), title="已解决", due_on=yesterday(), status="solved")
    body = login(aw.users["staff"]).get(reverse("appeals:problem_lists")).content.decode()
    assert "超期1项" in body
