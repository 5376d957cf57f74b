"""Every dispatch path teaches the router once: a unit other than the one it suggests becomes a routing correction
(services.dispatch records it), whether the dispatcher used the detail page, the intake page, the API or bulk
dispatch; a dispatch to the suggested unit records nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.accounts.choices import TokenScope
from linli.accounts.models import ApiToken
from linli.appeals.choices import Channel, Status
from linli.appeals.models import Appeal
from linli.appeals.routing.models import RoutingCorrection
from linli.appeals.routing.services import suggest
from linli.appeals.tests.conftest import new_appeal

pytestmark = pytest.mark.django_db

TEXT = "楼道灯坏了"  # the router sends it to the property company


@pytest.fixture(autouse=True)
def _router_says_property(aw):
    assert suggest(TEXT, community=aw.communities["e1"].pk).unit == "property"


def corrections() -> list[tuple[str, str, int]]:
    return list(RoutingCorrection.objects.values_list("suggested", "chosen", "appeal_id"))


def api_dispatch(aw, client, unit: str):
    appeal = new_appeal(aw, category="corridor_light", text=TEXT)
    _, key = ApiToken.issue(aw.users["secretary"], "测试", scope=TokenScope.WRITE)
    response = client.post(
        f"/api/appeals/{appeal.pk}/dispatch",
        {"unit": unit},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    return appeal


def test_a_dispatch_through_the_api_to_another_unit_is_one_correction(aw, client):
    appeal = api_dispatch(aw, client, "water")
    assert corrections() == [("property", "water", appeal.pk)]


def test_a_dispatch_through_the_api_to_the_suggested_unit_is_none(aw, client):
    api_dispatch(aw, client, "property")
    assert corrections() == []


def intake_dispatch(aw, login, unit):
    response = login(aw.users["secretary"]).post(
        reverse("appeals:appeal_add"),
        {
            "text": TEXT,
            "channel": Channel.PHONE,
            "urgency": "",
            "reporter_name": "王阿姨",
            "building": aw.buildings["b1"].pk,
            "category": aw.category("corridor_light").pk,
            "and_dispatch": "1",
            "d-dispatch_unit": aw.units[unit].pk,
            "d-dispatch_note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    appeal = Appeal.objects.get()
    assert appeal.status == Status.PENDING_SIGN and appeal.unit == aw.units[unit]
    return appeal


def test_registering_and_dispatching_on_the_intake_page_to_another_unit_is_one_correction(aw, login):
    appeal = intake_dispatch(aw, login, "water")
    assert corrections() == [("property", "water", appeal.pk)]


def test_registering_and_dispatching_on_the_intake_page_to_the_suggested_unit_is_none(aw, login):
    intake_dispatch(aw, login, "property")
    assert corrections() == []


def test_the_detail_page_still_records_exactly_one(aw, login):
    appeal = new_appeal(aw, category="corridor_light", text=TEXT)
    response = login(aw.users["secretary"]).post(
        reverse("appeals:appeal_dispatch", args=[appeal.pk]),
        {"dispatch-unit": aw.units["water"].pk, "dispatch-note": ""},
    )
    assert response.status_code == 302
    assert corrections() == [("property", "water", appeal.pk)]


def test_bulk_dispatch_teaches_the_router_once_the_minimum_is_reached(aw, settings):
    """Each appeal sent elsewhere is a correction until the community has LINLI_ROUTING_LOCAL_MIN_CORRECTIONS
    similar ones; its router then suggests that unit for the same text, so the rest of the batch agrees with it
    and records nothing more."""
    from linli.appeals import services

    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 2
    appeals = [new_appeal(aw, category="corridor_light", text=TEXT) for _ in range(3)]
    services.dispatch_many(appeals, aw.units["water"], actor=aw.actor("secretary"))
    assert sorted(corrections()) == sorted([("property", "water", appeals[0].pk), ("property", "water", appeals[1].pk)])
    assert suggest(TEXT, community=aw.communities["e1"].pk).unit == "water"
