"""批量标为已处理 on 走访提醒: a confirmation naming the count, every ticked alert in scope or nothing changes,
one change record per alert that changed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.visits import services
from linli.visits.choices import AlertReason
from linli.visits.models import VisitAlert

pytestmark = pytest.mark.django_db

URL = reverse("visits:alert_bulk_resolve")


def alert(world, key, reason=AlertReason.NOT_HOME_THRICE):
    return VisitAlert.objects.create(resident=world.residents[key], reason=reason)


def resolved(alerts):
    return [VisitAlert.objects.get(pk=a.pk).resolved for a in alerts]


def post(client, alerts, confirm=False):
    data = {"ids": [a.pk for a in alerts], "back": ""}
    if confirm:
        data["confirm"] = "1"
    return client.post(URL, data)


def test_the_alert_list_offers_checkboxes(world, login):
    alert(world, "zhang")
    page = login(world.users["secretary"]).get(reverse("visits:alert_list")).content.decode()
    assert 'name="ids"' in page and 'form="bulk-alerts"' in page


def test_it_asks_for_confirmation_naming_the_count(world, login):
    alerts = [alert(world, "zhang"), alert(world, "wang", AlertReason.LONG_OVERDUE)]
    response = post(login(world.users["secretary"]), alerts)
    assert response.status_code == 200
    assert "确认将 2 条走访提醒标为已处理？" in response.content.decode()
    assert resolved(alerts) == [False, False]


def test_it_resolves_every_ticked_alert_with_one_change_record_each(world, login):
    alerts = [alert(world, "zhang"), alert(world, "wang"), alert(world, "chen")]
    VisitAlert.objects.filter(pk=alerts[2].pk).update(resolved=True)
    before = ChangeRecord.objects.count()
    response = post(login(world.users["secretary"]), alerts, confirm=True)
    assert response.status_code == 302 and response["Location"] == reverse("visits:alert_list")
    assert resolved(alerts) == [True, True, True]
    records = list(ChangeRecord.objects.order_by("id")[before:])
    assert sorted(r.object_id for r in records) == sorted([alerts[0].pk, alerts[1].pk])
    assert all(r.actor == world.users["secretary"] for r in records)
    assert [m.message for m in response.wsgi_request._messages] == ["已将 2 条走访提醒标为已处理（1 条此前已处理）。"]


@pytest.mark.parametrize("confirm", [False, True])
def test_it_refuses_all_when_one_alert_is_outside_scope(world, login, confirm):
    mine, theirs = alert(world, "zhang"), alert(world, "zhao")  # 赵六 lives in 东二社区
    before = ChangeRecord.objects.count()
    response = post(login(world.users["secretary"]), [mine, theirs], confirm=confirm)
    assert response.status_code == 403
    assert resolved([mine, theirs]) == [False, False]
    assert ChangeRecord.objects.count() == before


def test_the_service_refuses_out_of_scope_alerts(world):
    mine, theirs = alert(world, "zhang"), alert(world, "sun")
    with pytest.raises(PermissionDenied):
        services.resolve_alerts([mine.pk, theirs.pk], actor=actor_of(world.users["secretary"]))
    assert resolved([mine, theirs]) == [False, False]


def test_a_grid_worker_may_not_resolve_alerts_in_bulk(world, login):
    a = alert(world, "zhang")
    assert post(login(world.users["grid_worker_1"]), [a], confirm=True).status_code == 403
    assert resolved([a]) == [False]
