"""The member pages in a browser (Debian's chromium): they fit a 390 px phone and a 1280 px screen without
sideways scrolling and break no content-security rule; the public 扫码报到 form is in large type."""

import mimetypes

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

ORIGIN = "http://localhost"


@pytest.fixture
def pages(pw, client):
    cache.clear()
    from linli.party.testing import member

    for i in range(12):  # a page with more than a few rows and long names
        member(
            pw.communities["e1"],
            f"欧阳长名字党员{i}",
            phone=f"1390000{i:04d}",
            branch=pw.orgs["e1"],
            work_unit_name="某某市某某区人民政府办公室机关第二党支部",
        )
    responses = {}
    public = {"register": reverse("party:register", args=["e1"])}
    for key, path in public.items():
        responses[key] = (path, client.get(path))
    client.force_login(pw.users["secretary"])
    staff = {
        "list": reverse("party:member_list"),
        "detail": reverse("party:member_detail", args=[pw.members["e1"].pk]),
        "pending": reverse("party:member_detail", args=[pw.members["e1_pending"].pk]),
        "add": reverse("party:member_add") + "?rq=zs",
        "import": reverse("party:member_import"),
        "poster": reverse("party:register_poster", args=[pw.communities["e1"].pk]),
    }
    for key, path in staff.items():
        responses[key] = (path, client.get(path))
    return responses


@pytest.fixture
def browser_page(chromium, pages):
    by_path = {path: response for path, response in pages.values()}

    def handle(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path in by_path:
            response = by_path[path]
            return route.fulfill(status=response.status_code, headers=dict(response.items()), body=response.content)
        found = path.startswith("/static/") and finders.find(path.removeprefix("/static/"))
        if found:
            with open(found, "rb") as f:
                return route.fulfill(status=200, content_type=mimetypes.guess_type(found)[0], body=f.read())
        return route.fulfill(status=404, body="")

    page = chromium.new_page()
    page.route("**/*", handle)
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return page


@pytest.mark.parametrize("key", ["register", "list", "detail", "pending", "add", "import", "poster"])
def test_the_pages_fit_a_phone_and_a_screen(pages, browser_page, key):
    path = pages[key][0]
    assert pages[key][1].status_code == 200
    page = browser_page
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(ORIGIN + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (key, width)
        assert page.evaluate("window.__csp") == []
    if key == "register":
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
        assert size >= 20
        hidden = page.evaluate("document.querySelector('[name=website]').getBoundingClientRect().right")
        assert hidden <= 0  # the honeypot is off screen
