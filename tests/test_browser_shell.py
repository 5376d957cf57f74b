"""The page shell on a phone (issue 14): a one-row header with a collapsed menu, no sideways scrolling on any page
of the resident's and the grid worker's menus, the visit form's 转为诉求办理 checkbox clear of its help text, and a
help page as wide as the screen."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser_world(transactional_db):
    from linli.testing import build_world

    return build_world()


def logged_in(chromium, live_server, username, viewport=PHONE):
    """A new page logged in as `username` (session cookie: no login form to load)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    context = chromium.new_context(viewport=viewport, locale="zh-CN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10000)
    return page


def scroll_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


@pytest.mark.parametrize("username", ["grid_worker_1", "resident", "secretary", "street_admin"])
def test_the_phone_header_is_one_short_row_and_its_menu_opens(browser_world, live_server, chromium, username):
    page = logged_in(chromium, live_server, username)
    page.goto(f"{live_server.url}/")
    height = page.evaluate("document.querySelector('.topbar').getBoundingClientRect().height")
    assert height <= 120, f"{username}: header {height}px"
    menu = page.locator(".nav-links")
    assert not menu.is_visible()
    page.click("label[for=nav-toggle]")
    assert menu.is_visible()
    first = page.locator(".nav-links > li > a").nth(1).inner_text()  # after 首页: the role's first daily page
    expected = {
        "grid_worker_1": "今日走访",
        "resident": "我的信息",
        "secretary": "诉求办理",
        "street_admin": "诉求办理",
    }
    assert first == expected[username]
    assert scroll_width(page) <= PHONE["width"]


def test_the_desktop_header_shows_the_menu_without_a_button(browser_world, live_server, chromium):
    page = logged_in(chromium, live_server, "secretary", DESKTOP)
    page.goto(f"{live_server.url}/")
    assert page.locator(".nav-links").is_visible()
    assert not page.locator("label[for=nav-toggle]").is_visible()


def menu_urls(page, live_server) -> list[str]:
    hrefs = page.eval_on_selector_all(".topbar a[href]", "els => els.map(a => a.getAttribute('href'))")
    urls = []
    for href in hrefs:
        if href.startswith("/") and href not in urls:
            urls.append(href)
    return urls


@pytest.mark.parametrize("username", ["grid_worker_1", "resident"])
def test_no_page_of_the_menu_scrolls_sideways_on_a_phone(browser_world, live_server, chromium, username):
    page = logged_in(chromium, live_server, username)
    page.goto(f"{live_server.url}/")
    urls = menu_urls(page, live_server)
    assert len(urls) >= 4, urls
    too_wide = {}
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        width = scroll_width(page)
        if width > PHONE["width"]:
            too_wide[url] = width
    assert not too_wide, too_wide


def test_the_help_page_fits_a_phone(browser_world, live_server, chromium):
    page = logged_in(chromium, live_server, "grid_worker_1")
    page.goto(f"{live_server.url}/help/")
    assert scroll_width(page) <= PHONE["width"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_visit_forms_appeal_checkbox_does_not_overlap_its_help_text(browser_world, live_server, chromium, viewport):
    zhang = browser_world.residents["zhang"]
    page = logged_in(chromium, live_server, "grid_worker_1", viewport)
    page.goto(f"{live_server.url}/visits/resident/{zhang.pk}/log/")
    box = page.locator("input[name=to_appeal]").bounding_box()
    label = page.locator("label:has(input[name=to_appeal])").bounding_box()
    help_box = page.locator("label:has(input[name=to_appeal]) small").bounding_box()
    text_box = page.evaluate(
        """() => { const label = document.querySelector('label:has(input[name=to_appeal])');
                   const range = document.createRange(); range.selectNodeContents(label.firstChild);
                   const r = range.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; }"""
    )

    def overlap(a, b):
        return not (
            a["x"] + a["width"] <= b["x"]
            or b["x"] + b["width"] <= a["x"]
            or a["y"] + a["height"] <= b["y"]
            or b["y"] + b["height"] <= a["y"]
        )

    assert not overlap(box, help_box), (box, help_box)
    assert not overlap(text_box, help_box), (text_box, help_box)
    assert label["x"] + label["width"] <= viewport["width"]
    assert scroll_width(page) <= viewport["width"]
