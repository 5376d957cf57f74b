"""In chromium on a 1280×720 TV and a 1920×1080 monitor: the screen fills the display without scrolling, rotates its
slides, draws the trend charts without a content-security violation, keeps the last figures with their time when the
network drops, and says “已停用” once stopped; axe-core finds no serious violation. The staff's pages fit a phone."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js"
SIZES = [(1280, 720), (1920, 1080)]


@pytest.fixture
def screen_world(transactional_db):
    from django.utils import timezone

    from linli.bigscreen.choices import DEFAULT_PANELS
    from linli.bigscreen.testing import make_screen
    from linli.dashboards.rollup import days_between, rollup
    from linli.lovebank import services as lovebank
    from linli.lovebank.testing import SETUP
    from linli.testing import SYSTEM, build_world
    from linli.visits.tests.helpers import visit
    from linli.volunteers.services import mark_attendance
    from linli.volunteers.tests.helpers import activity, volunteer

    world = build_world()
    e1 = world.communities["e1"]
    visit(world.residents["zhang"], -40)
    for n, story in enumerate(["雨天帮邻居收衣服", "帮独居老人买菜送上楼", "义务修好楼道灯，还把楼梯扶手擦得干干净净"]):
        deed = lovebank.report_deed(
            community=e1,
            subject_name="陈奶奶",
            description=story,
            occurred_on=datetime.date(2026, 11, 1 + n),
            actor=SETUP,
        )
        lovebank.approve_deed(deed, actor=SETUP, points=5, account=lovebank.resident_account(world.residents["chen"]))
    helper = volunteer(world, name="刘热心")
    mark_attendance(activity(world, start=-30, length=2, title="楼道清洁"), helper, actor=SYSTEM)
    today = timezone.localdate()
    rollup(days_between(today - datetime.timedelta(days=70), today - datetime.timedelta(days=1)), backfill=True)
    world.screen, world.key = make_screen(community=e1, panels=list(DEFAULT_PANELS), rotate_seconds=5)
    return world


def serious_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.skip("axe-core is not vendored (make vendor)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width, height", SIZES)
def test_the_screen_fills_the_display_rotates_and_draws_its_charts(
    screen_world, live_server, chromium, width, height, tmp_path
):
    context = chromium.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/bigscreen/show/{screen_world.key}/")
    slides = page.evaluate("window.bigscreen.slides()")
    assert slides >= 8
    for i in range(slides):
        page.evaluate(f"window.bigscreen.show({i})")
        active = page.locator("[data-slide].active")
        assert active.count() == 1
        if active.get_attribute("data-panel") == "trends":
            page.wait_for_selector("[data-slide].active [data-chart] canvas")
            # this month so far is named 本月 (its lower count is not a fall) and the slide says so
            months = page.evaluate(
                "() => window.echarts.getInstanceByDom(document.querySelector('[data-slide].active [data-chart]'))"
                ".getOption().xAxis[0].data"
            )
            assert months[-1] == "本月" and months[-2].endswith("月"), months
            assert "本月为1日至今" in active.inner_text()
        size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert size == [width, height], (i, size)
        box = active.bounding_box()
        assert box["y"] + box["height"] <= page.locator(".bs-foot").bounding_box()["y"] + 1, i
        page.screenshot(path=str(tmp_path / f"screen_{width}_{i}.png"))
    # the figures are large: a number at least 80 px high on a 720-line TV
    number = page.locator("[data-cell] b").first
    assert float(page.evaluate("(e) => getComputedStyle(e).fontSize", number.element_handle())[:-2]) >= height / 9
    active = "document.querySelector('[data-slide].active').dataset.panel"
    first = page.evaluate(active)
    page.wait_for_timeout(6000)  # rotate_seconds is 5 (wait_for_function evaluates strings: CSP forbids it)
    assert page.evaluate(active) != first
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    context.close()


def test_the_screen_keeps_its_figures_when_the_network_drops_and_stops_when_told(screen_world, live_server, chromium):
    from linli.bigscreen.services import stop_screen
    from linli.testing import SYSTEM

    context = chromium.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/bigscreen/show/{screen_world.key}/")
    value = page.locator('[data-cell="residents.population"] [data-value]').first.inner_text()
    assert value == "4"
    page.route("**/data/", lambda route: route.abort())
    page.evaluate("window.bigscreen.refresh()")
    page.wait_for_selector("[data-offline]:not([hidden])")
    assert "网络中断" in page.locator("[data-offline]").inner_text()
    assert page.locator('[data-cell="residents.population"] [data-value]').first.inner_text() == "4"
    assert "数据更新于" in page.locator("[data-updated]").inner_text()
    page.unroute("**/data/")
    page.evaluate("window.bigscreen.refresh()")
    page.wait_for_selector("[data-offline]", state="hidden")
    stop_screen(screen_world.screen, actor=SYSTEM)
    page.evaluate("window.bigscreen.refresh()")
    page.wait_for_selector("[data-stopped]")
    assert "已停用" in page.locator("[data-stopped]").inner_text()
    context.close()


def test_no_serious_accessibility_violation_on_the_screen(screen_world, live_server, chromium):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/bigscreen/show/{screen_world.key}/")
    assert serious_violations(page) == []
    context.close()


def test_the_staff_pages_fit_a_phone(screen_world, live_server, chromium, tmp_path):
    from linli.testing import PASSWORD

    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    pk = screen_world.screen.pk
    for name, path in [
        ("list", "/bigscreen/"),
        ("add", "/bigscreen/add/"),
        ("detail", f"/bigscreen/{pk}/"),
        ("edit", f"/bigscreen/{pk}/edit/"),
        ("wall", "/bigscreen/wall/"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert serious_violations(page) == [], path
        page.screenshot(path=str(tmp_path / f"staff_{name}.png"), full_page=True)
    page.goto(f"{live_server.url}/bigscreen/{pk}/")
    page.click("text=重新生成链接")
    link = page.locator("[data-new-link] a").inner_text()
    assert "/bigscreen/show/dp_" in link
    context.close()
