"""In a real browser (issue 14, words on the screen and bulk actions): the donut chart's labels stay inside
its box at 390 and 1280 px, and a bulk tag goes list → confirmation naming the count → list."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_world(transactional_db):
    from linli.testing import build_world

    return build_world()


def login(page, url, username):
    from linli.testing import PASSWORD

    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def rated_appeals(world):
    """Closed appeals with every rating, received today (inside the default period)."""
    from linli.appeals import services
    from linli.appeals.choices import Channel, Outcome, Rating, ReplyMethod
    from linli.appeals.defaults import install_default_directory
    from linli.appeals.models import Category, HandlingUnit, Organisation, UnitBinding
    from linli.testing import SYSTEM

    install_default_directory(HandlingUnit, Category)
    unit = HandlingUnit.objects.get(code="property")
    org = Organisation.objects.create(name="东一物业服务中心", unit=unit, street=world.streets["east"])
    UnitBinding.objects.create(community=world.communities["e1"], unit=unit, organisation=org)
    ratings = [Rating.SATISFIED] * 5 + [Rating.BASICALLY] * 2 + [Rating.UNSATISFIED]
    for rating in ratings:
        a = services.create_appeal(
            actor=SYSTEM,
            building=world.buildings["b1"],
            category=Category.objects.get(code="corridor_light"),
            text="楼道灯坏了，晚上看不见。",
            channel=Channel.PHONE,
            reporter_name="王阿姨",
            reporter_phone="13800001111",
        )
        a = services.dispatch(a, unit, actor=SYSTEM)
        a = services.sign(a, actor=SYSTEM)
        a = services.resolve(a, actor=SYSTEM, outcome=Outcome.SOLVED, resolution="已修好")
        services.reply(a, actor=SYSTEM, text="已告知", method=ReplyMethod.PHONE, rating=rating)


#: The texts ECharts draws (tspans) that leave the chart's box or were shortened with "...".
LABELS_CUT = """(el) => {
  const chart = window.echarts.getInstanceByDom(el);
  const w = el.clientWidth, h = el.clientHeight, out = [];
  chart.getZr().storage.getDisplayList().forEach((d) => {
    if (!d.style || d.style.text == null || d.ignore || d.invisible) return;
    const text = String(d.style.text);
    const r = d.getBoundingRect().clone();
    if (d.transform) r.applyTransform(d.transform);
    const outside = r.x < -1 || r.y < -1 || r.x + r.width > w + 1 || r.y + r.height > h + 1;
    if (outside || text.includes("...") || text.includes("…")) out.push(text);
  });
  return out;
}"""

#: Every rating's name and count appears somewhere in the chart (a label or the legend).
TEXTS = """(el) => window.echarts.getInstanceByDom(el).getZr().storage.getDisplayList()
  .filter((d) => d.style && d.style.text != null && !d.invisible).map((d) => String(d.style.text)).join(" ")"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_rating_donuts_labels_are_not_cut_off(browser_world, live_server, chromium, width):
    rated_appeals(browser_world)
    page = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    login(page, live_server.url, "secretary")
    page.goto(f"{live_server.url}/appeals/stats/")
    chart = page.locator("[data-appeal-chart=ratings]")
    chart.locator("canvas").wait_for()
    page.wait_for_timeout(300)  # ECharts' entry animation places the labels
    assert chart.evaluate(LABELS_CUT) == []
    shown = chart.evaluate(TEXTS)
    for name, count in (("不满意", "1"), ("基本满意", "2"), ("满意", "5")):
        assert name in shown and count in shown, shown


def test_bulk_tagging_goes_through_a_confirmation_naming_the_count(browser_world, live_server, chromium):
    from linli.residents.models import Resident

    page = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    login(page, live_server.url, "secretary")
    page.goto(f"{live_server.url}/residents/")
    page.check("[data-select-all]")
    assert page.inner_text("[data-selected-count]") == "已选 4 项"
    page.select_option(".bulk-form select[name=tag]", label="独居老人")
    page.click("button[name=op][value=add]")
    page.wait_for_selector("text=确认为 4 位居民添加标签“独居老人”？")
    page.click("button:has-text('确认')")
    page.wait_for_selector("text=已为 2 位居民添加标签“独居老人”")
    assert Resident.objects.filter(community__code="e1", tags__code="living_alone").count() == 4
