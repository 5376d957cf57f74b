"""The public notice pages (no login): the community board and the short link /n/<code>/ show sent, public
notices only, in anonymised text, and nothing about households."""

import pytest
from django.urls import reverse

from linli.core.audit import actor_of
from linli.notices import services, views_public
from linli.notices.audience import Audience
from linli.notices.models import Notice
from linli.notices.testing_public import make_notice
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

NAMED_BODY = "有事请找张三，电话13812345678，或者找李四阿姨。3栋2单元502的住户请注意。"


def board(client, code="e1", **params):
    return client.get(reverse("notices:public_board", args=[code]), params)


def page(client, notice):
    return client.get(reverse("notice_links:public_notice", args=[notice.code]))


def test_the_board_lists_sent_public_notices_newest_first_without_login(world, client):
    e1 = world.communities["e1"]
    first = make_notice(e1, title="社区义诊活动", category="activity")
    second = make_notice(e1, title="2栋周六停电", category="outage")
    Notice.objects.filter(pk=first.pk).update(sent_at=second.sent_at.replace(year=second.sent_at.year - 1))
    text = board(client).content.decode()
    assert text.index("2栋周六停电") < text.index("社区义诊活动")
    assert reverse("notice_links:public_notice", args=[second.code]) in text
    assert "东一社区通知公告" in text


def test_drafts_withdrawn_private_and_other_communities_notices_are_not_on_the_board(world, client):
    e1 = world.communities["e1"]
    make_notice(e1, title="草稿通知", send=False)
    withdrawn = make_notice(e1, title="撤回的通知")
    services.withdraw_notice(withdrawn, actor=SYSTEM, reason="时间改了")
    make_notice(e1, title="不公开的通知", is_public=False)
    make_notice(world.communities["e2"], title="东二的通知")
    make_notice(e1, title="公开的通知")
    text = board(client).content.decode()
    assert "公开的通知" in text
    for hidden in ("草稿通知", "撤回的通知", "不公开的通知", "东二的通知"):
        assert hidden not in text


def test_the_board_filters_by_category_and_explains_a_wrong_one(world, client):
    e1 = world.communities["e1"]
    make_notice(e1, title="夏季防溺水提醒", category="safety")
    make_notice(e1, title="明天停水", category="outage")
    text = board(client, category="safety").content.decode()
    assert "夏季防溺水提醒" in text and "明天停水" not in text
    response = board(client, category="nonsense")
    assert response.status_code == 200
    text = response.content.decode()
    assert "筛选条件有误" in text and "夏季防溺水提醒" in text and "明天停水" in text
    assert "这个类别现在没有通知" in board(client, category="guide").content.decode()


def test_the_board_pages_through_older_notices(world, client, monkeypatch):
    monkeypatch.setattr(views_public, "BOARD_PAGE_SIZE", 2)
    e1 = world.communities["e1"]
    for n in range(3):
        make_notice(e1, title=f"第{n + 1}号通知")
    first = board(client).content.decode()
    second = board(client, page=2).content.decode()
    assert "第1页，共2页" in first and "下一页" in first
    assert "第1号通知" not in first and "第1号通知" in second and "上一页" in second
    assert board(client, page="x").status_code == 200  # a wrong page number shows the first page


def test_an_unknown_community_is_a_chinese_404(world, client):
    response = board(client, code="nowhere")
    assert response.status_code == 404
    assert "找不到" in response.content.decode()


def test_public_pages_anonymise_names_phones_and_rooms(world, client):
    notice = make_notice(world.communities["e1"], title="张三家门口修路", body=NAMED_BODY)
    for response in (board(client), page(client, notice)):
        text = response.content.decode()
        assert response.status_code == 200
        for secret in ("张三", "李四", "13812345678", "502"):
            assert secret not in text, secret
        assert "某居民" in text


def test_the_notice_page_shows_the_notice_in_large_type_and_nothing_about_households(world, client):
    notice = make_notice(
        world.communities["e1"], title="1栋明天停水", body="因管道检修，明天8:00至12:00停水。\n请提前储水。"
    )
    response = page(client, notice)
    text = response.content.decode()
    assert response.status_code == 200
    assert "1栋明天停水" in text and "停水停电" in text and "东一社区" in text
    assert "<p>请提前储水。</p>" in text  # paragraphs stay
    assert 'class="large-type"' in text
    for private in ("陈奶奶", "李四", "张三", "101", "户数", "已告知"):
        assert private not in text


def test_a_withdrawn_notice_says_so_with_its_reason_and_without_its_text(world, client):
    notice = make_notice(world.communities["e1"], title="周六停电", body="周六全天停电，请做好准备。")
    services.withdraw_notice(notice, actor=SYSTEM, reason="供电公司改期，另行通知。")
    text = page(client, notice).content.decode()
    assert "该通知已撤回" in text and "供电公司改期" in text
    assert "周六全天停电" not in text and "<audio" not in text


def test_a_draft_or_an_unknown_code_is_a_404(world, client):
    draft = make_notice(world.communities["e1"], send=False)
    assert page(client, draft).status_code == 404
    response = client.get(reverse("notice_links:public_notice", args=["zzzzzzzz"]))
    assert response.status_code == 404 and "找不到" in response.content.decode()


def test_a_private_notice_sends_readers_to_sign_in_without_its_text(world, client):
    notice = make_notice(world.communities["e1"], title="低保复核材料", body="请带身份证到社区。", is_public=False)
    text = page(client, notice).content.decode()
    assert "只发给相关居民" in text and reverse("accounts:login") in text
    assert "低保复核材料" not in text and "身份证" not in text


def test_a_grid_workers_notice_to_their_grid_is_public_like_any_other(world, client):
    gw1 = world.users["grid_worker_1"]
    e1 = world.communities["e1"]
    draft = services.create_notice(
        actor=actor_of(gw1),
        community=e1,
        audience=Audience(community_id=e1.pk, grid_ids=(world.grids["g1"].pk,)),
        title="1栋楼道清理",
        body="周日上午清理楼道杂物。",
        category="activity",
        channels=["in_app"],
    )
    services.send_notice(draft, actor=actor_of(gw1))
    assert "1栋楼道清理" in board(client).content.decode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _attach(notice):
    from linli.attachments.services import attach_photos, prepare_photos
    from linli.attachments.tests.images import jpeg_bytes, upload

    return attach_photos(notice, prepare_photos([upload(jpeg_bytes(size=(80, 60)))]), actor=SYSTEM)[0]


def test_a_public_notices_photos_are_served_to_anyone(world, client, media):
    notice = make_notice(world.communities["e1"])
    photo = _attach(notice)
    text = page(client, notice).content.decode()
    thumb = reverse("notice_links:public_notice_photo_thumb", args=[notice.code, photo.pk])
    assert thumb in text
    response = client.get(thumb)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client.get(reverse("notice_links:public_notice_photo", args=[notice.code, photo.pk])).status_code == 200


def test_photos_of_private_withdrawn_or_other_records_are_not_public(world, client, media):
    e1 = world.communities["e1"]
    private = make_notice(e1, is_public=False)
    withdrawn = make_notice(e1)
    public = make_notice(e1)
    photos = {key: _attach(n) for key, n in (("private", private), ("withdrawn", withdrawn), ("public", public))}
    services.withdraw_notice(withdrawn, actor=SYSTEM, reason="错发")

    def get(notice, photo):
        return client.get(reverse("notice_links:public_notice_photo", args=[notice.code, photo.pk])).status_code

    assert get(private, photos["private"]) == 404
    assert get(withdrawn, photos["withdrawn"]) == 404
    assert get(public, photos["private"]) == 404  # another notice's photo under a public notice's code
    assert get(public, photos["public"]) == 200
