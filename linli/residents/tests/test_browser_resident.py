"""The residents' Linli in chromium, at a phone's 390 px and a desktop's 1280 px: axe-core (from npm, linli/static/
vendor/axe) finds no serious or critical accessibility violation on any resident page or public self-service page;
the home's first load stays within 200 KB transferred with no third-party code; type and targets are large."""

from __future__ import annotations

import pytest

from linli.testing import browser_sign_in, serious_accessibility_violations

pytestmark = pytest.mark.browser

BUDGET = 200 * 1024


@pytest.fixture
def resident_world(transactional_db):
    from linli.notices.testing_confirm import sent_notice
    from linli.residents.models import FamilyLink
    from linli.testing import build_world
    from linli.tracking.services import submit_appeal

    world = build_world()
    chen = world.residents["chen"]
    sent_notice(world.communities["e1"], title="1栋停水", must_confirm=False, building_ids=(world.buildings["b1"].pk,))
    submit_appeal(community=world.communities["e1"], text="楼道灯坏了，晚上看不见", phone=chen.phone, resident=chen)
    worker = world.users["grid_worker_1"]
    worker.phone = "13911112222"
    worker.save()
    world.link = FamilyLink.objects.create(
        helper=chen, elder=world.residents["zhang"], relation="child", status="agreed"
    )
    return world


def signed_in(chromium, live_server, width):
    """A fresh browser context (empty cache, CSP bypassed so that axe can be injected) signed in as 陈奶奶."""
    context = chromium.new_context(viewport={"width": width, "height": 800}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    browser_sign_in(page, live_server.url, "resident")
    return context, page


def serious_violations(page) -> list[str]:
    found = serious_accessibility_violations(page)
    if found is None:
        pytest.skip("axe-core is not vendored (make vendor)")
    return found


def resident_pages(world) -> list[str]:
    return [
        "/",
        "/residents/me/s/tracking.my_appeals/",
        "/residents/me/s/notices.mine/",
        "/residents/me/s/volunteers.open_activities/",
        "/residents/me/s/wishes.household/",
        "/residents/me/s/votes.pending/",
        "/residents/me/family/",
        f"/residents/me/family/{world.link.pk}/",
        "/residents/me/",
        "/hall/guide/e1/",  # 办事指南
        "/lovebank/me/",  # 我的积分
        "/places/bookings/mine/",  # 场地预约
    ]


PUBLIC_PAGES = ["/s/e1/", "/s/track/", "/s/track/phone/"]


@pytest.mark.parametrize("width", [390, 1280])
def test_no_serious_accessibility_violation_on_the_resident_pages(resident_world, live_server, chromium, width):
    context, page = signed_in(chromium, live_server, width)
    found = {}
    for path in resident_pages(resident_world) + PUBLIC_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        if problems := serious_violations(page):
            found[path] = problems
    context.close()
    assert found == {}


@pytest.mark.parametrize("width", [390, 1280])
def test_the_home_is_large_and_every_button_is_thumb_sized(resident_world, live_server, chromium, width):
    context, page = signed_in(chromium, live_server, width)
    font = float(page.evaluate("getComputedStyle(document.querySelector('.res-home')).fontSize").removesuffix("px"))
    assert font >= 18
    tiles = page.locator(".res-tile")
    assert tiles.count() >= 8
    for i in range(tiles.count()):
        assert tiles.nth(i).bounding_box()["height"] >= 48
    call = page.locator("a.res-tile[href^='tel:']")
    assert call.get_attribute("href") == "tel:13911112222"
    page.get_by_text("我的诉求").click()
    page.get_by_text("楼道灯坏了").wait_for()
    context.close()


def test_the_homes_first_load_is_within_200_kb_and_has_no_third_party_code(resident_world, live_server, chromium):
    context, page = signed_in(chromium, live_server, 390)
    cookies = context.cookies()
    context.close()
    fresh = chromium.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN")  # an empty cache
    fresh.add_cookies(cookies)
    page = fresh.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(f"{live_server.url}/", wait_until="load")
    total = 0
    for request in finished:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        assert request.url.startswith(live_server.url), f"third-party request: {request.url}"
    blocking = page.evaluate(
        "[...document.querySelectorAll('head script[src]')].filter(s => !s.defer && !s.async).map(s => s.src)"
    )
    fresh.close()
    assert blocking == []
    assert total <= BUDGET, f"{total} bytes"
    print(f"resident home first load: {len(finished)} requests, {total} bytes")


def test_voice_input_is_offered_only_where_the_browser_can_listen(resident_world, live_server, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/s/e1/")
    can_listen = page.evaluate("!!(window.SpeechRecognition || window.webkitSpeechRecognition)")
    assert page.locator("[data-voice-for=id_text]").is_visible() == can_listen
    # A browser that can listen (stubbed: headless chromium has no microphone) shows the button.
    page.add_init_script("window.webkitSpeechRecognition = function () { this.start = function () {}; };")
    page.goto(f"{live_server.url}/s/e1/")
    button = page.locator("[data-voice-for=id_text]")
    assert button.is_visible() and button.bounding_box()["height"] >= 48
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
