"""In a real browser: the leader's check-in QR code shows whole and decodes, on a phone and on a desktop."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest

from linli.volunteers.tests.helpers import activity

pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    return context.new_page()


def decode_qr(png: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]


def test_the_check_in_code_is_whole_and_decodes_at_phone_and_desktop_width(transactional_db, live_server, page):
    from linli.testing import PASSWORD, build_world
    from linli.volunteers.tokens import read_token

    world = build_world()
    act = activity(world, title="楼道清洁")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/volunteers/activities/{act.pk}/code/?kind=in")
        code = page.locator("#scan-code svg")
        code.scroll_into_view_if_needed()
        box = code.bounding_box()
        # inside the screen, square, and big enough for a phone camera at arm's length
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (width, box)
        assert abs(box["width"] - box["height"]) < 2 and box["width"] >= 240, (width, box)
        # not clipped: the drawing (its viewBox) fills the element, and no ancestor cuts the element off
        clipped = page.evaluate(
            """(svg) => {
                const r = svg.getBoundingClientRect();
                for (let el = svg.parentElement; el && el !== document.body; el = el.parentElement) {
                    const s = getComputedStyle(el), p = el.getBoundingClientRect();
                    if (s.overflow !== 'visible' && (r.left < p.left - 1 || r.right > p.right + 1
                        || r.top < p.top - 1 || r.bottom > p.bottom + 1)) return el.tagName;
                }
                return svg.viewBox.baseVal && svg.viewBox.baseVal.width ? '' : 'no viewBox';
            }""",
            code.element_handle(),
        )
        assert clipped == "", (width, clipped)
        texts = decode_qr(code.screenshot())
        assert len(texts) == 1, (width, texts)
        url = urlsplit(texts[0])
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{live_server.url}/volunteers/activities/{act.pk}/scan/"
        assert read_token(parse_qs(url.query)["t"][0], act.pk).kind == "in"
