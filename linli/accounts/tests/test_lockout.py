"""Login lockout by username + client address, a per-client limit across usernames, unlock by SMS code
(issue 13 §8)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from linli.accounts.models import User
from linli.core.models import ChangeRecord
from linli.testing import PASSWORD
from linli.tracking import sms

pytestmark = pytest.mark.django_db

ATTACKER, CLERK = "203.0.113.66", "198.51.100.7"


@pytest.fixture(autouse=True)
def _clean_limits_and_outbox(settings):
    settings.LINLI_SMS_BACKEND = "linli.tracking.sms.LocMemBackend"
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()
    sms.outbox.clear()


def attempt(client, username, password, ip):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_failures_from_another_address_do_not_lock_the_clerk_out(world, client):
    for _ in range(10):
        attempt(client, "grid_worker_1", "wrong-Password-1", ATTACKER)
    # the attacker's address is locked for that account, even with the right password ...
    assert attempt(client, "grid_worker_1", PASSWORD, ATTACKER).status_code == 429
    # ... the clerk at her own desk is not
    assert attempt(client, "grid_worker_1", PASSWORD, CLERK).status_code == 302


def test_one_address_spraying_many_usernames_is_stopped(world, client):
    statuses = [attempt(client, f"user{i}", "wrong-Password-1", ATTACKER).status_code for i in range(25)]
    assert statuses[:19] == [200] * 19
    assert statuses[19:] == [429] * 6  # the 20th failure locks the address
    # every account is closed from that address, the right password included ...
    response = attempt(client, "grid_worker_2", PASSWORD, ATTACKER)
    assert response.status_code == 429 and "登录失败的次数太多" in response.content.decode()
    # ... and open from anywhere else
    assert attempt(client, "grid_worker_2", PASSWORD, CLERK).status_code == 302


def test_a_successful_login_does_not_reset_the_spraying_count_of_its_address(world, client):
    for i in range(19):
        attempt(client, f"user{i}", "wrong-Password-1", ATTACKER)
    assert attempt(client, "grid_worker_1", PASSWORD, ATTACKER).status_code == 302  # the attacker's own account
    client.logout()
    assert attempt(client, "user99", "wrong-Password-1", ATTACKER).status_code == 429


def lock(client, username, ip=CLERK):
    for _ in range(5):
        attempt(client, username, "wrong-Password-1", ip)
    assert attempt(client, username, PASSWORD, ip).status_code == 429


def texted_code():
    assert sms.outbox, "no text was sent"
    return re.search(r"\d{6}", sms.outbox[-1].text).group()


def test_a_locked_out_user_unlocks_with_a_texted_code(world, client):
    User.objects.filter(username="grid_worker_1").update(phone="138 1234 5678")
    lock(client, "grid_worker_1")
    locked_page = attempt(client, "grid_worker_1", PASSWORD, CLERK).content.decode()
    assert reverse("accounts:unlock") in locked_page

    unlock = reverse("accounts:unlock")
    response = client.post(unlock, {"action": "send", "username": "grid_worker_1"}, REMOTE_ADDR=CLERK)
    assert response.status_code == 302
    assert sms.outbox[-1].phone == "13812345678"
    code = texted_code()

    wrong = f"{(int(code) + 1) % 1000000:06d}"
    response = client.post(unlock, {"action": "verify", "code": wrong}, REMOTE_ADDR=CLERK)
    assert response.status_code == 200 and "验证码不对" in response.content.decode()
    assert attempt(client, "grid_worker_1", PASSWORD, CLERK).status_code == 429  # still locked

    response = client.post(unlock, {"action": "verify", "code": code}, REMOTE_ADDR=CLERK)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert attempt(client, "grid_worker_1", PASSWORD, CLERK).status_code == 302
    record = ChangeRecord.objects.filter(object_id=world.users["grid_worker_1"].pk, content_type__model="user").last()
    assert "短信验证码" in str(record.changes)


def test_a_used_code_cannot_unlock_twice(world, client):
    User.objects.filter(username="grid_worker_1").update(phone="13812345678")
    lock(client, "grid_worker_1")
    unlock = reverse("accounts:unlock")
    client.post(unlock, {"action": "send", "username": "grid_worker_1"}, REMOTE_ADDR=CLERK)
    code = texted_code()
    client.post(unlock, {"action": "verify", "code": code}, REMOTE_ADDR=CLERK)
    lock(client, "grid_worker_1")
    client.post(unlock, {"action": "send", "username": "grid_worker_1"}, REMOTE_ADDR=ATTACKER)  # fresh session
    session = client.session
    session["accounts_unlock_username"] = "grid_worker_1"
    session.save()
    response = client.post(unlock, {"action": "verify", "code": code}, REMOTE_ADDR=CLERK)
    assert response.status_code == 200
    assert attempt(client, "grid_worker_1", PASSWORD, CLERK).status_code == 429


def test_an_unknown_or_phoneless_account_gets_the_same_answer_and_no_text(world, client):
    unlock = reverse("accounts:unlock")
    for username in ("no-such-user", "grid_worker_2"):  # grid_worker_2 has no phone
        response = client.post(unlock, {"action": "send", "username": username}, REMOTE_ADDR=CLERK, follow=True)
        assert "如果该账号登记了手机号" in response.content.decode()
    assert sms.outbox == []
    response = client.post(unlock, {"action": "verify", "code": "123456"}, REMOTE_ADDR=CLERK)
    assert response.status_code == 200 and "验证码已过期或已失效" in response.content.decode()


def test_the_unlock_texts_are_limited_per_phone(world, client):
    User.objects.filter(username="grid_worker_1").update(phone="13812345678")
    unlock = reverse("accounts:unlock")
    client.post(unlock, {"action": "send", "username": "grid_worker_1"}, REMOTE_ADDR=CLERK)
    response = client.post(unlock, {"action": "send", "username": "grid_worker_1"}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429 and "等1分钟" in response.content.decode()
    assert len(sms.outbox) == 1


def test_a_login_with_a_thousand_character_username_is_an_ordinary_failure(world, client):
    # The odd-input walk on PostgreSQL: axes wrote the typed name into a 255-character column (a 500).
    from axes.models import AccessAttempt

    response = attempt(client, "二" * 1000, "wrong", ATTACKER)
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert AccessAttempt.objects.get().username == "二" * 150
