"""In a real browser: a grid worker logs in, finds a resident by pinyin initials, opens the building."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_world(transactional_db):
    from linli.testing import build_world

    return build_world()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    return context.new_page()


def test_a_grid_worker_finds_a_resident_by_initials_and_opens_the_building(browser_world, live_server, page):
    from linli.testing import PASSWORD

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
    from linli.testing import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "street_admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.fill(".quick-search input", "1栋2单元502")
    page.locator("#quick-results").get_by_text("李四").wait_for()
    page.locator("#quick-results").get_by_text("李四").click()
    page.wait_for_selector("h1:has-text('李四')")


def test_the_visit_form_keeps_a_draft_until_the_save_is_confirmed(browser_world, live_server, page):
    """A weak network must not lose what a grid worker typed: reload, go offline, then save for real."""
    from linli.testing import PASSWORD

    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    zhang = browser_world.residents["zhang"]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "grid_worker_1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    form_url = f"{live_server.url}/visits/resident/{zhang.pk}/log/"
    page.goto(form_url)
    assert page.locator("[data-draft-note]").is_hidden()
    page.check("input[name=outcome][value=phone]")
    page.check("input[name=wellbeing][value=fair]")
    page.fill("textarea[name=findings]", "厨房水管漏水，已联系物业")
    page.reload()
    assert page.input_value("textarea[name=findings]") == "厨房水管漏水，已联系物业"
    assert page.is_checked("input[name=outcome][value=phone]")
    assert page.is_checked("input[name=wellbeing][value=fair]")
    assert "已恢复上次未提交的内容" in page.inner_text("[data-draft-note]")

    # Offline: the submit is held back, the draft stays.
    page.context.set_offline(True)
    page.fill("textarea[name=need]", "想申请助餐")
    page.click("form[data-draft] button[type=submit]")
    page.get_by_text("当前没有网络，内容已保存在本机，请有信号时再提交。").wait_for()
    assert page.url == form_url
    page.context.set_offline(False)

    # The network drops while the form is being sent: the draft survives the failed submission.
    page.route("**/log/", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.click("form[data-draft] button[type=submit]")
    page.wait_for_url(lambda url: url.startswith("chrome-error:"), wait_until="commit")
    page.unroute("**/log/")
    page.goto(form_url)
    assert page.input_value("textarea[name=need]") == "想申请助餐"
    assert "已恢复上次未提交的内容" in page.inner_text("[data-draft-note]")

    page.click("form[data-draft] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/visits/")
    from linli.visits.models import Visit

    saved = Visit.objects.get(resident=zhang)
    assert (saved.outcome, saved.findings, saved.need) == ("phone", "厨房水管漏水，已联系物业", "想申请助餐")
    page.goto(form_url)
    assert page.input_value("textarea[name=findings]") == ""
    assert not page.is_checked("input[name=outcome][value=phone]")
    assert page.locator("[data-draft-note]").is_hidden()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('linli-draft:'))") == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
