"""批量派单 from the 待派单 tab: a confirmation naming the count, then every ticked appeal to one unit in one
transaction (each through services.dispatch); an appeal outside the dispatcher's area, or one that cannot be
dispatched, refuses the whole batch."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.appeals import services
from linli.appeals.choices import EventAction, Status
from linli.appeals.models import Appeal, AppealEvent

from .conftest import new_appeal

pytestmark = pytest.mark.django_db

URL = reverse("appeals:appeal_bulk_dispatch")


def post(client, appeals, unit, confirm=False):
    data = {"ids": [a.pk for a in appeals], "unit": unit.pk, "note": "请尽快处理", "back": "tab=dispatch"}
    if confirm:
        data["confirm"] = "1"
    return client.post(URL, data)


def statuses(appeals):
    return [Appeal.objects.get(pk=a.pk).status for a in appeals]


def test_the_dispatch_tab_offers_checkboxes(aw, login):
    new_appeal(aw)
    page = login(aw.users["secretary"]).get(reverse("appeals:appeal_list") + "?tab=dispatch").content.decode()
    assert 'name="ids"' in page and "批量派单" in page


def test_it_asks_for_confirmation_naming_the_count(aw, login):
    appeals = [new_appeal(aw), new_appeal(aw, building="b2")]
    response = post(login(aw.users["secretary"]), appeals, aw.units["property"])
    assert response.status_code == 200
    assert f"确认将 2 件诉求派给“{aw.units['property'].name}”？" in response.content.decode()
    assert statuses(appeals) == [Status.PENDING_DISPATCH] * 2


def test_it_dispatches_every_ticked_appeal_with_one_event_each(aw, login):
    appeals = [new_appeal(aw), new_appeal(aw, building="b2"), new_appeal(aw)]
    response = post(login(aw.users["secretary"]), appeals, aw.units["property"], confirm=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:appeal_list") + "?tab=dispatch"
    assert statuses(appeals) == [Status.PENDING_SIGN] * 3
    assert {Appeal.objects.get(pk=a.pk).assigned_org for a in appeals} == {aw.orgs["property"]}
    events = AppealEvent.objects.filter(appeal__in=appeals, action=EventAction.DISPATCHED)
    assert events.count() == 3
    assert all(e.actor == aw.users["secretary"] and e.note.startswith("请尽快处理") for e in events)


@pytest.mark.parametrize("confirm", [False, True])
def test_it_refuses_the_batch_when_one_appeal_is_outside_the_dispatchers_area(aw, login, confirm):
    mine, theirs = new_appeal(aw), new_appeal(aw, building="b3")  # b3 is 东二社区's
    response = post(login(aw.users["secretary"]), [mine, theirs], aw.units["property"], confirm=confirm)
    assert response.status_code == 403
    assert statuses([mine, theirs]) == [Status.PENDING_DISPATCH] * 2
    assert not AppealEvent.objects.filter(action=EventAction.DISPATCHED).exists()


def test_the_service_refuses_out_of_area_appeals(aw):
    mine, theirs = new_appeal(aw), new_appeal(aw, building="b3")
    with pytest.raises(PermissionDenied):
        services.dispatch_many([mine, theirs], aw.units["property"], actor=aw.actor("secretary"))
    assert statuses([mine, theirs]) == [Status.PENDING_DISPATCH] * 2


def test_one_appeal_that_cannot_go_stops_the_whole_batch_and_is_named(aw, login):
    first = new_appeal(aw)
    done = new_appeal(aw)
    services.dispatch(done, aw.units["water"], actor=aw.actor("secretary"))
    client = login(aw.users["secretary"])
    response = post(client, [first, done], aw.units["property"], confirm=True)
    assert response.status_code == 302
    message = [m.message for m in response.wsgi_request._messages][-1]
    assert done.number in message and "没有派出任何一件" in message
    assert Appeal.objects.get(pk=first.pk).status == Status.PENDING_DISPATCH
    assert AppealEvent.objects.filter(appeal=first, action=EventAction.DISPATCHED).count() == 0


def test_the_service_names_the_appeal_that_failed(aw):
    first, second = new_appeal(aw), new_appeal(aw)
    Appeal.objects.filter(pk=second.pk).update(category=None)
    with pytest.raises(ValidationError) as exc:
        services.dispatch_many([first, second], aw.units["property"], actor=aw.actor("secretary"))
    assert second.number in exc.value.messages[0]
    assert statuses([first, second]) == [Status.PENDING_DISPATCH] * 2


def test_the_timeline_names_a_command_in_chinese(aw, login):
    """Events written by older demo builds carry the command's English name: the page shows 演示数据."""
    from linli.core.audit import Actor

    appeal = new_appeal(aw, actor=Actor.cli("linli demo"))
    page = login(aw.users["secretary"]).get(reverse("appeals:appeal_detail", args=[appeal.pk])).content.decode()
    assert "演示数据" in page and "linli demo" not in page
