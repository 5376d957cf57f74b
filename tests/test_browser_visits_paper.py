"""In a real browser at 390 px: the resident page (emergency contacts, the grid worker to call), the worklist with an
urgent resident first, and the printed 走访台账 and 回访单 fit the phone's width (no horizontal scroll)."""

import os

import pytest

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("LINLI_SCREENSHOTS", "")


@pytest.fixture
def paper_world(transactional_db):
    from linli.core.audit import Actor
    from linli.residents.services_contacts import add_contact
    from linli.testing import build_world
    from linli.visits.services import log_visit

    world = build_world()
    worker = world.users["grid_worker_1"]
    worker.full_name, worker.phone = "刘网格", "13911112222"
    worker.save()
    zhang = world.residents["zhang"]
    add_contact(zhang, actor=Actor(user=worker), name="张小明", relation="child", phone="13912345678", note="住在汉口")
    log_visit(
        world.residents["li"],
        actor=Actor(user=worker),
        outcome="met",
        wellbeing="urgent",
        findings="情绪异常，家中无人照看，需要社区尽快联系家属并安排上门看望，必要时联系医院",
    )
    return world


def login(page, live_server, username):
    from linli.testing import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_new_pages_fit_the_screen(paper_world, live_server, chromium, width):
    page = chromium.new_context(viewport={"width": width, "height": 844}, locale="zh-CN").new_page()
    login(page, live_server, "grid_worker_1")
    zhang, li = paper_world.residents["zhang"], paper_world.residents["li"]
    checks = {
        "resident": f"/residents/{zhang.pk}/",
        "grid": f"/areas/grids/{paper_world.grids['g1'].pk}/",
        "worklist": "/visits/",
        "visit_ledger": "/visits/ledger/visits/",
        "diary_ledger": "/visits/ledger/diary/",
    }
    for name, url in checks.items():
        page.goto(live_server.url + url)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}_{width}.png", full_page=True)
        assert fits(page), f"{url} scrolls sideways at {width} px"
    page.goto(f"{live_server.url}/residents/{zhang.pk}/")
    assert "张小明" in page.inner_text("#contacts") and "刘网格" in page.inner_text("#grid-workers")
    delete = page.locator("#contacts button:has-text('删除')")
    colour = delete.evaluate("b => getComputedStyle(b).color")
    background = delete.evaluate("b => getComputedStyle(b.closest('section')).backgroundColor")
    assert delete.is_visible() and colour not in ("rgb(255, 255, 255)", background), colour
    page.goto(f"{live_server.url}/areas/grids/{paper_world.grids['g1'].pk}/")
    assert "刘网格 13911112222" in page.inner_text("#grid-workers")
    page.goto(f"{live_server.url}/visits/")
    assert page.locator(".worklist li").first.get_attribute("id") == f"due-{li.pk}"


def test_the_callback_sheet_fits_a_phone(paper_world, live_server, chromium):
    from linli.appeals.defaults import install_default_directory
    from linli.appeals.models import Category, HandlingUnit
    from linli.appeals.services import create_appeal
    from linli.testing import SYSTEM

    install_default_directory(HandlingUnit, Category)
    appeal = create_appeal(
        actor=SYSTEM,
        text="3单元楼道灯坏了一个星期，晚上老人上下楼看不见。",
        channel="phone",
        category=Category.objects.get(code="corridor_light"),
        building=paper_world.buildings["b1"],
        reporter_name="王阿姨",
        reporter_phone="13800001111",
    )
    page = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    login(page, live_server, "secretary")
    for sheet in ("dispatch", "callback"):
        page.goto(f"{live_server.url}/appeals/{appeal.pk}/print/{sheet}/")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/sheet_{sheet}_390.png", full_page=True)
        assert fits(page), f"the {sheet} sheet scrolls sideways"
        assert page.locator("#sheet").is_visible()
