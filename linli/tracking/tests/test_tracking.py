"""Following an appeal: a code opens its own appeal only, a verified phone lists its own, staff-only stays staff-only."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from linli.appeals.choices import Channel
from linli.appeals.models import Appeal
from linli.appeals.services import create_appeal
from linli.testing import SYSTEM
from linli.tracking import limits, otp, views
from linli.tracking.tests.conftest import last_code
from linli.tracking.tests.helpers import PHONE, handle, open_code, submit

pytestmark = pytest.mark.django_db

UNKNOWN = "查询码不对，请核对后再输入。"


def verify_phone(client, outbox, phone=PHONE, **meta):
    limits.reset("send-phone", otp.phone_key(phone), otp.SEND_PER_PHONE[:1])  # "a minute later"
    client.post(reverse("tracking:phone"), {"action": "send", "phone": phone}, **meta)
    return client.post(reverse("tracking:phone"), {"action": "verify", "code": last_code(outbox)}, **meta)


def test_the_timeline_hides_internal_notes_and_staff_names(aw, client, outbox):
    submit(client, outbox, building=aw.buildings["b1"])
    appeal = handle(
        aw, Appeal.objects.get(), internal_note="住户脾气大，上门注意", public_note="已订购灯泡，明天上门更换", reply=""
    )
    page = client.get(reverse("tracking:status", args=[appeal.number])).content.decode()
    assert "已订购灯泡，明天上门更换" in page
    assert "住户脾气大" not in page
    assert "dept_handler" not in page and "secretary" not in page and "staff" not in page  # user names
    assert "东一物业服务中心" in page  # the organisation is named
    # 办理情况 is shown to the reporter unless the handler chose 内部 (issue 14; test_handler_photos_and_notes)
    assert "已办理完，社区会回访您" in page and "已更换灯泡" in page
    assert "提交评价" not in page  # no reply yet


def test_a_code_opens_its_own_appeal_and_no_other(aw, outbox):
    first, second = Client(), Client()
    code_a = submit(first, outbox, text="楼道灯坏了", building=aw.buildings["b1"])
    code_b = submit(second, outbox, phone="13600002222", text="下水道堵了", building=aw.buildings["b2"])
    a, b = Appeal.objects.order_by("id")
    assert code_a != code_b
    reader = Client()
    response = open_code(reader, code_a)
    assert response["Location"] == reverse("tracking:status", args=[a.number])
    assert "楼道灯坏了" in reader.get(response["Location"]).content.decode()
    # the other appeal's page is refused (a redirect to the code form, as for a number that does not exist)
    refused = reader.get(reverse("tracking:status", args=[b.number]))
    missing = reader.get(reverse("tracking:status", args=["20990101-99999"]))
    assert refused.status_code == missing.status_code == 302
    assert refused["Location"] == missing["Location"] == reverse("tracking:lookup")
    assert reader.post(reverse("tracking:rate", args=[b.number]), {"rating": "satisfied"}).status_code == 302
    assert code_b


@pytest.mark.parametrize("code", ["ABCD2345", "abcd-2345", "0O1I0O1I", "短", "ABCD23456789", "'; drop table"])
def test_unknown_and_malformed_codes_get_the_same_answer(aw, client, code):
    response = open_code(client, code)
    assert response.status_code == 400
    assert UNKNOWN in response.content.decode()


def test_guessing_codes_is_rate_limited_per_address(aw, outbox):
    owner = Client()
    code = submit(owner, outbox, address="小区东门口")
    guesser = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(views.LOOKUP_WRONG_PER_IP[0][0]):
        assert open_code(guesser, "ABCD2345").status_code == 400
    response = open_code(guesser, code)  # even the right code waits now
    assert response.status_code == 429 and "输错的次数太多了" in response.content.decode()
    assert open_code(Client(REMOTE_ADDR="10.1.1.2"), code).status_code == 302


def test_a_verified_phone_lists_only_its_own_appeals(aw, outbox):
    submit(Client(), outbox, text="楼道灯坏了", address="小区东门口")
    submit(Client(), outbox, phone="13600002222", text="邻居家漏水到我家", address="2栋")
    # registered by staff on the phone with the same number: the resident sees it too
    create_appeal(
        actor=SYSTEM,
        text="电话反映：垃圾没人收",
        channel=Channel.PHONE,
        reporter_phone=PHONE,
        address="东门",
        community=aw.communities["e1"],
    )
    create_appeal(
        actor=SYSTEM,
        text="匿名：有人半夜唱歌",
        channel=Channel.PHONE,
        anonymous=True,
        address="东门",
        community=aw.communities["e1"],
    )
    client = Client()
    assert client.get(reverse("tracking:list"))["Location"] == reverse("tracking:phone")
    assert verify_phone(client, outbox)["Location"] == reverse("tracking:list")
    page = client.get(reverse("tracking:list")).content.decode()
    assert "楼道灯坏了" in page and "垃圾没人收" in page
    assert "邻居家漏水" not in page and "半夜唱歌" not in page
    other = Appeal.objects.get(text="邻居家漏水到我家")
    assert client.get(reverse("tracking:status", args=[other.number]))["Location"] == reverse("tracking:lookup")
    mine = Appeal.objects.get(text="楼道灯坏了")
    assert client.get(reverse("tracking:status", args=[mine.number])).status_code == 200


def test_the_verified_phone_lasts_thirty_minutes_and_can_be_ended(aw, client, outbox, monkeypatch):
    submit(Client(), outbox, address="小区东门口")
    verify_phone(client, outbox)
    assert client.get(reverse("tracking:list")).status_code == 200
    later = time.time() + views.PHONE_SECONDS + 1
    monkeypatch.setattr(views, "time", type("T", (), {"time": staticmethod(lambda: later)}))
    assert client.get(reverse("tracking:list"))["Location"] == reverse("tracking:phone")
    monkeypatch.undo()
    verify_phone(client, outbox)
    client.post(reverse("tracking:list"))  # 退出
    assert client.get(reverse("tracking:list"))["Location"] == reverse("tracking:phone")


def test_codes_are_sent_at_most_once_a_minute_and_five_times_a_day(aw, outbox, monkeypatch):
    client = Client()
    send = reverse("tracking:phone")
    assert client.post(send, {"action": "send", "phone": PHONE}).status_code == 302
    page = client.post(send, {"action": "send", "phone": PHONE}).content.decode()
    assert "请等1分钟再重新获取" in page and len(outbox) == 1
    # a minute later it may be sent again, up to five times in the day
    for n in range(4):
        limits.reset("send-phone", otp.phone_key(PHONE), otp.SEND_PER_PHONE[:1])
        assert Client(REMOTE_ADDR=f"10.9.9.{n}").post(send, {"action": "send", "phone": PHONE}).status_code == 302
    limits.reset("send-phone", otp.phone_key(PHONE), otp.SEND_PER_PHONE[:1])
    page = Client(REMOTE_ADDR="10.9.9.9").post(send, {"action": "send", "phone": PHONE}).content.decode()
    assert "今天获取验证码的次数太多了" in page and len(outbox) == 5


def test_one_address_cannot_text_many_phones(aw, outbox):
    limit = otp.SEND_PER_IP[0][0]
    for n in range(limit):
        Client(REMOTE_ADDR="10.2.2.2").post(reverse("tracking:phone"), {"action": "send", "phone": f"1390000000{n}"})
    page = (
        Client(REMOTE_ADDR="10.2.2.2")
        .post(reverse("tracking:phone"), {"action": "send", "phone": "13911110000"})
        .content.decode()
    )
    assert "次数太多" in page and len(outbox) == limit


def test_the_code_is_not_kept_in_the_clear(aw, client, outbox):
    from django.core.cache import cache

    client.post(reverse("tracking:phone"), {"action": "send", "phone": PHONE})
    code = last_code(outbox)
    state = cache.get("linli:trk:otp:" + otp.phone_key(PHONE))
    assert state and code not in repr(state) and PHONE not in repr(state)


def test_a_failing_sms_gateway_gets_a_plain_message(aw, client, settings):
    settings.LINLI_SMS_BACKEND = "linli.tracking.tests.test_tracking.BrokenBackend"
    page = client.post(reverse("tracking:phone"), {"action": "send", "phone": PHONE}).content.decode()
    assert "短信没有发出去" in page


class BrokenBackend:
    def send(self, phone, text):
        raise ConnectionError("gateway down")


def test_the_log_backend_writes_the_message_to_the_log(caplog):
    from linli.tracking.sms import LogBackend

    with caplog.at_level("WARNING", logger="linli.sms"):
        LogBackend().send(PHONE, "【邻里】您的验证码是123456")
    assert "123456" in caplog.text


def test_the_deploy_check_warns_about_the_log_backend_in_production(settings):
    from linli.tracking.apps import check_sms_backend

    settings.LINLI_SMS_BACKEND = "linli.tracking.sms.LogBackend"
    settings.PRODUCTION = True
    assert [m.id for m in check_sms_backend()] == ["linli.tracking.W001"]
    settings.LINLI_SMS_BACKEND = "linli.tracking.sms.Nope"
    assert [m.id for m in check_sms_backend()] == ["linli.tracking.E001"]


def test_the_poster_shows_the_submit_address(aw, client):
    page = client.get(reverse("tracking:poster", args=["e1"])).content.decode()
    assert "http://testserver/s/e1/" in page and "东一社区" in page


def test_the_posters_qr_code_encodes_the_submit_address(aw, client):
    import segno

    from linli.tracking.views import qr_svg

    page = client.get(reverse("tracking:poster", args=["e1"])).content.decode()
    assert "<svg" in page and "扫码反映问题" in page
    assert qr_svg("http://testserver/s/e1/") in page  # the submit page's address, not the tracking page's
    assert segno.make("http://testserver/s/e1/", error="m").error == "M"  # readable with a quarter of it soiled
    # it scales to the size the page gives it (a fixed-size SVG without a viewBox was cut off), with a quiet zone
    svg = qr_svg("https://linli.example.gov.cn/s/qinghejuju/")
    assert 'viewBox="0 0 37 37"' in svg and "width=" not in svg and "height=" not in svg  # version 3: 29 + 2 x 4


def test_the_communitys_public_page_links_to_the_submit_page(aw, client):
    page = client.get(reverse("appeals:public_results", args=["e1"])).content.decode()
    assert 'href="/s/e1/"' in page and 'href="/s/track/"' in page
