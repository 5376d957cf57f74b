"""The 党建 home block on a phone and a desktop: no sideways scrolling of the page (the branch table scrolls inside
its own box)."""

import pytest

from tests.test_browser_shell import DESKTOP, PHONE, logged_in, scroll_width

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_party_world(transactional_db):
    from linli.party.testing import build_party_world
    from linli.testing import build_world

    return build_party_world(build_world())


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("username", ["secretary", "grid_worker_1"])
def test_the_party_block_fits_the_screen(browser_party_world, live_server, chromium, username, viewport):
    page = logged_in(chromium, live_server, username, viewport)
    page.goto(f"{live_server.url}/")
    block = page.locator("[data-block=party]")
    assert block.is_visible()
    assert block.locator("table").is_visible()  # a few branches: the table is open
    assert "东一第1网格党支部" in block.inner_text()
    assert scroll_width(page) <= viewport["width"]
