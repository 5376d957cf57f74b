"""An urgent finding on a visit (身心状况 紧急): an alert, a message to the secretary, the worker's first resident."""

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import Actor
from linli.core.models import ChangeRecord
from linli.notifications.models import Notification
from linli.visits.models import VisitAlert
from linli.visits.services import resolve_alert
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db


def worklist_ids(client):
    body = client.get(reverse("visits:worklist")).content.decode()
    return [int(part.split('"', 1)[0]) for part in body.split('id="due-')[1:]]


def test_an_urgent_visit_raises_one_alert_and_tells_the_secretary_once(world):
    zhang = world.residents["zhang"]
    worker = world.users["grid_worker_1"]
    visit(zhang, 0, "met", actor=Actor(user=worker), wellbeing="urgent", findings="老人摔倒在家，无法起身")
    visit(zhang, 0, "met", actor=Actor(user=worker), wellbeing="urgent", findings="仍未送医")
    alert = VisitAlert.objects.get()
    assert (alert.resident_id, alert.reason, alert.get_reason_display(), alert.resolved) == (
        zhang.pk,
        "urgent",
        "走访发现紧急情况",
        False,
    )
    messages = Notification.objects.filter(kind="visit_alert")
    assert [m.user for m in messages] == [world.users["secretary"]]
    assert "张三" in messages[0].title and "紧急" in messages[0].title
    assert "老人摔倒在家" in messages[0].body
    record = ChangeRecord.objects.get(content_type__model="visitalert", object_id=alert.pk)
    assert (record.action, record.actor, record.note) == ("create", worker, "走访发现紧急情况")


def test_other_findings_raise_nothing(world):
    visit(world.residents["zhang"], 0, "met", wellbeing="attention")
    assert not VisitAlert.objects.exists()
    assert not Notification.objects.exists()


def test_the_urgent_resident_heads_the_workers_list_until_the_alert_is_resolved(world, login):
    zhang, li, chen = (world.residents[k] for k in ("zhang", "li", "chen"))
    visit(chen, -9)  # 独居老人, 7 days: 2 days overdue
    visit(zhang, -7)  # due today
    worker = world.users["grid_worker_1"]
    client = login(worker)
    # li (a disabled resident, interval 30) is not due: only the urgent alert brings him onto the list, first.
    assert worklist_ids(client) == [zhang.pk, chen.pk]
    visit(li, 0, "met", actor=Actor(user=worker), wellbeing="urgent", findings="情绪异常")
    assert worklist_ids(client) == [li.pk, zhang.pk, chen.pk]
    body = client.get(reverse("visits:worklist")).content.decode()
    assert "走访发现紧急情况" in body
    # another grid's worker does not get him
    assert li.pk not in worklist_ids(login(world.users["grid_worker_2"]))
    resolve_alert(VisitAlert.objects.get(), actor=Actor(user=world.users["secretary"]))
    assert worklist_ids(login(worker)) == [zhang.pk, chen.pk]


def test_the_visit_form_says_the_secretary_was_told(world, login):
    li = world.residents["li"]
    client = login(world.users["grid_worker_1"])
    response = client.post(
        reverse("visits:visit_log", args=[li.pk]),
        {"outcome": "met", "wellbeing": "urgent", "findings": "摔倒", "visited_on": timezone.localdate()},
        follow=True,
    )
    assert "已立即提醒社区书记" in response.content.decode()
    assert VisitAlert.objects.filter(resident=li, reason="urgent").count() == 1


def test_the_worklist_slices_across_the_urgent_residents_and_the_due_ones_in_one_order(world):
    from datetime import timedelta

    from linli.visits.overdue import Worklist

    zhang, li, chen = (world.residents[k] for k in ("zhang", "li", "chen"))
    worker = world.users["grid_worker_1"]
    visit(chen, -9)  # due (2 days overdue)
    visit(zhang, -7)  # due today
    visit(chen, 0, "met", actor=Actor(user=worker), wellbeing="urgent", findings="仍需再访")
    visit(li, 0, "met", actor=Actor(user=worker), wellbeing="urgent", findings="情绪异常")
    # li's alert is the earlier one: he comes first; chen (urgent and due) is listed once, among the urgent.
    VisitAlert.objects.filter(resident=li).update(created_at=timezone.now() - timedelta(hours=2))
    rows = Worklist(worker, timezone.localdate())
    assert rows.count() == len(rows) == 3
    assert [r.pk for r in rows] == [li.pk, chen.pk, zhang.pk]
    assert [r.pk for r in rows[1:3]] == [chen.pk, zhang.pk]
    assert [r.pk for r in rows[2:5]] == [zhang.pk]
    assert [r.urgent_since is not None for r in rows] == [True, True, False]
    assert rows[0:1][0].urgent_since < rows[1:2][0].urgent_since
    # the latest visit's outcome and day, for the urgent rows and the due ones alike
    assert [r.last_visit_on for r in rows] == [timezone.localdate()] * 2 + [timezone.localdate() - timedelta(days=7)]
