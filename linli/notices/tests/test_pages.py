"""Sending with a confirmation, withdrawing with a reason, the notice's page, the home block, and a resident reading
the notices that reached their household (unread first, gone when withdrawn)."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.channels.models import WechatGroup
from linli.core.audit import actor_of
from linli.core.crypto import encrypt_text
from linli.notices import services
from linli.notices.choices import NoticeStatus
from linli.notices.models import NoticeHousehold, NoticeRead
from linli.notices.testing import draft, sent

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(datetime.datetime(2026, 12, 7, 12, 0))
NIGHT = timezone.make_aware(datetime.datetime(2026, 12, 7, 22, 30))


def _group(world, building="b1", name="1栋群"):
    return WechatGroup.objects.create(
        community=world.communities["e1"],
        building=world.buildings[building],
        name=name,
        webhook_cipher=encrypt_text("https://example.invalid/hook"),
        webhook_tail="abcd",
    )


def test_the_send_page_says_what_each_channel_will_do(world, login):
    _group(world)
    _group(world, "b2", "2栋群")
    notice = draft(world, actor=actor_of(world.users["staff"]), channels=("in_app", "sms", "wechat", "print"))
    with mock.patch("django.utils.timezone.now", return_value=NOON):
        page = login(world.users["staff"]).get(reverse("notices:notice_send", args=[notice.pk])).content.decode()
    assert "将通知 <b>3</b> 人、<b>3</b> 户" in page
    assert "短信约3条" in page
    assert "企业微信群1个：1栋群" in page and "2栋群" not in page
    assert "21:00 至次日 08:00 不发送" in page and "现在是免打扰时段" not in page
    assert "楼道张贴" in page


def test_at_night_the_send_page_says_messages_wait_for_the_morning(world, login):
    notice = draft(world, actor=actor_of(world.users["staff"]), channels=("sms",))
    with mock.patch("django.utils.timezone.now", return_value=NIGHT):
        page = login(world.users["staff"]).get(reverse("notices:notice_send", args=[notice.pk])).content.decode()
    assert "现在是免打扰时段" in page


def test_sending_fixes_the_households_and_the_page_shows_the_counts(world, login):
    client = login(world.users["staff"])
    notice = draft(world, actor=actor_of(world.users["staff"]))
    response = client.post(reverse("notices:notice_send", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT and notice.household_count == 3
    page = client.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
    assert "<b>3</b> 人、<b>3</b> 户" in page and "撤回" in page and "打印A4张贴页" in page


def test_a_grid_worker_cannot_send_a_draft_to_another_grid(world, login):
    notice = draft(world, actor=actor_of(world.users["staff"]))  # building 1, grid 1
    client = login(world.users["grid_worker_2"])
    response = client.post(reverse("notices:notice_send", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT and not NoticeHousehold.objects.exists()


def test_a_grid_worker_sees_only_their_grids_households_of_a_notice(world, login):
    notice = sent(world, grid_ids=(world.grids["g1"].pk, world.grids["g2"].pk))
    page = login(world.users["grid_worker_2"]).get(reverse("notices:notice_detail", args=[notice.pk]))
    text = page.content.decode()
    assert "1 户，其中需上门告知 0 户" in text
    assert "李四" not in text and "陈奶奶" not in text


def test_withdrawing_needs_a_reason_and_then_hides_the_notice_from_the_resident(world, login):
    notice = sent(world)
    resident = world.users["resident"]
    assert login(resident).get(reverse("notices:notice_detail", args=[notice.pk])).status_code == 200
    client = login(world.users["secretary"])
    url = reverse("notices:notice_withdraw", args=[notice.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and "请填写撤回原因" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert client.post(url, {"reason": "时间改了"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and notice.withdrawn_reason == "时间改了"
    assert login(resident).get(reverse("notices:notice_detail", args=[notice.pk])).status_code == 404
    my_page = login(resident).get(reverse("residents:my_record")).content.decode()
    assert "楼道停水" not in my_page and notice.title not in my_page


def test_a_grid_worker_may_not_withdraw_someone_elses_notice(world):
    from django.core.exceptions import ValidationError

    notice = sent(world)
    with pytest.raises(ValidationError):
        services.withdraw_notice(notice, actor=actor_of(world.users["grid_worker_1"]), reason="不对")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT


def test_the_resident_sees_their_notices_unread_first_and_reading_one_confirms_the_household(world, login):
    first = sent(world, title="第一条通知")
    second = sent(world, title="第二条通知")
    elsewhere = sent(world, title="二栋的通知", building_ids=(world.buildings["b2"].pk,))
    client = login(world.users["resident"])
    NoticeRead.objects.create(notice=second, user=world.users["resident"])
    page = client.get(reverse("residents:my_record")).content.decode()
    assert "第一条通知" in page and "第二条通知" in page and elsewhere.title not in page
    assert page.index("第一条通知") < page.index("第二条通知")  # unread first
    assert "1 条未读" in page
    reading = client.get(reverse("notices:notice_detail", args=[first.pk]))
    assert reading.status_code == 200
    text = reading.content.decode()
    assert 'class="large-type"' in text and "停水" in text and "发送渠道" not in text
    row = NoticeHousehold.objects.get(notice=first, household=world.residents["chen"].household)
    assert row.confirmed_via == "read"
    assert client.get(reverse("notices:notice_detail", args=[elsewhere.pk])).status_code == 404


def test_staff_see_the_latest_notices_on_their_home_page(world, login):
    sent(world, title="东一的停水通知")
    sent(world, "w1", title="西边的通知")
    page = login(world.users["staff"]).get(reverse("core:home")).content.decode()
    assert "东一的停水通知" in page and "西边的通知" not in page


def test_the_list_filters_by_status_and_text(world, login):
    sent(world, title="停水通知")
    draft(world, title="停电草稿")
    client = login(world.users["staff"])
    page = client.get(reverse("notices:notice_list"), {"status": "draft"}).content.decode()
    assert "停电草稿" in page and "停水通知" not in page
    page = client.get(reverse("notices:notice_list"), {"q": "停电"}).content.decode()  # the titles; both bodies 停水
    assert "停电草稿" in page and "停水通知" not in page
    bad = client.get(reverse("notices:notice_list"), {"status": "nonsense"}).content.decode()
    assert "筛选条件有误" in bad
