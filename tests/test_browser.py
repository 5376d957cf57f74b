"""In a real browser: a grid worker logs in, finds a resident by pinyin initials, opens the building."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_world(transactional_db):
    from linli.core.testing import build_world

    return build_world()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    return context.new_page()


def test_a_grid_worker_finds_a_resident_by_initials_and_opens_the_building(browser_world, live_server, page):
    from linli.core.testing import PASSWORD

    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "grid_worker_1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "网格员" in page.content()

    page.goto(f"{live_server.url}/residents/")
    page.fill("#id_q", "zs")
    # htmx swaps the results in as you type
    page.locator("#resident-results").get_by_text("共 1 人").wait_for()
    results = page.inner_text("#resident-results")
    assert "张三" in results and "李四" not in results

    page.click("#resident-results >> text=张三")
    page.wait_for_selector("h1:has-text('张三')")
    assert "420107********" in page.content()  # IDs are masked for grid workers
    page.click(".breadcrumbs >> text=1栋")
    page.wait_for_selector(".building-grid")
    assert "1栋: 3人" in page.inner_text(".summary")
    assert page.locator(".room.c-red").count() == 2
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_quick_search_in_the_header_finds_by_address(browser_world, live_server, page):
    from linli.core.testing import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "street_admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.fill(".quick-search input", "1栋2单元502")
    page.locator("#quick-results").get_by_text("李四").wait_for()
    page.locator("#quick-results").get_by_text("李四").click()
    page.wait_for_selector("h1:has-text('李四')")
