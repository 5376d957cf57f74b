"""Every figure on every home page opens the list that counts it, and that list shows the same number.

A figure is an `a[data-figure]` holding a `[data-figure-value]` number (a rate is marked `data-figure-rate` and
has no list). The list page it opens marks its total with `data-list-total="N"` (or, for a page with several
totals such as the area tree, `data-<name>-total="N"`, named by the link's `data-figure-total`). A number on the
home page that is not such a link, a `.stat` box that is neither, a link without a total or with another total
fails the test.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.appeals import services as appeals
from linli.appeals.choices import Outcome
from linli.appeals.models import Appeal
from linli.appeals.services import create_appeal
from linli.appeals.tests.conftest import aw, new_appeal  # noqa: F401  (aw: the appeal world fixture)
from linli.core.tests.figures import check_page
from linli.lovebank import services as lovebank
from linli.lovebank.testing import add_lovebank
from linli.testing import SYSTEM
from linli.visits.tests.helpers import visit
from linli.wishes import services as wishing
from linli.wishes.testing import build_wish_world, new_wish

pytestmark = pytest.mark.django_db

PERSONAS = (
    "street_admin",
    "secretary",
    "staff",
    "grid_worker_1",
    "grid_worker_2",
    "dept_handler",
    "water_handler",
    "volunteer",
    "volunteer2",
    "resident",
    "nobody",
)


def busy_world(aw):  # noqa: F811
    """Appeals in every state, residents overdue for a visit, deeds, redemptions and wishes to count."""
    world = aw.world
    handler = aw.actor("dept_handler")
    staff = aw.actor("staff")
    property_unit = aw.units["property"]
    # 东一: two waiting for dispatch, one waiting to be signed (and past its deadline), one in progress,
    # one resolved (awaiting the reply), one closed; 东二: one in progress (the street sees it).
    new_appeal(aw)
    new_appeal(aw, text="小区门口的路灯不亮了，晚上很黑，希望尽快修好。")
    late = appeals.dispatch(new_appeal(aw, text="二单元门禁坏了，陌生人随便进出。"), property_unit, actor=staff)
    Appeal.objects.filter(pk=late.pk).update(current_due=timezone.now() - datetime.timedelta(days=2))
    working = appeals.dispatch(new_appeal(aw, text="楼顶漏水，下雨天家里滴水。"), property_unit, actor=staff)
    appeals.sign(working, actor=handler)
    done = appeals.dispatch(new_appeal(aw, text="垃圾桶满了没人清运，气味很大。"), property_unit, actor=staff)
    appeals.sign(done, actor=handler)
    appeals.resolve(done, actor=handler, outcome=Outcome.SOLVED, resolution="已清运")
    closed = appeals.dispatch(new_appeal(aw, text="楼道堆放杂物，堵住了消防通道。"), property_unit, actor=staff)
    appeals.sign(closed, actor=handler)
    appeals.resolve(closed, actor=handler, outcome=Outcome.SOLVED, resolution="已清理")
    appeals.reply(closed, actor=staff, text="已电话告知", method="phone", rating="satisfied")
    far = appeals.dispatch(
        new_appeal(aw, building="b3", text="东二小区的健身器材坏了，老人锻炼不方便。"),
        property_unit,
        actor=aw.actor("street_admin"),
    )
    appeals.sign(far, actor=aw.actor("e2_handler"))
    # Visits: 张三 and 陈奶奶 (grid 1) overdue, 王五 (grid 2) visited in time.
    visit(world.residents["zhang"], -17)
    visit(world.residents["chen"], -9)
    visit(world.residents["wang"], -1)
    # The love bank and wishes.
    add_lovebank(world)
    lovebank.redeem(world.accounts["chen"], world.items["rice"], actor=SYSTEM, source_key="home:1")
    ww = build_wish_world(world)
    new_wish(world.communities["e1"], title="一台收音机")
    wishing.claim_wish(ww.wishes["e1"], actor=ww.actor("volunteer"))
    return world


def test_every_home_figure_opens_the_list_that_counts_it_for_every_persona(aw, login):  # noqa: F811
    world = busy_world(aw)
    seen, rates = {}, {}
    for persona in PERSONAS:
        client = login(world.users[persona])
        found = check_page(client, reverse("core:home"), persona)
        seen[persona] = {f["name"]: int(f["value"]) for f in found.figures}
        rates[persona] = {r["name"]: r["value"] for r in found.rates}

    # The figures exist and count something, so the comparison above is not vacuous.
    secretary = seen["secretary"]
    assert (secretary["appeals-open"], secretary["appeals-overdue"], secretary["appeals-awaiting-reply"]) == (5, 1, 1)
    assert secretary["visits-overdue"] == 2 and secretary["residents"] == 4 and secretary["grids"] == 2
    assert secretary["deeds-pending"] == 1 and secretary["redemptions-pending"] == 1
    assert (secretary["wishes-open"], secretary["wishes-claimed"]) == (1, 1)
    assert seen["street_admin"]["appeals-open"] == 6
    assert seen["staff"]["appeals-open"] == 5 and seen["staff"]["visits-overdue"] == 2
    assert seen["grid_worker_1"]["visits-overdue"] == 2 and seen["grid_worker_2"]["visits-overdue"] == 0
    assert (seen["dept_handler"]["unit-queue"], seen["dept_handler"]["unit-overdue"]) == (2, 1)
    assert seen["water_handler"]["unit-queue"] == 0
    assert seen["volunteer2"] == {"wishes-open": 1}
    assert seen["resident"] == {}
    # the reply rate opens 诉求统计 for the month (for the roles that read it); 1 reply owed, 1 given
    assert rates["secretary"] == {"reply": "100.0%"} and rates["grid_worker_1"] == {}
    assert seen["nobody"]["visits-overdue"] == 0 and not any(seen["nobody"].values())  # no scope, nothing counted


@pytest.mark.parametrize("username", ["jiedao", "shuji", "shequ", "wangge1", "bumen", "zhiyuan", "jumin"])
def test_every_home_figure_of_the_demo_accounts_opens_the_list_that_counts_it(qinghe, client, username):
    """What issue 14 saw on the demo: 在办 / 超期 / 待回访 opened 待派单 (4 instead of 27, 共 0 件)."""
    from linli.accounts.models import User

    client.force_login(User.objects.get(username=username))
    names = {f["name"] for f in check_page(client, reverse("core:home"), username).figures}
    if username in ("jiedao", "shuji", "shequ"):
        assert {"appeals-open", "appeals-overdue", "appeals-awaiting-reply", "visits-overdue"} <= names
    if username == "wangge1":
        assert "visits-overdue" in names


def test_every_figure_of_the_appeal_statistics_opens_the_list_that_counts_it(aw, login):  # noqa: F811
    """诉求统计's counts (totals, per community, unit, organisation and category, 未派单 and 未分类 included)."""
    world = busy_world(aw)
    create_appeal(
        actor=SYSTEM,
        building=aw.buildings["b2"],
        category=None,
        text="居民反映的事情还没有分类，先登记下来。",
        channel="phone",
        reporter_name="李阿姨",
        reporter_phone="13800002222",
    )
    for persona in ("street_admin", "secretary", "staff"):
        client = login(world.users[persona])
        found = check_page(client, reverse("appeals:appeal_stats"), persona)
        names = {f["name"]: int(f["value"]) for f in found.figures}
        assert names["open"] >= 6 and names["unit:未派单:open"] == 3, (persona, names)
        assert names["category:未分类:total"] == 1, (persona, names)
