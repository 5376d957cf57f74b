"""The residents' Linli (居民端): a resident's home is big buttons, one per task, each app's own; every section shows
the resident's own household, building and community only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.notices.testing_confirm import sent_notice
from linli.tracking.services import submit_appeal

pytestmark = pytest.mark.django_db

TILES = ["我要反映", "我的诉求", "我楼的通知", "可参加的活动", "我的爱心积分", "待我家投票", "场地预约", "办事指南"]


def home_of(login, user) -> str:
    return login(user).get(reverse("core:home")).content.decode()


def section(login, user, name) -> str:
    response = login(user).get(reverse("residents:my_section", args=[name]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_residents_home_is_big_buttons_for_each_task_and_no_staff_blocks(world, login):
    body = home_of(login, world.users["resident"])
    for label in TILES:
        assert f'<span class="res-tile-label">{label}</span>' in body, label
    assert reverse("tracking:submit", args=["e1"]) in body
    assert reverse("hall:public_guide", args=["e1"]) in body
    assert "居民总数" not in body and "快速查找居民" not in body


def test_staff_keep_their_own_home(world, login):
    body = home_of(login, world.users["secretary"])
    assert "res-tile" not in body


def test_call_my_grid_worker_is_a_tel_link_with_the_number(world, login):
    worker = world.users["grid_worker_1"]
    worker.full_name, worker.phone = "刘网格", "13911112222"
    worker.save()
    body = home_of(login, world.users["resident"])  # 陈奶奶 lives in grid 1
    assert 'href="tel:13911112222"' in body and "网格员刘网格" in body
    other = world.users["grid_worker_2"]
    other.phone = "13922223333"
    other.save()
    assert "13922223333" not in home_of(login, world.users["resident"])


def test_notices_for_my_building_only(world, login):
    sent_notice(world.communities["e1"], title="1栋停水", must_confirm=False, building_ids=(world.buildings["b1"].pk,))
    sent_notice(world.communities["e1"], title="2栋停电", must_confirm=False, building_ids=(world.buildings["b2"].pk,))
    home = home_of(login, world.users["resident"])
    assert "最新：1栋停水" in home
    body = section(login, world.users["resident"], "notices.mine")
    assert "1栋停水" in body and "2栋停电" not in body


def test_my_appeals_and_their_replies_are_mine_only(world, login):
    chen, zhang = world.residents["chen"], world.residents["zhang"]
    mine = submit_appeal(community=world.communities["e1"], text="楼道灯坏了", phone=chen.phone, resident=chen)
    submit_appeal(community=world.communities["e1"], text="张三家门口漏水", phone=zhang.phone, resident=zhang)
    mine.appeal.reply_text = "灯已经换好了"
    mine.appeal.save(update_fields=["reply_text"])
    assert "1件正在办" in home_of(login, world.users["resident"])
    body = section(login, world.users["resident"], "tracking.my_appeals")
    assert "楼道灯坏了" in body and "灯已经换好了" in body
    assert "漏水" not in body


def test_activities_of_my_community_that_are_still_to_come(world, login):
    from linli.volunteers.models import Activity

    soon = timezone.now() + datetime.timedelta(days=2)
    for community, title, starts in (
        ("e1", "义诊", soon),
        ("e2", "东二社区包饺子", soon),
        ("e1", "上月的义剪", soon - datetime.timedelta(days=40)),
    ):
        Activity.objects.create(
            community=world.communities[community],
            title=title,
            kind="other",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="社区活动室",
            capacity=10,
        )
    body = section(login, world.users["resident"], "volunteers.open_activities")
    assert "义诊" in body and "包饺子" not in body and "义剪" not in body


def test_my_households_wishes_only(world, login):
    from linli.wishes.models import Wish

    chen, zhang = world.residents["chen"], world.residents["zhang"]
    for resident, title in ((chen, "一副老花镜"), (zhang, "一台收音机")):
        Wish.objects.create(community=world.communities["e1"], title=title, resident=resident, beneficiary_name="x")
    assert "1个待认领" in home_of(login, world.users["resident"])
    body = section(login, world.users["resident"], "wishes.household")
    assert "老花镜" in body and "收音机" not in body


def test_my_points_show_on_the_button(world, login):
    from linli.lovebank.models import Account

    Account.objects.create(
        kind="resident", resident=world.residents["chen"], community=world.communities["e1"], balance=120
    )
    assert "现有120分" in home_of(login, world.users["resident"])


def test_a_section_page_needs_a_resident_and_a_known_name(world, login):
    assert login(world.users["resident"]).get(reverse("residents:my_section", args=["nope"])).status_code == 404
    response = login(world.users["secretary"]).get(reverse("residents:my_section", args=["notices.mine"]))
    assert response.status_code == 403


def test_the_home_has_no_english_words(world, login):
    import re

    body = home_of(login, world.users["resident"])
    text = re.sub(r"<[^>]+>", " ", body.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0])
    assert not re.search(r"[A-Za-z]{3,}", text), text


def test_the_header_names_the_resident_not_the_login(world, login):
    resident = world.users["resident"]
    resident.full_name = ""
    resident.save(update_fields=["full_name"])
    body = home_of(login, resident)
    assert f"退出（{resident.resident.name}）" in body and f"退出（{resident.username}）" not in body


def test_each_thing_of_a_residents_home_is_registered_once(world):
    """The big buttons replaced the old resident home blocks (a resident's home draws tiles only; 我的预约 stays a
    home block for volunteers, whose home is the staff one)."""
    from linli.core.shell import registry

    old = {"lovebank.my_points", "residents.my_record", "tracking.links", "notices.mine_home"}
    assert not old & set(registry.home_blocks)


def test_every_button_of_the_home_leads_back_home(world, login):
    """我的爱心积分 and 场地预约 open their apps' own pages: a resident finds 回到首页 there too, staff do not."""
    client = login(world.users["resident"])
    for name in ("lovebank:my_account", "places:my_bookings"):
        body = client.get(reverse(name)).content.decode()
        assert '<a class="res-back" href="/">‹ 回到首页</a>' in body and 'class="res-page"' in body, name
    body = login(world.users["secretary"]).get(reverse("places:my_bookings")).content.decode()
    assert "回到首页" not in body


def test_an_empty_section_says_what_its_button_said(world, login):
    body = section(login, world.users["resident"], "votes.pending")
    assert "现在没有要投票的事" in body and "暂时没有需要您看的内容" not in body


def test_the_public_service_guide_leads_a_signed_in_resident_back_home(world, login):
    url = reverse("hall:public_guide", args=["e1"])
    assert "‹ 回到首页" in login(world.users["resident"]).get(url).content.decode()
    assert "回到首页" not in login(world.users["secretary"]).get(url).content.decode()


def test_a_section_alone_on_its_screen_has_one_heading_the_buttons_label(world, login):
    import re

    from linli.core import shell

    resident = world.users["resident"]
    shown = []
    for tile in shell.registry.self_tiles.values():
        block = shell.registry.self_blocks.get(tile.name)
        if block is None or not block.visible(resident) or block.context(resident) is None:
            continue
        body = section(login, resident, tile.name)
        assert f"<h1>{tile.label}</h1>" in body, tile.name
        assert not re.search(r"<section[^>]*>\s*<h2>", body), tile.name
        shown.append(tile.name)
    assert "wishes.household" in shown and len(shown) >= 3, shown
    # on the resident's own page the same blocks keep their headings
    assert "<h2>" in login(resident).get(reverse("residents:my_record")).content.decode()
