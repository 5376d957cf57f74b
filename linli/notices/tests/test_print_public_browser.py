"""In Debian's chromium: the poster prints on exactly one A4 sheet (also a long notice) with a QR code a phone reads,
the checklist starts a sheet per building, and the public pages fit a 390 px phone in large type, with no CSP
violation (the print button has no inline script)."""

import io
import mimetypes
import os
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from linli.notices.testing_public import make_notice
from linli.notices.views_print import LINE_CHARS, POSTER_SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ORIGIN = "http://localhost"
#: Long text, and many short paragraphs: each poster is cut where one sheet is full.
LONG = (
    "因二次供水设施改造，本周六、周日两天小区将分时段停水，请各位居民提前做好储水准备。施工期间请注意安全，不要靠近施工区域。"
    * 30
)
MANY = "\n".join(f"{n}. 请各位居民提前做好储水准备。" for n in range(1, 80))


@pytest.fixture
def pages(world, client):
    """The pages' responses, fetched with the test client (staff signed in for the print pages), by path."""
    e1 = world.communities["e1"]
    short = make_notice(e1, title="1栋明天停水", body="因管道检修，明天8:00至12:00停水。\n请提前储水。")
    long = make_notice(e1, title="二次供水设施改造停水通知", body=LONG, category="outage")
    many = make_notice(e1, title="停水期间注意事项", body=MANY, category="outage")
    # the longest one-paragraph text of each type size (views_print.POSTER_SIZES, in lines of the smallest type)
    edges = {
        size: make_notice(e1, title=f"{size}号字", body=("请提前储水。" * 200)[: int(lines - 1) * LINE_CHARS])
        for lines, size in POSTER_SIZES
    }
    client.force_login(world.users["staff"])
    paths = {
        "poster": reverse("notices:notice_poster", args=[short.pk]),
        "long_poster": reverse("notices:notice_poster", args=[long.pk]),
        "many_poster": reverse("notices:notice_poster", args=[many.pk]),
        "checklist": reverse("notices:notice_checklist", args=[short.pk]),
        **{f"{size}_poster": reverse("notices:notice_poster", args=[n.pk]) for size, n in edges.items()},
        "board": reverse("notices:public_board", args=["e1"]),
        "notice": reverse("notice_links:public_notice", args=[long.code]),
    }
    return {key: (path, client.get(path)) for key, path in paths.items()}, short


@pytest.fixture
def browser_page(chromium, pages):
    responses = {path: response for path, response in pages[0].values()}
    outside = []

    def handle(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path in responses:
            response = responses[path]
            return route.fulfill(status=response.status_code, headers=dict(response.items()), body=response.content)
        found = path.startswith("/static/") and finders.find(path.removeprefix("/static/"))
        if found:
            with open(found, "rb") as f:
                return route.fulfill(status=200, content_type=mimetypes.guess_type(found)[0], body=f.read())
        outside.append(route.request.url)
        return route.fulfill(status=404, body="")

    page = chromium.new_page()
    page.route("**/*", handle)
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        " window.__printed = 0; window.print = () => { window.__printed += 1; };"
    )
    page.outside = outside
    return page


def sheets(pdf: bytes) -> int:
    assert re.search(rb"/MediaBox \[0 0 59[45]\.\d+ 841\.\d+\]", pdf)  # A4 portrait, in points
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_posters_print_on_one_a4_sheet_and_the_checklist_one_per_building(pages, browser_page):
    paths = {key: path for key, (path, _) in pages[0].items()}
    page = browser_page
    for key in ("poster", "large_poster", "medium_poster", "small_poster", "long_poster", "many_poster", "checklist"):
        page.emulate_media(media="screen")
        page.goto(ORIGIN + paths[key])
        page.click("button[data-print]")
        assert page.evaluate("window.__printed") == 1 and page.evaluate("window.__csp") == []
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 703, "height": 1006})  # the sheet inside its margins: 186 x 266 mm at 96 dpi
        assert not page.is_visible(".topbar") and not page.is_visible("button[data-print]")
        pdf = page.pdf(prefer_css_page_size=True)
        if os.environ.get("NOTICE_PDF_DIR"):  # to look at them: pdftoppm -png -r 50 <dir>/poster.pdf poster
            (Path(os.environ["NOTICE_PDF_DIR"]) / f"{key}.pdf").write_bytes(pdf)
        if key in ("large_poster", "medium_poster", "small_poster"):
            assert page.locator(f".notice-poster.size-{key.split('_')[0]}").count() == 1
        if key != "checklist":
            # the text is not cut off by the sheet: the body's content fits inside its box
            fits = page.evaluate("(() => { const b = document.querySelector('.poster-body');"
                                 " return [b.scrollHeight, b.clientHeight]; })()")  # fmt: skip
            assert fits[0] <= fits[1] + 1, (key, fits)
        assert sheets(pdf) == (2 if key == "checklist" else 1), key  # the checklist: 1栋 and 2栋
    assert page.outside == []


def test_the_poster_qr_code_reads_as_the_short_link_on_screen(pages, browser_page):
    import zxingcpp
    from PIL import Image

    (path, _), notice = pages[0]["poster"], pages[1]
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(ORIGIN + path)
    code = page.locator(".poster-qr svg")
    code.scroll_into_view_if_needed()
    box = code.bounding_box()
    assert box["width"] >= 120 and box["x"] + box["width"] <= 390
    texts = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(code.screenshot())).convert("L"))]
    assert texts == [f"http://testserver/n/{notice.code}/"]


@pytest.mark.parametrize("key", ["board", "notice", "poster", "checklist"])
def test_the_pages_fit_a_phone_and_the_public_ones_are_in_large_type(pages, browser_page, key):
    path = pages[0][key][0]
    page = browser_page
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(ORIGIN + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (key, width)
        assert page.evaluate("window.__csp") == []
    if key in ("board", "notice"):
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
        assert size >= 20
        targets = page.evaluate("[...document.querySelectorAll('main a')].map(a => a.getBoundingClientRect().height)")
        assert targets and min(targets) >= 44, targets
