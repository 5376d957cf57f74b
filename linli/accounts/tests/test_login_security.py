"""Login security: lockout, idle logout, password policy, CSP, deploy checks."""

import os
import secrets
import subprocess
import sys
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from linli.accounts.middleware import IdleTimeoutMiddleware
from linli.testing import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_logs_in_with_the_right_password(world, client):
    response = attempt(client, "grid_worker_1", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_a_wrong_password_gets_a_chinese_message(world, client):
    response = attempt(client, "grid_worker_1", "wrong-Password-1")
    assert "用户名或密码不正确" in response.content.decode()


def test_it_locks_the_account_after_five_failures_even_with_the_right_password(world, client):
    for _ in range(5):
        attempt(client, "grid_worker_1", "wrong-Password-1")
    response = attempt(client, "grid_worker_1", PASSWORD)
    assert response.status_code == 429
    assert "锁定30分钟" in response.content.decode()
    # another account is not affected
    assert attempt(client, "grid_worker_2", PASSWORD).status_code == 302


def test_the_lock_lasts_thirty_minutes(settings):
    from datetime import timedelta

    from axes.helpers import get_cool_off

    assert settings.AXES_FAILURE_LIMIT == 5
    assert get_cool_off() == timedelta(minutes=30)


def test_it_logs_out_after_thirty_idle_minutes(world, login):
    client = login(world.users["grid_worker_1"])
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_active_user_stays_logged_in(world, login):
    client = login(world.users["grid_worker_1"])
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize("password", ["Short-1a", "alllowercase-letters", "ALLUPPER123456", "abcdefghij12"])
def test_it_rejects_weak_passwords(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Linli@2026", "qinghe-Ju-2026", "Abcdefghij1"])
def test_it_accepts_strong_passwords(password):
    validate_password(password)


def test_pages_carry_a_strict_content_security_policy(world, login):
    response = login(world.users["grid_worker_1"]).get(reverse("core:home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_pages_load_nothing_from_another_host(world, login):
    import re

    client = login(world.users["street_admin"])
    for url in [
        reverse("core:home"),
        reverse("residents:resident_list"),
        reverse("areas:area_tree"),
        reverse("areas:building_detail", args=[world.buildings["b1"].pk]),
        reverse("core:help"),
    ]:
        html = client.get(url).content.decode()
        assert not re.search(r"""(src|href)=["']https?://""", html), url


def test_deploy_checks_are_clean_under_production_settings():
    env = dict(
        os.environ,
        LINLI_PRODUCTION="1",
        LINLI_SECRET_KEY="k" * 20 + "-Prod-Secret-Key-With-Length-50+chars!",
        # Random keys (linli.ops.E001 refuses keys of one repeated byte).
        LINLI_FIELD_KEY=secrets.token_hex(32),
        LINLI_HASH_KEY=secrets.token_hex(32),
        LINLI_ALLOWED_HOSTS="linli.example.gov.cn",
        # Production runs on PostgreSQL and Redis (linli.ops.E001 refuses SQLite and a missing REDIS_URL).
        DATABASE_URL="postgres://linli@127.0.0.1:5432/linli",
        REDIS_URL="redis://127.0.0.1:6379/1",
        # A deployment names its SMS gateway's backend; the log and in-memory backends are refused (linli.tracking.W001).
        LINLI_SMS_BACKEND="linli.accounts.tests.sms_gateway.GatewayBackend",
        # and posts to WeChat groups for real (linli.channels.W001 warns about the log backend).
        LINLI_WECHAT_BACKEND="linli.channels.wechat.WebhookBackend",
    )
    result = subprocess.run(
        [sys.executable, "-m", "linli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
