"""Issue 13 finding 8: the resident pages' limits are keyed on the real client behind our proxy, and per phone,
per client and globally with separate thresholds.

The attack: behind the production reverse proxy every request came from the proxy's address, so the whole city
shared one key — 3 SMS codes a minute for everyone, and 10 wrong tracking codes locked everyone out.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.appeals.models import Appeal
from linli.tracking import limits, otp
from linli.tracking.tests.helpers import handle, open_code, submit

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
SEND = "tracking:phone"


def resident(forwarded: str | None = None, remote: str = PROXY) -> Client:
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**meta)


def send(client, phone):
    return client.post(reverse(SEND), {"action": "send", "phone": phone})


@pytest.fixture
def behind_proxy(settings):
    settings.LINLI_TRUSTED_PROXIES = [PROXY]


def test_defaults_follow_the_finding():
    assert limits.DEFAULTS["sms_phone"] == ((1, 60), (5, 86400))
    assert limits.DEFAULTS["sms_client"] == ((10, 3600),)
    assert limits.DEFAULTS["sms_global"][0][1] == 60


def test_behind_a_trusted_proxy_two_residents_are_limited_separately_for_sms(aw, outbox, behind_proxy):
    first = resident("203.0.113.7")
    for n in range(10):
        assert send(first, f"1390000{n:04d}").status_code == 302
    refused = send(first, "13911112222")
    assert refused.status_code == 400 and "请过1小时再试" in refused.content.decode()
    # another resident, through the same proxy, is a different client
    assert send(resident("198.51.100.9"), "13911112222").status_code == 302
    assert len(outbox) == 11


def test_behind_a_trusted_proxy_wrong_tracking_codes_of_one_resident_do_not_lock_out_another(aw, outbox, behind_proxy):
    code = submit(resident("198.51.100.9"), outbox, address="小区东门口")
    guesser = resident("203.0.113.7")
    for _ in range(10):
        assert open_code(guesser, "ABCD2345").status_code == 400
    assert open_code(guesser, code).status_code == 429
    assert open_code(resident("198.51.100.10"), code).status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(aw, outbox, settings):
    settings.LINLI_TRUSTED_PROXIES = []
    # one client making up a new forwarded address for every request is still one client
    for n in range(10):
        assert send(resident(f"203.0.113.{n}", remote="192.0.2.50"), f"1390000{n:04d}").status_code == 302
    refused = send(resident("198.51.100.77", remote="192.0.2.50"), "13911112222")
    assert refused.status_code == 400 and "请过1小时再试" in refused.content.decode()
    code = submit(resident(remote="192.0.2.99"), outbox, phone="13711112222", address="小区东门口")
    for n in range(10):
        open_code(resident(f"203.0.113.{n}", remote="192.0.2.60"), "ABCD2345")
    assert open_code(resident("198.51.100.5", remote="192.0.2.60"), code).status_code == 429


def test_an_untrusted_hop_in_front_of_the_proxy_cannot_choose_its_key(aw, outbox, behind_proxy):
    # The client wrote "1.2.3.4" itself; our proxy appended the address it really came from.
    for n in range(10):
        assert send(resident(f"1.2.3.{n}, 203.0.113.7"), f"1390000{n:04d}").status_code == 302
    assert send(resident("9.9.9.9, 203.0.113.7"), "13911112222").status_code == 400


def test_the_global_sms_cap_holds_across_clients_and_phones(aw, outbox, behind_proxy, settings):
    settings.LINLI_TRACKING_RATES = {"sms_global": [(5, 60), (100, 86400)]}
    for n in range(5):
        assert send(resident(f"203.0.113.{n}"), f"1390000{n:04d}").status_code == 302
    refused = send(resident("198.51.100.1"), "13911112222")
    assert refused.status_code == 400 and "现在获取验证码的人太多了" in refused.content.decode()
    assert len(outbox) == 5
    # a minute later (the minute window ends) the budget of the day still counts
    limits.reset("send-all", limits.EVERYONE, [(5, 60)])
    assert send(resident("198.51.100.1"), "13911112222").status_code == 302


def test_a_phone_gets_five_codes_a_day_whatever_the_client(aw, outbox, behind_proxy):
    phone = "13911112222"
    for n in range(5):
        limits.reset("send-phone", otp.phone_key(phone), [(1, 60)])
        assert send(resident(f"203.0.113.{n}"), phone).status_code == 302
    limits.reset("send-phone", otp.phone_key(phone), [(1, 60)])
    refused = send(resident("198.51.100.1"), phone)
    assert "今天获取验证码的次数太多了" in refused.content.decode() and len(outbox) == 5


def test_the_global_cap_on_wrong_tracking_codes_slows_guessing_but_locks_nobody_out(aw, outbox, behind_proxy, settings):
    settings.LINLI_TRACKING_RATES = {"lookup_wrong_global": [(20, 60)]}
    code = submit(resident("198.51.100.9"), outbox, address="小区东门口")
    # a spread-out guess: 20 clients, one wrong code each, fills the global window
    for n in range(20):
        assert open_code(resident(f"203.0.113.{n}"), "ABCD2345").status_code == 400
    # now each client gets 3 tries in 10 minutes instead of 10 ...
    guesser = resident("203.0.113.200")
    assert [open_code(guesser, "ABCD2345").status_code for _ in range(4)] == [400, 400, 400, 429]
    # ... but a resident with the right code still gets in, and so does one with a typo first
    assert open_code(resident("198.51.100.10"), code).status_code == 302
    typo = resident("198.51.100.11")
    assert open_code(typo, "ABCD2345").status_code == 400
    assert open_code(typo, code).status_code == 302


def test_the_hint_has_a_global_cap(aw, behind_proxy, settings):
    settings.LINLI_TRACKING_RATES = {"hint_global": [(3, 60)]}
    hint = reverse("tracking:hint", args=["e1"])
    answers = [resident(f"203.0.113.{n}").post(hint, {"text": "楼道灯坏了好几天了"}).content.decode() for n in range(5)]
    assert all("物业服务企业" in a for a in answers[:3])
    assert all(a.strip() == "" for a in answers[3:])


def test_the_hint_is_limited_per_client_behind_the_proxy(aw, behind_proxy, settings):
    settings.LINLI_TRACKING_RATES = {"hint_client": [(2, 60)]}
    hint = reverse("tracking:hint", args=["e1"])
    one = resident("203.0.113.7")
    answers = [one.post(hint, {"text": "楼道灯坏了好几天了"}).content.decode() for _ in range(3)]
    assert answers[2].strip() == ""
    assert "物业服务企业" in resident("203.0.113.8").post(hint, {"text": "楼道灯坏了好几天了"}).content.decode()


# --- finding 2 on the resident's own page: a merged duplicate does not read another resident's reply ---------


def test_a_merged_duplicates_reporter_reads_the_public_reply_not_the_main_reporters(aw, outbox):
    from linli.appeals import services as appeal_services

    main_client, dup_client = Client(), Client()
    submit(main_client, outbox, text="1栋楼道灯坏了", building=aw.buildings["b1"])
    submit(dup_client, outbox, phone="13611112222", text="1栋楼道灯不亮", building=aw.buildings["b1"])
    main, dup = Appeal.objects.order_by("id")
    appeal_services.merge_appeal(dup, main, actor=aw.actor("secretary"))
    handle(aw, Appeal.objects.get(pk=main.pk), reply="张三您好，您家101门口的灯修好了，电话13812345678")
    dup_page = dup_client.get(reverse("tracking:status", args=[dup.number])).content.decode()
    assert "13812345678" not in dup_page and "张三" not in dup_page and "101" not in dup_page
    assert "一并办结" in dup_page
    Appeal.objects.filter(pk=main.pk).update(public_reply="1栋楼道灯已全部更换，张三家门口也装了新灯")
    dup_page = dup_client.get(reverse("tracking:status", args=[dup.number])).content.decode()
    assert "1栋楼道灯已全部更换" in dup_page and "张三" not in dup_page
    # the main appeal's own reporter reads the reply written to them
    main_page = main_client.get(reverse("tracking:status", args=[main.number])).content.decode()
    assert "张三您好" in main_page
