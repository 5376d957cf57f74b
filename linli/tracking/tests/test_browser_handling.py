"""In a real browser (issue 14): a dispatcher dispatches an uncategorised resident appeal with one click on the
pre-filled form, the handler resolves it with a photo marked public, and the resident's phone shows the photo."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from linli.appeals import services
from linli.appeals.choices import Channel, Status
from linli.appeals.models import Appeal
from linli.attachments.tests.images import jpeg_bytes
from linli.testing import PASSWORD, SYSTEM

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("LINLI_SHOTS")  # a folder: keep screenshots to look at (unset in CI)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_one_click_dispatch_then_a_public_result_photo_on_the_residents_phone(
    transactional_db, aw, live_server, chromium, media, tmp_path
):
    from linli.tracking.services import issue_tracking_code

    appeal = services.create_appeal(
        actor=SYSTEM,
        text="3栋楼道灯坏了一个星期，晚上老人上下楼看不见。",
        channel=Channel.RESIDENT,
        reporter_phone="13912345678",
        building=aw.buildings["b1"],
    )
    code = issue_tracking_code(appeal, "13912345678")
    detail = f"{live_server.url}{reverse('appeals:appeal_detail', args=[appeal.pk])}"

    # The dispatcher, on a phone: the form is pre-filled, one click dispatches.
    staff = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    log_in(staff, live_server.url, "secretary")
    staff.goto(detail)
    assert staff.locator("select[name=dispatch-category]").input_value() == str(aw.category("corridor_light").pk)
    assert staff.locator("select[name=dispatch-unit]").input_value() == str(aw.units["property"].pk)
    assert staff.evaluate("document.documentElement.scrollWidth") <= 390
    shot(staff, "dispatch-390")
    staff.locator("#action-dispatch button[type=submit]").click()
    staff.get_by_text("已派单给东一物业服务中心").wait_for()
    assert Appeal.objects.get(pk=appeal.pk).status == Status.PENDING_SIGN

    # The handler signs, then resolves with a photo shown to the reporter.
    services.sign(appeal, actor=aw.actor("dept_handler"))
    handler = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in(handler, live_server.url, "dept_handler")
    handler.goto(detail)
    handler.click("#action-resolve summary")
    handler.check("input[name=resolve-outcome][value=solved]")
    handler.fill("textarea[name=resolve-resolution]", "已更换3栋楼道灯泡，照明恢复。")
    picture = tmp_path / "done.jpg"
    picture.write_bytes(jpeg_bytes(size=(800, 600)))
    handler.set_input_files("input[name=resolve-photos]", str(picture))
    handler.check("input[name=resolve-photos_public]")
    shot(handler, "resolve-1280")
    handler.locator("#action-resolve button[type=submit]").click()
    handler.get_by_text("已办结，等待社区回访").wait_for()
    shot(handler, "resolved-timeline-1280")

    # The resident's phone: the code opens the page, the photo is there and loads.
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    phone.goto(f"{live_server.url}{reverse('tracking:lookup')}")
    phone.fill("input[name=code]", code)
    phone.locator("form button[type=submit]").first.click()
    phone.get_by_text("已更换3栋楼道灯泡").wait_for()
    img = phone.locator("[data-testid=result-photos] img").first
    img.wait_for()
    # Polled from here: wait_for_function evaluates a string, which the page's CSP (no unsafe-eval) refuses.
    for _ in range(50):
        if img.evaluate("i => i.complete && i.naturalWidth > 0"):
            break
        phone.wait_for_timeout(100)
    assert img.evaluate("i => i.naturalWidth") > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "tracking-390")

    # The submit page's opt-out sits on the phone without overflowing it.
    phone.goto(f"{live_server.url}{reverse('tracking:submit', args=['e1'])}")
    assert phone.get_by_label("不需要短信通知").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "submit-390")
