"""In a real browser on a phone-sized screen (390 px): a secretary, required to use two-step login, logs in, scans
the QR code (decoded from the screenshot), confirms with the authenticator's code, sees her recovery codes, and is
let in; logging in again asks for the code. No console error (the CSP allows no inline style or script), nothing
wider than the screen."""

from __future__ import annotations

import io
import time
from base64 import b32decode
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_world(transactional_db):
    from linli.testing import build_world

    return build_world()


def code_for(secret_b32: str, steps_ahead: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(b32decode(secret_b32))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@override_settings(LINLI_2FA_ENFORCE=True)
def test_a_secretary_sets_up_two_step_login_on_a_phone(browser_world, live_server, chromium):
    import zxingcpp
    from PIL import Image

    from linli.testing import PASSWORD

    page = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def log_in():
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "secretary")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")

    log_in()
    page.wait_for_url(f"{live_server.url}/accounts/2fa/setup/")
    assert "必须开启两步验证" in page.content() and fits(page)
    qr = page.locator("svg.twofactor-qr")
    box = qr.bounding_box()
    assert 150 <= box["width"] <= 390
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())).convert("L"))
    url = urlparse(found[0].text)
    assert url.scheme == "otpauth" and url.netloc == "totp"
    secret = parse_qs(url.query)["secret"][0]
    assert page.inner_text(".twofactor-secret").replace(" ", "").strip() == secret  # the same key to type by hand

    page.fill("input[name=code]", code_for(secret))
    page.click("button:has-text('确认开启')")
    page.wait_for_url(f"{live_server.url}/accounts/2fa/codes/")
    assert page.locator(".twofactor-codes li").count() == 10 and fits(page)
    page.click("button:has-text('我已保存好')")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/residents/")
    assert "居民" in page.title()

    page.context.clear_cookies()  # a new browser session
    log_in()
    page.wait_for_url(f"{live_server.url}/accounts/2fa/verify/**")
    assert "输入验证器上" in page.content() and fits(page)
    page.fill("input[name=code]", code_for(secret, 1))
    page.click("button:has-text('验证并登录')")
    page.wait_for_url(f"{live_server.url}/")
    assert errors == []
