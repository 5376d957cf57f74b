"""两步验证 (issue 20): who must use an authenticator, the setup with recovery codes, the code step at login, its
own lockout, a manager's reset, and the API tokens it leaves alone."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from linli.accounts import twofactor
from linli.accounts.choices import Role
from linli.accounts.models import ApiToken, User
from linli.core.audit import history_of
from linli.notifications.models import Notification
from linli.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ENFORCED = override_settings(LINLI_2FA_ENFORCE=True)
RESIDENTS = "/residents/"
SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"
CODES = "/accounts/2fa/codes/"


def code_for(key_hex: str, steps_ahead: int = 0) -> str:
    """The 6 digits an authenticator app shows for this secret now (or `steps_ahead` 30-second steps later)."""
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def give_device(user) -> tuple[TOTPDevice, list[str]]:
    """An authenticator already set up (no code used yet) and its recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [f"code{i:04d}" for i in range(10)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return device, codes


def password_login(client, user):
    return client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )


def records(user, word):
    return [r for r in history_of(user) if any(word in str(v) for v in r.changes.get("两步验证", []))]


# --- who must -------------------------------------------------------------------------------------------------


def test_who_must_use_two_step_login(world):
    u = world.users
    assert twofactor.two_factor_required(u["street_admin"])
    assert twofactor.two_factor_required(u["secretary"])
    for persona in ("staff", "grid_worker_1", "dept_handler", "volunteer", "resident"):
        assert not twofactor.two_factor_required(u[persona]), persona
    # a superuser must, whatever role `createsuperuser` left on the account (the default is resident)
    root = User.objects.create_superuser("root", password=PASSWORD)
    assert root.role == Role.RESIDENT and twofactor.two_factor_required(root)


@ENFORCED
def test_a_secretary_without_an_authenticator_reaches_nothing_but_the_setup_page(world, client):
    client.force_login(world.users["secretary"])
    response = client.get(RESIDENTS)
    assert response.status_code == 302 and response["Location"] == SETUP + "?next=%2Fresidents%2F"
    assert client.get("/")["Location"] == SETUP
    assert client.get("/accounts/2fa/")["Location"].startswith(SETUP)
    assert client.get(RESIDENTS, HTTP_HX_REQUEST="true")["HX-Redirect"] == SETUP
    api = client.get("/api/residents")
    assert api.status_code == 403 and "两步验证" in api.json()["detail"]
    page = client.get(SETUP)
    assert page.status_code == 200 and "必须开启两步验证" in page.content.decode()
    assert client.post(reverse("accounts:logout")).status_code == 302


@ENFORCED
def test_setting_up_shows_ten_recovery_codes_once_then_lets_the_secretary_in(world, client):
    secretary = world.users["secretary"]
    client.force_login(secretary)
    page = client.get(SETUP + "?next=/residents/").content.decode()
    assert re.search(
        r"<svg viewBox=\"[^\"]+\" class=\"twofactor-qr\">", page
    )  # the QR code inline (the CSP allows no outside image)
    key = client.session[twofactor.SETUP_KEY_SESSION]
    secret = re.search(r'class="twofactor-secret"[^>]*>([^<]+)<', page).group(1).split()
    assert [len(g) for g in secret] == [4] * 8  # 32 base32 letters in groups of 4 for typing by hand

    wrong = client.post(SETUP, {"code": "000000" if code_for(key) != "000000" else "111111", "next": RESIDENTS})
    assert "验证码不正确" in wrong.content.decode() and not TOTPDevice.objects.filter(user=secretary).exists()

    response = client.post(SETUP, {"code": code_for(key), "next": RESIDENTS})
    assert response.status_code == 302 and response["Location"] == CODES
    assert TOTPDevice.objects.get(user=secretary).confirmed
    shown = client.get(CODES).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", shown)
    assert len(set(codes)) == 10 and "data-print" in shown
    download = client.get(CODES + "?download=1")
    assert download["Content-Disposition"].startswith("attachment") and codes[0] in download.content.decode()
    assert client.post(CODES)["Location"] == RESIDENTS  # 我已保存好，继续: to where she was going
    assert client.get(CODES)["Location"] == "/accounts/2fa/"  # shown once
    assert client.get(RESIDENTS).status_code == 200
    assert records(secretary, "已开启")


@ENFORCED
def test_logging_in_again_asks_for_the_code_and_refuses_a_replayed_one(world):
    secretary = world.users["secretary"]
    device, _ = give_device(secretary)
    client = Client()
    response = password_login(client, secretary)
    assert client.get(response["Location"])["Location"] == VERIFY  # the password step, then the code step
    assert client.get(RESIDENTS)["Location"] == VERIFY + "?next=%2Fresidents%2F"
    code = code_for(device.key)
    assert client.post(VERIFY, {"code": code, "next": RESIDENTS})["Location"] == RESIDENTS
    assert client.get(RESIDENTS).status_code == 200

    client.post(reverse("accounts:logout"))
    password_login(client, secretary)
    replay = client.post(VERIFY, {"code": code})
    assert replay.status_code == 200 and "已经用过" in replay.content.decode()
    assert client.get(RESIDENTS).status_code == 302
    assert client.post(VERIFY, {"code": code_for(device.key, 1)}).status_code == 302  # the next one is fine
    assert client.get(RESIDENTS).status_code == 200


@ENFORCED
def test_five_wrong_codes_lock_the_second_step_for_every_session_even_with_the_right_code(world):
    secretary = world.users["secretary"]
    device, _ = give_device(secretary)
    wrong = "000000" if code_for(device.key) != "000000" else "111111"
    client = Client()
    password_login(client, secretary)
    for left in (4, 3, 2, 1):
        response = client.post(VERIFY, {"code": wrong})
        assert response.status_code == 200 and f"再错{left}次将锁定15分钟" in response.content.decode()
    locked = client.post(VERIFY, {"code": wrong})
    assert locked.status_code == 429 and "两步验证已锁定" in locked.content.decode()
    assert records(secretary, "连续输错5次")

    # the right code is refused while the lock lasts, from this session and from another one (another worker)
    assert client.post(VERIFY, {"code": code_for(device.key)}).status_code == 429
    other = Client()
    password_login(other, secretary)
    assert other.post(VERIFY, {"code": code_for(device.key)}).status_code == 429
    assert other.get(RESIDENTS).status_code == 302

    # 15 minutes later (the clock of the lock moved back) the right code passes, and the count starts afresh
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=16)
    )
    assert client.post(VERIFY, {"code": code_for(device.key)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_managers_unlock_lifts_the_second_step_lock(world, client):
    secretary = world.users["secretary"]
    device, _ = give_device(secretary)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    with pytest.raises(twofactor.Locked):
        twofactor.check_code(secretary, code_for(device.key))
    client.force_login(world.users["street_admin"])
    client.post(reverse("accounts:user_unlock", args=[secretary.pk]))
    assert twofactor.check_code(secretary, code_for(device.key)).device == device


def test_a_recovery_code_works_once(world):
    grid_worker = world.users["grid_worker_1"]  # optional for her: she chose to set it up
    _, codes = give_device(grid_worker)
    client = Client()
    password_login(client, grid_worker)
    assert client.get(RESIDENTS)["Location"].startswith(VERIFY)
    page = client.get(VERIFY + "?recovery=1").content.decode()
    assert "恢复码" in page and 'name="recovery"' in page
    response = client.post(VERIFY, {"code": codes[0].upper()[:4] + " - " + codes[0][4:], "recovery": "1"}, follow=True)
    assert "还剩9个" in response.content.decode()
    assert client.get(RESIDENTS).status_code == 200
    client.post(reverse("accounts:logout"))
    password_login(client, grid_worker)
    again = client.post(VERIFY, {"code": codes[0], "recovery": "1"})
    assert again.status_code == 200 and "验证码不正确或已经用过" in again.content.decode()
    assert StaticToken.objects.filter(device__user=grid_worker).count() == 9


@ENFORCED
def test_a_grid_worker_staff_and_a_resident_are_never_asked(world, client):
    for persona, page in (("grid_worker_1", RESIDENTS), ("staff", RESIDENTS), ("resident", "/")):
        client.force_login(world.users[persona])
        assert client.get(page).status_code == 200, persona
    # a resident has no two-step pages at all
    assert client.get(SETUP).status_code == 403
    assert client.get("/accounts/2fa/").status_code == 403


@ENFORCED
def test_a_new_secretary_sets_up_two_step_login_first_then_changes_the_password(world, client):
    secretary = world.users["secretary"]
    User.objects.filter(pk=secretary.pk).update(must_change_password=True)
    client.force_login(secretary)
    response = client.get(RESIDENTS, follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP) and response.status_code == 200  # no loop
    key = client.session[twofactor.SETUP_KEY_SESSION]
    assert client.post(SETUP, {"code": code_for(key)})["Location"] == CODES
    assert client.get(CODES).status_code == 200  # the codes are shown before the password page
    client.post(CODES)
    assert client.get(RESIDENTS)["Location"] == reverse("accounts:password_change")


def test_a_street_admin_resets_a_secretarys_authenticator(world, client):
    secretary, admin = world.users["secretary"], world.users["street_admin"]
    give_device(secretary)
    client.force_login(admin)
    listing = client.get(reverse("accounts:user_list")).content.decode()
    assert "重置两步验证" in listing and "已开启" in listing
    response = client.post(reverse("accounts:user_twofactor_reset", args=[secretary.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=secretary).exists()
    assert not StaticDevice.objects.filter(user=secretary).exists()
    record = records(secretary, "已由管理员重置")[0]
    assert record.actor == admin
    note = Notification.objects.get(user=secretary)
    assert note.title == "您的两步验证已被重置" and "street_admin" in note.body
    assert "必须但未开启" in client.get(reverse("accounts:user_list")).content.decode()

    # a grid worker cannot; a secretary cannot reset the street's account (outside what she manages)
    give_device(admin)
    client.force_login(world.users["grid_worker_1"])
    assert client.post(reverse("accounts:user_twofactor_reset", args=[secretary.pk])).status_code == 403
    client.force_login(secretary)
    assert client.post(reverse("accounts:user_twofactor_reset", args=[admin.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=admin).exists()

    # her next login, enforced, goes to the setup page
    with ENFORCED:
        other = Client()
        password_login(other, secretary)
        assert other.get(RESIDENTS)["Location"].startswith(SETUP)


def test_the_reset_command_for_the_superuser_path(world):
    from io import StringIO

    root = User.objects.create_superuser("root", password=PASSWORD)
    give_device(root)
    out = StringIO()
    call_command("twofactor_reset", "root", stdout=out)
    assert "已重置“root”的两步验证" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=root).exists()
    assert records(root, "已由管理员重置")[0].actor_label == "linli twofactor-reset"
    with pytest.raises(CommandError, match="没有用户名为“nobody-here”的账号"):
        call_command("twofactor_reset", "nobody-here")


@ENFORCED
def test_an_api_token_works_without_the_second_step(world):
    secretary = world.users["secretary"]  # must use it, has no authenticator: the pages are closed to her
    _, key = ApiToken.issue(secretary, "统计")
    client = Client()
    response = client.get("/api/residents", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["count"] >= 1


def test_without_enforcement_a_secretary_is_reminded_and_others_may_choose(world, client):
    secretary = world.users["secretary"]
    client.force_login(secretary)
    home = client.get("/").content.decode()
    assert "请设置两步验证" in home and "两步验证" in home
    assert client.get(RESIDENTS).status_code == 200  # not enforced: reminded, not stopped

    grid_worker = world.users["grid_worker_1"]
    client.force_login(grid_worker)
    assert "请设置两步验证" not in client.get("/").content.decode()
    client.get(SETUP)
    key = client.session[twofactor.SETUP_KEY_SESSION]
    client.post(SETUP, {"code": code_for(key)})
    client.post(CODES)
    # she may turn it off again, with a current code; the secretary may not
    assert "关闭两步验证" in client.get("/accounts/2fa/").content.decode()
    response = client.post("/accounts/2fa/remove/", {"code": code_for(key, 1)}, follow=True)
    assert "两步验证已关闭" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=grid_worker).exists()

    device, _ = give_device(secretary)
    with pytest.raises(twofactor.TwoFactorError, match="必须使用两步验证"):
        twofactor.remove_own(secretary, code_for(device.key), actor=None)


def test_new_recovery_codes_need_a_current_code(world, client):
    grid_worker = world.users["grid_worker_1"]
    device, old = give_device(grid_worker)
    password_login(client, grid_worker)
    client.post(VERIFY, {"code": code_for(device.key)})
    refused = client.post("/accounts/2fa/codes/new/", {"code": "12345"}, follow=True)
    assert "验证码不正确" in refused.content.decode()
    assert set(StaticToken.objects.filter(device__user=grid_worker).values_list("token", flat=True)) == set(old)
    assert client.post("/accounts/2fa/codes/new/", {"code": code_for(device.key, 1)})["Location"] == CODES
    new = set(StaticToken.objects.filter(device__user=grid_worker).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)


def test_replacing_the_authenticator_needs_the_old_one_first(world):
    secretary = world.users["secretary"]
    give_device(secretary)
    client = Client()
    password_login(client, secretary)  # the password only
    assert client.get(SETUP)["Location"] == VERIFY
    assert client.post(SETUP, {"code": "123456"})["Location"] == VERIFY


def test_odd_codes_get_a_chinese_message_and_change_nothing(world):
    grid_worker = world.users["grid_worker_1"]
    make_user("helper", Role.STAFF)
    device, _ = give_device(grid_worker)
    client = Client()
    password_login(client, grid_worker)
    for odd in ("", "²²²²²²", "9" * 40, "'<x>" + "二" * 300):
        response = client.post(VERIFY, {"code": odd})
        assert response.status_code in (200, 429) and "field-errors" in response.content.decode()
    assert client.get(RESIDENTS).status_code == 302


def test_the_deploy_check_warns_when_production_does_not_enforce_it(settings):
    settings.PRODUCTION = True
    settings.LINLI_2FA_ENFORCE = False
    assert [w.id for w in twofactor.check_enforced()] == ["linli.accounts.W002"]
    settings.LINLI_2FA_ENFORCE = True
    assert twofactor.check_enforced() == []
    settings.PRODUCTION = False
    settings.LINLI_2FA_ENFORCE = False
    assert twofactor.check_enforced() == []  # development, tests, make demo
