"""The print pages of a notice: the A4 poster (its QR code leads to the short public address) and the household
checklist for hand delivery, each user's own area only."""

import re

import pytest
from django.urls import reverse

from linli.notices import services, views_print
from linli.notices.testing_public import make_notice
from linli.residents.models import Resident, Tag
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def poster(client, user, notice):
    client.force_login(user)
    return client.get(reverse("notices:notice_poster", args=[notice.pk]))


def checklist(client, user, notice, **params):
    client.force_login(user)
    return client.get(reverse("notices:notice_checklist", args=[notice.pk]), params)


def qr_texts(page: str) -> list[str]:
    """Decode the QR code of a page: its inline SVG (segno's one path of horizontal runs "M x y h n m dx dy ...")
    drawn module by module into an image, read by zxing-cpp."""
    import zxingcpp
    from PIL import Image, ImageDraw

    svg = re.search(r'<svg viewBox="0 0 (\d+) (\d+)" class="notice-qr-code">.*?</svg>', page, re.S)
    assert svg, "no QR code on the page"
    size, scale = int(svg[1]), 8
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg[0])[1]
    img = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(img)
    x = y = 0.0
    for cmd, args in re.findall(r"([MmHhVv])([^MmHhVv]*)", path):
        nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if cmd == "M":
            x, y = nums
        elif cmd == "m":
            x, y = x + nums[0], y + nums[1]
        elif cmd == "h":
            row = int(y)  # the stroke runs through the middle of its row of modules
            draw.rectangle([x * scale, row * scale, (x + nums[0]) * scale - 1, (row + 1) * scale - 1], fill=0)
            x += nums[0]
        else:  # pragma: no cover - segno draws rows only
            raise AssertionError(f"unexpected path command {cmd}")
    return [r.text for r in zxingcpp.read_barcodes(img)]


def test_the_poster_has_the_title_text_community_and_a_qr_code_to_the_short_link(world, client, settings):
    settings.LINLI_SITE_URL = "https://linli.example.gov.cn"
    notice = make_notice(world.communities["e1"], title="1栋明天停水", body="因管道检修，明天8:00至12:00停水。")
    page = poster(client, world.users["staff"], notice).content.decode()
    url = f"https://linli.example.gov.cn/n/{notice.code}/"
    assert "1栋明天停水" in page and "因管道检修" in page and "东一社区居民委员会" in page
    assert "扫码查看/收听" in page and url in page
    assert qr_texts(page) == [url]
    assert "data-print" in page and "no-print" in page


def test_without_a_site_address_the_qr_code_uses_the_address_the_page_was_opened_at(world, client, settings):
    settings.LINLI_SITE_URL = ""
    notice = make_notice(world.communities["e1"])
    page = poster(client, world.users["grid_worker_1"], notice).content.decode()
    assert qr_texts(page) == [f"http://testserver/n/{notice.code}/"]


def test_the_poster_is_anonymised_like_the_page_it_links_to(world, client):
    notice = make_notice(world.communities["e1"], body="有事请找张三，电话13812345678。")
    page = poster(client, world.users["staff"], notice).content.decode()
    assert "张三" not in page and "13812345678" not in page


def test_a_long_notice_steps_its_type_down_to_stay_on_one_sheet(world, client):
    short = make_notice(world.communities["e1"], body="明天停水。")
    long = make_notice(world.communities["e1"], body="请提前储水，注意安全。" * 100)
    too_long = make_notice(world.communities["e1"], body="请提前储水，注意安全。" * 200)
    assert "size-large" in poster(client, world.users["staff"], short).content.decode()
    page = poster(client, world.users["staff"], long).content.decode()
    assert "size-tiny" in page and "全文请扫码查看" not in page
    page = poster(client, world.users["staff"], too_long).content.decode()
    assert "全文请扫码查看" in page and "印不下" in page


def test_a_withdrawn_notice_has_no_poster_and_a_draft_is_marked_as_a_preview(world, client):
    e1 = world.communities["e1"]
    withdrawn = make_notice(e1)
    services.withdraw_notice(withdrawn, actor=SYSTEM, reason="错发")
    page = poster(client, world.users["staff"], withdrawn).content.decode()
    assert "已撤回" in page and "<svg" not in page
    page = poster(client, world.users["staff"], make_notice(e1, send=False)).content.decode()
    assert "草稿的预览" in page


def test_the_checklist_lists_households_by_building_entrance_and_room_with_door_names(world, client):
    chen = world.residents["chen"]
    chen.tags.add(Tag.objects.get(code="no_smartphone"))
    notice = make_notice(world.communities["e1"], must_confirm=True, confirm_by=_tomorrow())
    page = checklist(client, world.users["staff"], notice).content.decode()
    # 1栋: 1单元 101 张三, 201 陈奶奶 (★ cannot use a phone), 2单元 502 李四; 2栋: 301 王五
    order = [page.index(s) for s in ("张先生", "陈女士", "李先生", "王先生")]
    assert order == sorted(order)
    assert page.count('class="ledger-page checklist-sheet"') == 2
    assert "1单元" in page and "2单元" in page and "告知截止" in page and "□当面" in page and "签收" in page
    assert re.search(r'class="door-mark"[^>]*>★</span>201', page)
    for full_name in ("张三", "陈奶奶", "李四", "王五"):
        assert full_name not in page  # a sheet carried door to door holds no full names
    for phone in ("13812345678", "13987654321"):
        assert phone not in page


def test_a_grid_worker_prints_only_their_own_grids_buildings(world, client):
    notice = make_notice(world.communities["e1"])
    gw2 = world.users["grid_worker_2"]
    page = checklist(client, gw2, notice).content.decode()
    assert "王先生" in page and "张先生" not in page and "李先生" not in page
    assert page.count('class="ledger-page checklist-sheet"') == 1
    assert checklist(client, gw2, notice, building=world.buildings["b1"].pk).status_code == 404
    assert checklist(client, gw2, notice, building=world.buildings["b2"].pk).status_code == 200


def test_one_building_or_a_wrong_building_parameter(world, client):
    notice = make_notice(world.communities["e1"])
    staff = world.users["staff"]
    page = checklist(client, staff, notice, building=world.buildings["b1"].pk).content.decode()
    assert "张先生" in page and "王先生" not in page
    for wrong in ("abc", "-1", "²", "9" * 30, "999999", world.buildings["b4"].pk):
        response = checklist(client, staff, notice, building=wrong)
        assert response.status_code == 404 and "找不到" in response.content.decode()


def test_households_already_told_show_how_instead_of_empty_boxes(world, client):
    from django.utils import timezone

    notice = make_notice(world.communities["e1"], must_confirm=True, confirm_by=_tomorrow())
    notice.households.filter(household=world.residents["wang"].household).update(
        confirmed_via="phone", confirmed_at=timezone.now()
    )
    page = checklist(client, world.users["staff"], notice, building=world.buildings["b2"].pk).content.decode()
    assert "已告知：已电话告知" in page and "□当面" not in page


def test_a_drafts_checklist_explains_it_comes_with_sending(world, client):
    page = checklist(client, world.users["staff"], make_notice(world.communities["e1"], send=False)).content.decode()
    assert "发布后这里才有清单" in page


def test_door_names_take_the_head_of_the_household_and_compound_surnames(world):
    assert views_print.door_name("欧阳秀英", "F") == "欧阳女士"
    assert views_print.door_name("王五", "M") == "王先生"
    assert views_print.door_name("司马", "M") == "司先生"  # a two-character name is surname + given name
    assert views_print.door_name("赵六", "") == "赵家"
    assert views_print.door_name("", "F") == ""
    zhang = world.residents["zhang"]
    Resident.objects.filter(pk=zhang.pk).update(relation="spouse")
    from linli.testing import make_resident

    make_resident(world.buildings["b1"], "刘大伟", room="101", seq=9, sex="M", relation="head")
    assert views_print._heads([zhang.household_id]) == {zhang.household_id: "刘先生"}


def _tomorrow():
    import datetime

    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=1)


def test_the_notice_page_links_the_print_and_public_pages_with_the_users_own_households(world):
    from django.template.loader import render_to_string

    from linli.notices.panels import notice_panels

    notice = make_notice(world.communities["e1"])
    [(part, ctx)] = [(p, c) for p, c in notice_panels(world.users["grid_worker_2"], notice) if p.name == "print_public"]
    html = render_to_string(part.template, ctx)
    assert reverse("notices:notice_poster", args=[notice.pk]) in html
    assert reverse("notices:notice_checklist", args=[notice.pk]) in html and "1 户" in html
    assert f"/n/{notice.code}/" in html
    assert [p for p, _ in notice_panels(world.users["resident"], notice) if p.name == "print_public"] == []
    notice = services.withdraw_notice(notice, actor=SYSTEM, reason="错发")
    assert [p for p, _ in notice_panels(world.users["staff"], notice) if p.name == "print_public"] == []
