"""In a real browser at a phone's width (390 px) and a desk's (1280 px): the structure pages do not scroll sideways,
and the building drawing shows the 中心户 badges."""

import pytest

from linli.testing import browser_sign_in as login

pytestmark = pytest.mark.browser


@pytest.fixture
def party_world(transactional_db):
    from linli.party.testing import build_party_world
    from linli.testing import build_world

    return build_party_world(build_world())


@pytest.mark.parametrize("width", [390, 1280])
def test_the_structure_pages_fit_the_screen(party_world, live_server, chromium, width, tmp_path):
    from django.urls import reverse

    pw = party_world
    page = chromium.new_context(viewport={"width": width, "height": 800}, locale="zh-CN").new_page()
    login(page, live_server.url, "secretary")
    paths = [
        reverse("party:home"),
        reverse("party:org_detail", args=[pw.orgs["e1"].pk]),
        reverse("party:org_edit", args=[pw.orgs["e1"].pk]),
        reverse("party:unit_list"),
        reverse("party:unit_detail", args=[pw.units["e1"].pk]),
        reverse("party:unit_summary", args=[pw.units["e1"].pk]),
        reverse("party:centre_list"),
        reverse("party:centre_edit", args=[pw.members["e1"].pk]),
        reverse("areas:building_detail", args=[pw.buildings["b1"].pk]),
    ]
    for path in paths:
        page.goto(live_server.url + path)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, (path, wide)
    page.screenshot(path=str(tmp_path / f"building_{width}.png"), full_page=True)
    assert page.locator(".room .mark.party-centre").count() == 1
    assert page.locator(".room .mark.party-covered").count() == 2
