"""Issue 14: the reporter gets their tracking code and, once answered, a short notice by text message (through
LINLI_SMS_BACKEND; the in-memory backend here), after the transaction commits, never with their name or phone,
not at all when they opted out; a failing gateway never breaks the appeal action."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from linli.appeals import services
from linli.appeals.choices import Channel, ReplyMethod
from linli.appeals.models import Appeal
from linli.tracking import sms
from linli.tracking.sms import SmsError
from linli.tracking.tests.helpers import PHONE, handle, open_code, submit

pytestmark = pytest.mark.django_db


def code_texts(outbox):
    return [m for m in outbox if "查询码" in m.text and "验证码" not in m.text]


def answer_texts(outbox):
    return [m for m in outbox if "社区已答复" in m.text]


def assert_no_personal_details(text: str, *, name: str, phone: str):
    assert name not in text and phone not in text and phone[-4:] not in text
    assert "楼道灯" not in text  # nor the appeal's own words


def test_a_resident_gets_the_tracking_code_once_after_commit(aw, client, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        code = submit(client, outbox, building=aw.buildings["b1"], name="陈阿姨")
    appeal = Appeal.objects.get()
    assert appeal.sms_notify is True
    (message,) = code_texts(outbox)
    assert message.phone == PHONE
    assert code in message.text and appeal.number in message.text
    assert_no_personal_details(message.text, name="陈阿姨", phone=PHONE)


def test_nothing_is_texted_before_the_transaction_commits(aw, client, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(client, outbox, building=aw.buildings["b1"])
    assert code_texts(outbox) == [] and callbacks  # queued for after the commit, not sent inside it
    for callback in callbacks:
        callback()
    assert len(code_texts(outbox)) == 1


def test_the_answer_is_texted_once_when_the_community_replies(aw, client, outbox, django_capture_on_commit_callbacks):
    submit(client, outbox, building=aw.buildings["b1"], name="陈阿姨")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = handle(aw, Appeal.objects.get())
    (message,) = answer_texts(outbox)
    assert message.phone == PHONE and appeal.number in message.text
    assert_no_personal_details(message.text, name="陈阿姨", phone=PHONE)


def test_a_resident_who_opted_out_gets_no_text(aw, client, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, outbox, building=aw.buildings["b1"], no_sms="on")
        appeal = Appeal.objects.get()
        assert appeal.sms_notify is False
        handle(aw, appeal)
    assert code_texts(outbox) == [] and answer_texts(outbox) == []
    assert "不需要短信通知" in client.get(reverse("tracking:submit", args=["e1"])).content.decode()


def test_staff_register_with_the_reporters_consent_and_the_texted_code_opens_the_appeal(
    aw, outbox, django_capture_on_commit_callbacks
):
    staff = Client()
    staff.force_login(aw.users["grid_worker_1"])
    data = {
        "text": "楼道灯坏了，晚上看不见。",
        "channel": Channel.PHONE,
        "urgency": "",
        "reporter_name": "王阿姨",
        "reporter_phone": "13800001111",
        "building": aw.buildings["b1"].pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post("/appeals/new/", data).status_code == 302  # no consent: no text
        assert staff.post("/appeals/new/", {**data, "sms_notify": "on"}).status_code == 302
    (message,) = code_texts(outbox)
    assert message.phone == "13800001111"
    assert_no_personal_details(message.text, name="王阿姨", phone="13800001111")
    code = message.text.split("查询码")[1][:9]
    resident = Client()
    response = open_code(resident, code)
    consented = Appeal.objects.get(sms_notify=True)
    assert response["Location"] == reverse("tracking:status", args=[consented.number])


def test_staff_cannot_promise_a_text_to_a_landline_or_an_anonymous_reporter(aw, login):
    client = login(aw.users["grid_worker_1"])
    base = {"text": "路灯不亮", "channel": Channel.PHONE, "urgency": "", "building": aw.buildings["b1"].pk}
    response = client.post("/appeals/new/", {**base, "reporter_phone": "027-87654321", "sms_notify": "on"})
    assert response.status_code == 400 and "短信通知需要反映人的手机号" in response.content.decode()
    response = client.post("/appeals/new/", {**base, "anonymous": "on", "sms_notify": "on"})
    assert response.status_code == 400 and not Appeal.objects.exists()


class BrokenGateway(sms.BaseBackend):
    def send(self, phone, text):
        raise SmsError("网关超时")


def test_a_failing_gateway_is_logged_and_never_breaks_the_reply(
    aw, client, outbox, settings, caplog, django_capture_on_commit_callbacks
):
    submit(client, outbox, building=aw.buildings["b1"])
    appeal = handle(aw, Appeal.objects.get(), reply="")
    settings.LINLI_SMS_BACKEND = f"{__name__}.BrokenGateway"
    with caplog.at_level(logging.WARNING, logger="linli.sms"), django_capture_on_commit_callbacks(execute=True):
        services.reply(appeal, actor=aw.actor("staff"), text="灯修好了", method=ReplyMethod.PHONE)
    assert Appeal.objects.get(pk=appeal.pk).status == "closed"
    assert "failed" in caplog.text and PHONE not in caplog.text  # the number is masked in the log


def test_a_merged_duplicates_reporter_is_told_with_the_main_appeals_answer(
    aw, outbox, django_capture_on_commit_callbacks
):
    from linli.appeals.tests.conftest import new_appeal

    main = new_appeal(aw, reporter_phone="13800001111", sms_notify=True)
    dup = new_appeal(aw, reporter_name="李叔", reporter_phone="13700002222", sms_notify=True)
    quiet = new_appeal(aw, reporter_name="赵姐", reporter_phone="13600003333")  # did not agree
    services.merge_appeal(dup, main, actor=aw.actor("secretary"))
    services.merge_appeal(quiet, main, actor=aw.actor("secretary"))
    services.dispatch(main, aw.units["property"], actor=aw.actor("secretary"))
    services.sign(main, actor=aw.actor("dept_handler"))
    services.resolve(main, actor=aw.actor("dept_handler"), outcome="solved", resolution="已修")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(main, actor=aw.actor("staff"), text="灯修好了", method=ReplyMethod.PHONE)
    assert sorted(m.phone for m in answer_texts(outbox)) == ["13700002222", "13800001111"]
