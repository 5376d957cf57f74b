"""The demo's notices in 青和居: a water cut (停水) for 1栋 of 第1网格, must-confirm by tomorrow, with about 60% of
its households told (线上已读, 电话, 当面, 张贴) and some 需上门告知 households still open on wangge1's 今日走访; the
pension qualification notice of seed 002 to the whole community; and a draft (a fire drill).

Sent through linli.notices.services.send_notice over in_app and print only, so the demo sends nothing out (the
channels demo adds WeChat groups). A few elderly residents of 1栋 who live alone are tagged 不会用智能手机 (never
陈奶奶, the resident login, who reads her notices in Linli). Confirmations are written in bulk.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.areas.models import Building, Grid
from linli.core.audit import Actor
from linli.notices import services
from linli.notices.audience import Audience, _years_before
from linli.notices.choices import ConfirmVia, NoticeCategory, NoticeChannel
from linli.notices.households import NO_SMARTPHONE_TAG
from linli.notices.models import Notice, NoticeHousehold
from linli.residents.models import Resident, Tag

ACTOR = Actor.cli("演示数据")
#: Of 1栋's residents aged 70 or more living alone or as an elderly couple, this share cannot use a smartphone.
NO_PHONE_SHARE = 0.3
POLICY_TITLE = "养老保险资格认证开始，请符合条件的居民线上认证"


def _tag_no_smartphone(rng, building, demo) -> None:
    tag = Tag.objects.filter(code=NO_SMARTPHONE_TAG).first()
    if tag is None:
        return
    old = (
        Resident.objects.filter(building=building, status="active", birth_date__lte=_years_before(demo.today, 70))
        .filter(tags__code__in=("living_alone", "empty_nest"))
        .exclude(pk=getattr(demo.chen, "pk", None))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    chosen = [pk for pk in old if rng.random() < NO_PHONE_SHARE]
    through = Resident.tags.through
    through.objects.bulk_create([through(resident_id=pk, tag_id=tag.pk) for pk in chosen], ignore_conflicts=True)


def _confirmations(rng, notice: Notice, demo, sent_at: datetime.datetime) -> None:
    """About 60% told: most households with a phone by reading or a posted notice, a few by phone; about half of
    the door list told in person, the rest left for today's rounds. 陈奶奶's household stays open (she reads it)."""
    worker = demo.users.get("wangge1")
    chen_household = getattr(demo.chen, "household_id", None)
    rows = list(NoticeHousehold.objects.filter(notice=notice).order_by("pk"))
    span = max(int((timezone.now() - sent_at).total_seconds()), 3600)
    changed = []
    for row in rows:
        if row.household_id == chen_household:
            continue
        draw = rng.random()
        if row.needs_door:
            via = ConfirmVia.IN_PERSON if draw < 0.45 else (ConfirmVia.PHONE if draw < 0.55 else "")
        else:
            via = (
                ConfirmVia.READ
                if draw < 0.25
                else ConfirmVia.POSTED
                if draw < 0.45
                else ConfirmVia.PHONE
                if draw < 0.58
                else ConfirmVia.IN_PERSON
                if draw < 0.63
                else ""
            )
        if not via:
            continue
        row.confirmed_via = via
        row.confirmed_at = sent_at + datetime.timedelta(seconds=rng.randint(600, span))
        row.confirmed_by = None if via == ConfirmVia.READ else worker
        if via == ConfirmVia.PHONE and rng.random() < 0.3:
            row.note = "告知了子女"
        changed.append(row)
    NoticeHousehold.objects.bulk_update(changed, ["confirmed_via", "confirmed_at", "confirmed_by", "note"])


def demo_step(demo) -> None:
    community = demo.community
    b1 = Building.objects.filter(community=community, number=1).first()
    if b1 is None:
        return
    if Notice.objects.filter(community=community, title=POLICY_TITLE).exists():
        return  # built already
    rng = demo.rng("notices")
    shequ = demo.users.get("shequ")
    now = timezone.now()
    tomorrow = demo.today + datetime.timedelta(days=1)
    _tag_no_smartphone(rng, b1, demo)

    water = services.create_notice(
        actor=ACTOR,
        community=community,
        audience=Audience(community_id=community.pk, building_ids=(b1.pk,)),
        title=f"{b1.name}{tomorrow.month}月{tomorrow.day}日8:00至18:00停水",
        body=(
            f"因二次供水管道检修，{b1.name}将于{tomorrow.month}月{tomorrow.day}日8:00至18:00停水，请提前储水，"
            "关好家中水龙头。行动不便的老人需要送水的，请联系本网格网格员。给您带来不便，敬请谅解。"
        ),
        category=NoticeCategory.OUTAGE,
        channels=[NoticeChannel.IN_APP, NoticeChannel.PRINT],
        must_confirm=True,
        confirm_by=tomorrow,
    )
    services.send_notice(water, actor=ACTOR)
    water_sent = now - datetime.timedelta(hours=20)
    Notice.objects.filter(pk=water.pk).update(
        created_at=water_sent - datetime.timedelta(minutes=25), sent_at=water_sent, created_by=shequ, sent_by=shequ
    )
    _confirmations(rng, water, demo, water_sent)

    policy = services.create_notice(
        actor=ACTOR,
        community=community,
        audience=Audience(community_id=community.pk),
        title=POLICY_TITLE,
        body=(
            "今年的城乡居民养老保险领取资格认证工作开始了。领取养老金的居民请在手机上的人社服务平台完成“刷脸”认证，"
            "也可以由家人帮助认证。不会操作的老人不用着急，网格员会上门协助；也可以到社区党群服务中心办理。"
        ),
        category=NoticeCategory.POLICY,
        channels=[NoticeChannel.IN_APP, NoticeChannel.PRINT],
    )
    services.send_notice(policy, actor=ACTOR)
    policy_sent = datetime.datetime.combine(
        demo.today - datetime.timedelta(days=3), datetime.time(7, 30), tzinfo=timezone.get_current_timezone()
    )
    Notice.objects.filter(pk=policy.pk).update(
        created_at=policy_sent - datetime.timedelta(hours=1), sent_at=policy_sent, created_by=shequ, sent_by=shequ
    )

    grid1 = Grid.objects.filter(community=community, number=1).first()
    draft = services.create_notice(
        actor=ACTOR,
        community=community,
        audience=Audience(community_id=community.pk, grid_ids=(grid1.pk,) if grid1 else ()),
        title="本周六上午消防安全演练",
        body="本周六上午9:30在小区中心广场开展消防安全演练，请各楼栋居民积极参加，学习灭火器的使用和疏散方法。",
        category=NoticeCategory.SAFETY,
        channels=[NoticeChannel.IN_APP],
    )
    Notice.objects.filter(pk=draft.pk).update(created_by=shequ)
    told = NoticeHousehold.objects.filter(notice=water).exclude(confirmed_via="").count()
    demo.log(
        f"通知公告：停水通知 {water.household_count} 户已告知 {told} 户；养老保险认证通知 {policy.household_count} 户"
    )
