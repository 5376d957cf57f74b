"""In a real browser at phone width: a resident submits with the hint, verifies the phone, gets the code."""

from __future__ import annotations

import re

import pytest

from linli.tracking.tests.conftest import last_code

pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    return context.new_page()


def test_a_resident_submits_from_a_phone_and_gets_a_tracking_code(transactional_db, aw, live_server, page, outbox):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/s/e1/")
    # large type: body text at least 20 px, nothing wider than the phone
    assert float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px")) >= 20
    page.fill("textarea[name=text]", "楼道灯坏了好几天了，晚上黑漆漆的，老人下楼看不见")
    page.locator("#trk-hint").get_by_text("物业服务企业").wait_for()
    page.select_option("select[name=building]", label="1栋")
    page.fill("input[name=room]", "2单元502")
    page.click("text=下一步：验证手机")
    page.fill("input[name=phone]", "139 1234 5678")
    page.click("text=发送验证码")
    page.get_by_text("验证码已发到").first.wait_for()
    page.fill("input[name=code]", last_code(outbox))
    page.click("text=确定并提交")
    code = page.locator("[data-testid=tracking-code]").inner_text()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)
    box = page.locator("[data-testid=tracking-code]").bounding_box()
    assert box["height"] < 80  # the code stays on one line at 360 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    link = page.get_by_role("button", name="查看办理进度")
    button = link.bounding_box()
    assert button["height"] >= 48  # a thumb-sized target
    link.click()
    page.get_by_text("社区已收到，正在安排办理单位").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not [e for e in errors if "Content Security Policy" in e], errors
