"""The home page shows each persona their own work: a volunteer's activities and claimed wishes, a resident's
points and ways to reach the community, staff the engagement work waiting for them — and nothing of others."""

import pytest
from django.urls import reverse

from linli.lovebank.testing import add_lovebank
from linli.testing import SYSTEM
from linli.volunteers import services as volunteering
from linli.volunteers.tests.helpers import activity, team_led_by, volunteer
from linli.wishes import services as wishing
from linli.wishes.testing import build_wish_world, new_wish

pytestmark = pytest.mark.django_db


def home(login, user) -> str:
    response = login(user).get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_volunteer_sees_their_sign_ups_hours_and_the_activity_they_lead_without_a_scope_warning(world, login):
    me = volunteer(world, name="夏谋阶", user=world.users["volunteer"])
    team = team_led_by(world, me)
    led = activity(world, start=2, team=team, title="夜间安全巡逻")
    other = activity(world, start=30, title="楼道卫生大扫除")
    volunteering.sign_up(other, me, actor=SYSTEM)
    later = activity(world, start=24 * 10, title="重阳节文艺演出", team=team)
    rained_off = activity(world, start=3, team=team, title="防溺水巡河")
    volunteering.cancel_activity(rained_off, actor=SYSTEM, reason="暴雨")
    html = home(login, world.users["volunteer"])
    assert "我带队的活动" in html and "夜间安全巡逻" in html
    assert reverse("volunteers:activity_code", args=[led.pk]) in html
    # The activity ten days away is not yet the leader's to open; the one they signed up for is listed.
    assert reverse("volunteers:activity_code", args=[later.pk]) not in html
    assert "防溺水巡河" not in html  # cancelled: nothing to lead
    assert "楼道卫生大扫除" in html and "今年服务" in html
    assert "还没有分配管辖范围" not in html


def test_a_claimer_sees_the_wishes_they_must_deliver(world, login):
    ww = build_wish_world(world)
    wish = ww.wishes["e1"]
    wishing.claim_wish(wish, actor=ww.actor("volunteer"))
    html = home(login, world.users["volunteer"])
    assert "我认领的微心愿" in html and wish.title in html
    assert reverse("wishes:wish_detail", args=[wish.pk]) in html
    assert "张三" not in html  # the wisher's name stays on the wish's private part


def test_a_resident_sees_their_points_and_large_buttons_to_reach_the_community(world, login):
    add_lovebank(world)
    html = home(login, world.users["resident"])
    assert "现有50分" in html
    assert reverse("tracking:submit", args=[world.communities["e1"].code]) in html
    assert reverse("residents:my_section", args=["tracking.my_appeals"]) in html
    assert "还没有分配管辖范围" not in html


def test_staff_see_deeds_to_approve_and_wishes_waiting_in_their_community_only(world, login):
    add_lovebank(world)
    new_wish(world.communities["e1"], beneficiary_name="某居民")
    new_wish(world.communities["w1"], beneficiary_name="孙七")
    activity(world, start=5, title="东一清洁")
    activity(world, start=5, title="西一清洁", community="w1")
    html = home(login, world.users["staff"])
    assert "好人好事待审核" in html and "心愿待认领" in html
    assert "东一清洁" in html and "西一清洁" not in html


def test_home_queries_do_not_grow_with_the_number_of_activities(world, login, django_assert_max_num_queries):
    me = volunteer(world, name="夏谋阶", user=world.users["volunteer"])
    for n in range(8):
        volunteering.sign_up(activity(world, start=3 + n, title=f"活动{n}"), me, actor=SYSTEM)
    client = login(world.users["volunteer"])
    # With the session's first write (3); one query per app that asks whether the user has a part in it (a handler,
    # a mediator, a branch secretary, a 四点半学校's staff, a team leader, a volunteer's communities); a fixed number
    # per block. None of them grows with the activities.
    with django_assert_max_num_queries(23):
        assert client.get(reverse("core:home")).status_code == 200


def test_a_department_handler_sees_their_units_queue_and_no_scope_warning(world, login):
    html = home(login, world.users["dept_handler"])
    assert "本单位的诉求" in html and "?tab=unit" in html
    assert "还没有分配管辖范围" not in html


def test_an_unassigned_staff_account_is_told_to_ask_for_a_scope(world, login):
    html = home(login, world.users["nobody"])
    assert "还没有分配管辖范围" in html


def test_a_section_shows_only_with_one_of_its_blocks_and_its_figures_come_first():
    from linli.core.shell import Registry
    from linli.site.home import home_items

    shell = Registry()
    shell.home_section("engagement", "site/_home_section_engagement.html", order=700)
    shell.home_block("late", "x.html", order=900)
    shell.home_block("list", "y.html", order=1, section="engagement", context=lambda user: {"n": user})
    shell.home_block("tile", "z.html", order=2, section="engagement", figures=True)
    shell.home_block("nothing", "n.html", order=5, context=lambda user: None)
    shell.home_block("hidden", "h.html", order=6, visible=lambda user: False)
    items = home_items("u", shell)
    assert [i.name for i in items] == ["engagement", "late"]
    section = items[0].context
    assert [b.name for b in section["figures"]] == ["tile"] and [b.name for b in section["blocks"]] == ["list"]
    assert section["blocks"][0].context == {"n": "u"}
    shell.home_blocks.pop("list"), shell.home_blocks.pop("tile")
    assert [i.name for i in home_items("u", shell)] == ["late"]


def test_a_role_with_nothing_on_the_home_page_is_pointed_to_the_menu_and_help(world, login):
    world.users["resident"].resident = None
    world.users["resident"].save()
    html = home(login, world.users["resident"])
    assert "您的角色目前在首页没有需要处理的事项" in html and reverse("core:help") in html
