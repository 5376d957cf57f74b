"""In chromium at a phone's width (390 px) and a desk's (1280 px): the dashboards fit the screen, draw their charts
without a content-security violation, and keep each chart's numbers in a table."""

import datetime

import pytest

from linli.testing import browser_sign_in, serious_accessibility_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def dash_world(transactional_db):
    from django.utils import timezone

    from linli.dashboards.rollup import days_between, rollup
    from linli.testing import build_world
    from linli.visits.tests.helpers import visit

    world = build_world()
    visit(world.residents["zhang"], -40)
    visit(world.residents["wang"], 0)
    today = timezone.localdate()
    rollup(days_between(today - datetime.timedelta(days=70), today - datetime.timedelta(days=1)), backfill=True)
    return world


login = browser_sign_in


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dashboards_fit_the_screen_and_draw_their_charts(dash_world, live_server, chromium, width, tmp_path):
    page = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server.url, "street_admin")
    page.goto(live_server.url + "/dashboards/")
    assert "/dashboards/street/" in page.url
    page.wait_for_selector("[data-dash-chart] canvas")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("[data-dash-chart]").count() == page.locator(".dash-trend table").count() > 0
    page.screenshot(path=str(tmp_path / f"street_{width}.png"), full_page=True)
    page.locator("table[data-compare] tbody a", has_text="东一社区").click()
    page.wait_for_selector("[data-dash-chart] canvas")
    assert "东一社区" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


@pytest.mark.parametrize("width", [390, 1280])
def test_no_serious_accessibility_violation_on_any_dashboard_level(dash_world, live_server, chromium, width):
    """axe-core on the street's, a community's and a grid's dashboard (charts drawn, breakdowns and tables shown)."""
    from linli.dashboards.board import dashboard_url

    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    login(page, live_server.url, "street_admin")
    found = {}
    levels = [
        ("street", dash_world.streets["east"].pk),
        ("community", dash_world.communities["e1"].pk),
        ("grid", dash_world.grids["g1"].pk),
    ]
    for level, pk in levels:
        page.goto(live_server.url + dashboard_url(level, pk))
        page.wait_for_selector("[data-dash-chart] canvas")
        problems = serious_accessibility_violations(page)
        if problems is None:
            pytest.skip("axe-core is not vendored (make vendor)")
        if problems:
            found[level] = problems
    context.close()
    assert found == {}
