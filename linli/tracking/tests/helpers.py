"""Driving the resident's pages through the test client."""

from __future__ import annotations

import re

from django.urls import reverse

from linli.tracking.tests.conftest import last_code

PHONE = "13912345678"


def start(client, *, community="e1", text="楼道灯坏了一个星期，晚上老人上下楼看不见。", building=None, **extra):
    data = {"text": text, "building": building.pk if building else "", "room": "", "address": "", "name": ""}
    data.update(extra)
    return client.post(reverse("tracking:submit", args=[community]), data)


def send_code(client, phone=PHONE, *, community="e1", **meta):
    return client.post(reverse("tracking:verify", args=[community]), {"action": "send", "phone": phone}, **meta)


def enter_code(client, code, *, community="e1", **meta):
    return client.post(reverse("tracking:verify", args=[community]), {"action": "verify", "code": code}, **meta)


def submit(client, outbox, *, community="e1", phone=PHONE, **kwargs) -> str:
    """The whole submit flow; returns the tracking code shown on the done page."""
    response = start(client, community=community, **kwargs)
    assert response.status_code == 302, response.content.decode()
    response = send_code(client, phone, community=community)
    assert response.status_code == 302, response.content.decode()
    response = enter_code(client, last_code(outbox), community=community)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("tracking:done", args=[community])
    page = client.get(response["Location"]).content.decode()
    return re.search(r'data-testid="tracking-code">([A-Z0-9-]+)<', page).group(1)


def open_code(client, code):
    return client.post(reverse("tracking:lookup"), {"code": code})


def handle(aw, appeal, *, reply="灯已经修好了，您看看还有问题吗？", rating="none", internal_note="", public_note=""):
    """Staff take the appeal from 待派单 to 已结案 through the services, as the office would."""
    from linli.appeals import services
    from linli.appeals.choices import Outcome, ReplyMethod
    from linli.appeals.models import Appeal

    services.update_appeal(appeal, actor=aw.actor("secretary"), category=aw.category("corridor_light"))
    services.dispatch(Appeal.objects.get(pk=appeal.pk), aw.units["property"], actor=aw.actor("secretary"))
    services.sign(appeal, actor=aw.actor("dept_handler"))
    if internal_note:
        services.add_progress(appeal, actor=aw.actor("dept_handler"), note=internal_note, internal=True)
    if public_note:
        services.add_progress(appeal, actor=aw.actor("dept_handler"), note=public_note, public=True)
    services.resolve(appeal, actor=aw.actor("dept_handler"), outcome=Outcome.SOLVED, resolution="已更换灯泡")
    if reply:
        services.reply(
            Appeal.objects.get(pk=appeal.pk),
            actor=aw.actor("staff"),
            text=reply,
            method=ReplyMethod.MESSAGE,
            rating=rating,
        )
    return Appeal.objects.get(pk=appeal.pk)
