"""The appeal endpoints answer through linli.core.api_answers (no second validation by django-ninja): every answer is
the JSON ninja's own validation of the same appeal gives, in every state, for every kind of viewer."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from linli.accounts.models import ApiToken
from linli.api import api
from linli.appeals import services
from linli.appeals.api import PREFETCH, RELATED, AppealDetailSchema, _with_timeline
from linli.appeals.choices import Outcome, Rating, ReplyMethod
from linli.appeals.models import Appeal
from linli.appeals.tests.conftest import new_appeal
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

JSON = {"content_type": "application/json"}


def ninjas_own(user, pk: int, *, token=None, status: int = 200) -> dict:
    """What django-ninja's response validation makes of the appeal the endpoint reads (as before api_answers)."""
    request = RequestFactory().get("/")
    request.user = request.auth_user = user
    if token is not None:
        request.api_token = token
    appeal = _with_timeline(user, Appeal.objects.select_related(*RELATED).prefetch_related(*PREFETCH).get(pk=pk))
    context = {"request": request, "response_status": status}
    data = AppealDetailSchema.model_validate(appeal, context=context).model_dump()
    return json.loads(api.renderer.render(request, data, response_status=status))


def appeals_in_every_state(aw) -> list[Appeal]:
    made = [
        new_appeal(aw),
        new_appeal(aw, anonymous=True, reporter_name="", reporter_phone=""),
        new_appeal(aw, building=None, community=aw.communities["e1"], address="小区东门", category="door_access"),
    ]
    made.append(new_appeal(aw, building=None, reporter=aw.residents["zhang"], reporter_name="", reporter_phone=""))
    dispatched, signed, resolved, closed = (new_appeal(aw) for _ in range(4))
    for appeal in (dispatched, signed, resolved, closed):
        services.dispatch(appeal, aw.units["property"], actor=SYSTEM, note="尽快")
    for appeal in (signed, resolved, closed):
        services.sign(appeal, actor=aw.actor("dept_handler"))
    for appeal in (resolved, closed):
        services.resolve(appeal, actor=aw.actor("dept_handler"), outcome=Outcome.SOLVED, resolution="换了灯泡")
    services.reply(closed, actor=SYSTEM, text="已修好", method=ReplyMethod.PHONE, rating=Rating.SATISFIED)
    return [*made, dispatched, signed, resolved, closed]


def test_every_detail_is_ninjas_own_answer(aw, login):
    appeals = appeals_in_every_state(aw)
    for username in ("secretary", "dept_handler"):
        user = aw.users[username]
        client = login(user)
        for appeal in appeals:
            response = client.get(f"/api/appeals/{appeal.pk}")
            if response.status_code == 404:  # outside this viewer's scope (a handler sees its unit's appeals)
                continue
            assert response.status_code == 200, response.content
            assert response.json() == ninjas_own(user, appeal.pk), (username, appeal.status)


def test_a_token_without_full_phones_gets_ninjas_own_masked_answer(aw, client):
    appeal = new_appeal(aw)
    user = aw.users["secretary"]
    token, key = ApiToken.issue(user, "看板")  # read-only, phones masked
    response = client.get(f"/api/appeals/{appeal.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, response.content
    assert response.json()["reporter_phone"] == "138****1111"
    assert response.json() == ninjas_own(user, appeal.pk, token=token)


def test_a_create_and_each_step_answer_as_ninja_would(aw, login):
    secretary = login(aw.users["secretary"])
    made = secretary.post(
        "/api/appeals",
        {"text": "楼道灯坏了", "building": aw.buildings["b1"].pk, "category": "corridor_light", "reporter_name": "王"},
        **JSON,
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json() == ninjas_own(aw.users["secretary"], pk, status=201)
    sent = secretary.post(f"/api/appeals/{pk}/dispatch", {"unit": "property"}, **JSON)
    assert sent.status_code == 200 and sent.json() == ninjas_own(aw.users["secretary"], pk)
    handler = login(aw.users["dept_handler"])
    signed = handler.post(f"/api/appeals/{pk}/sign")
    assert signed.status_code == 200 and signed.json() == ninjas_own(aw.users["dept_handler"], pk)
