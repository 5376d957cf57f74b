"""Sending a notice fixes its households and hands the channels their messages; the audience holds scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from linli.channels.models import Dispatch, Outbound, WechatGroup
from linli.core.audit import actor_of
from linli.core.crypto import encrypt_text
from linli.notices import services
from linli.notices.audience import Audience
from linli.notices.choices import NoticeStatus
from linli.notices.models import NoticeHousehold

pytestmark = pytest.mark.django_db


def _draft(world, user, **audience):
    e1 = world.communities["e1"]
    return services.create_notice(
        actor=actor_of(user),
        community=e1,
        audience=Audience(community_id=e1.pk, **audience),
        title="1栋明天停水",
        body="因管道检修，明天8:00至12:00停水，请提前储水。",
        category="outage",
        channels=["in_app", "sms", "wechat"],
    )


def test_it_fixes_the_households_and_counts_of_the_audience(world):
    notice = _draft(world, world.users["staff"], building_ids=(world.buildings["b1"].pk,))
    notice = services.send_notice(notice, actor=actor_of(world.users["staff"]))
    assert notice.status == NoticeStatus.SENT
    # 1栋 of 东一: 张三, 李四, 陈奶奶 in three rooms.
    assert (notice.resident_count, notice.household_count) == (3, 3)
    assert NoticeHousehold.objects.filter(notice=notice).count() == 3


def test_it_queues_one_sms_per_phone_and_one_message_per_bound_group(world):
    e1 = world.communities["e1"]
    WechatGroup.objects.create(
        community=e1,
        building=world.buildings["b1"],
        name="1栋群",
        webhook_cipher=encrypt_text("https://example.invalid/x"),
        webhook_tail="abcd",
    )
    WechatGroup.objects.create(
        community=e1,
        building=world.buildings["b2"],
        name="2栋群",
        webhook_cipher=encrypt_text("https://example.invalid/y"),
        webhook_tail="efgh",
    )
    notice = _draft(world, world.users["staff"], building_ids=(world.buildings["b1"].pk,))
    services.send_notice(notice, actor=actor_of(world.users["staff"]))
    sms = Dispatch.objects.get(source_id=notice.pk, channel="sms")
    wechat = Dispatch.objects.get(source_id=notice.pk, channel="wechat")
    assert sms.total == 3 and Outbound.objects.filter(dispatch=sms).count() == 3
    assert list(Outbound.objects.filter(dispatch=wechat).values_list("group__name", flat=True)) == ["1栋群"]
    assert notice.title in Outbound.objects.filter(dispatch=sms).first().text


def test_it_refuses_a_grid_worker_who_targets_another_grid(world):
    with pytest.raises(ValidationError) as err:
        _draft(world, world.users["grid_worker_1"], grid_ids=(world.grids["g2"].pk,))
    assert "grid_ids" in err.value.message_dict


def test_it_refuses_a_grid_worker_who_targets_the_whole_community(world):
    with pytest.raises(ValidationError) as err:
        _draft(world, world.users["grid_worker_1"])
    assert "全社区" in err.value.message_dict["grid_ids"][0]


def test_a_grid_worker_reaches_only_their_grid(world):
    notice = _draft(world, world.users["grid_worker_1"], grid_ids=(world.grids["g1"].pk,))
    notice = services.send_notice(notice, actor=actor_of(world.users["grid_worker_1"]))
    assert notice.resident_count == 3


def test_age_and_groups_narrow_the_audience(world):
    today = datetime.date(2026, 12, 6)
    e1 = world.communities["e1"]
    young = Audience(community_id=e1.pk, age_max=45)  # 李四, born 1985; the others 1950
    assert [r.name for r in young.residents(today=today)] == ["李四"]
    assert Audience(community_id=e1.pk, age_min=76).counts(today=today) == (3, 3)
    assert Audience(community_id=e1.pk, age_min=77).counts(today=today) == (0, 0)
    alone = Audience(community_id=e1.pk, tag_ids=(world.tag("living_alone").pk,))
    assert sorted(r.name for r in alone.residents()) == ["张三", "陈奶奶"]
    assert alone.describe() == "全社区 · 独居老人"


def test_an_empty_audience_is_refused_and_nothing_changes(world):
    notice = _draft(world, world.users["staff"], age_min=120)
    with pytest.raises(ValidationError):
        services.send_notice(notice, actor=actor_of(world.users["staff"]))
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert not NoticeHousehold.objects.filter(notice=notice).exists()


def test_a_household_where_nobody_uses_a_phone_needs_a_visit(world):
    chen = world.residents["chen"]  # born 1950: 76, alone in 201
    chen.tags.add(world.tag("no_smartphone"))
    notice = _draft(world, world.users["staff"], building_ids=(world.buildings["b1"].pk,))
    services.send_notice(notice, actor=actor_of(world.users["staff"]))
    door = NoticeHousehold.objects.filter(notice=notice, needs_door=True)
    assert list(door.values_list("household_id", flat=True)) == [chen.household_id]


def test_a_resident_reading_the_notice_confirms_their_household(world):
    from linli.notices.confirm import record_read

    notice = _draft(world, world.users["staff"], building_ids=(world.buildings["b1"].pk,))
    notice = services.send_notice(notice, actor=actor_of(world.users["staff"]))
    resident = world.users["resident"]  # 陈奶奶
    assert record_read(notice, resident) is True
    assert record_read(notice, resident) is False
    row = NoticeHousehold.objects.get(notice=notice, household_id=world.residents["chen"].household_id)
    assert row.confirmed_via == "read" and row.confirmed_by == resident
    assert NoticeHousehold.objects.filter(notice=notice, confirmed_via="").count() == 2


def test_withdrawing_cancels_the_unsent_messages_even_for_a_grid_worker_without_channel_rights(world):
    from linli.channels.choices import DispatchStatus, OutboundStatus

    worker = world.users["grid_worker_1"]
    notice = _draft(world, worker, grid_ids=(world.grids["g1"].pk,))
    notice = services.send_notice(notice, actor=actor_of(world.users["staff"]))  # a colleague sent the worker's draft
    Outbound.objects.filter(dispatch__source_id=notice.pk).update(status=OutboundStatus.PENDING)
    Dispatch.objects.filter(source_id=notice.pk).update(status=DispatchStatus.SENDING)
    services.withdraw_notice(notice, actor=actor_of(worker), reason="时间写错了")
    assert set(Outbound.objects.filter(dispatch__source_id=notice.pk).values_list("status", flat=True)) == {
        OutboundStatus.CANCELLED
    }
    assert set(Dispatch.objects.filter(source_id=notice.pk).values_list("status", flat=True)) == {
        DispatchStatus.CANCELLED
    }


def test_a_phone_shared_by_a_family_gets_one_sms_with_the_template_parameters(world):
    from linli.residents.models import Resident

    zhang, chen = world.residents["zhang"], world.residents["chen"]
    Resident.objects.filter(pk=chen.pk).update(phone=zhang.phone)
    Resident.objects.filter(pk=world.residents["li"].pk).update(phone="010-12345678")  # a landline gets no SMS
    notice = _draft(world, world.users["staff"], building_ids=(world.buildings["b1"].pk,))
    notice = services.send_notice(notice, actor=actor_of(world.users["staff"]))
    sms = Dispatch.objects.get(source_id=notice.pk, channel="sms")
    rows = list(Outbound.objects.filter(dispatch=sms).values_list("phone", "resident_id", "params", "status"))
    assert sms.total == 1
    assert rows[0][:2] == (zhang.phone, min(zhang.pk, chen.pk))
    assert rows[0][2] == ["东一社区", "1栋明天停水", services.public_url(notice)]


def test_a_resident_sees_the_notices_of_their_household_on_their_home_page(world, client):
    from django.urls import reverse

    notice = _draft(world, world.users["staff"], building_ids=(world.buildings["b1"].pk,))
    services.send_notice(notice, actor=actor_of(world.users["staff"]))
    other = _draft(world, world.users["staff"], building_ids=(world.buildings["b2"].pk,))
    other.title = "2栋电梯检修"
    other.save()
    services.send_notice(other, actor=actor_of(world.users["staff"]))
    client.force_login(world.users["resident"])
    page = client.get(reverse("core:home")).content.decode()
    assert "我楼的通知" in page and "1栋明天停水" in page and "2栋电梯检修" not in page
