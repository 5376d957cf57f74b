"""Demo micro-wishes and the 爱心衣物 rack for one community (its demo step: shell.py).

Seed 004: in-service party members (在职党员双报到) claimed 75 micro-wishes of people in need in a year;
units such as the tax office and a bank came as organisations. Here: seven claimers (the demo login
`zhiyuan` among them, as an in-service party member), sixteen wishes of residents in the community's
care groups in every state, taken through linli.wishes.services and then dated over the last months,
and a donation stock with its moves. Deterministic from `rng` and `today`; fast (well under a second).
"""

from __future__ import annotations

import datetime
import io
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from PIL import Image

from linli.accounts.models import User
from linli.attachments.models import Photo
from linli.core.audit import Actor, actor_of
from linli.residents.models import Resident
from linli.wishes import services
from linli.wishes.choices import ClaimerKind, Direction, DonationKind, WishEventAction, WishStatus
from linli.wishes.models import Claimer, DonationMove, Wish, WishClaim, WishEvent

STAFF_LOGIN, VOLUNTEER_LOGIN = "shequ", "zhiyuan"

#: (name, kind, workplace, in service, phone) of the claimers; the first is the demo login zhiyuan.
CLAIMERS = (
    ("夏谋阶", ClaimerKind.PARTY_MEMBER, "青山区税务局", True, "13907140001"),
    ("刘红梅", ClaimerKind.PARTY_MEMBER, "青山区住建局墙改办", True, "13907140002"),
    ("陈建国", ClaimerKind.PARTY_MEMBER, "武钢集团退休职工", False, "13907140003"),
    ("黄丽", ClaimerKind.PARTY_MEMBER, "青山区第一小学", True, "13907140004"),
    ("周志强", ClaimerKind.PARTY_MEMBER, "青和居第3网格党支部", False, "13907140005"),
    ("青山区税务局机关党支部", ClaimerKind.ORGANISATION, "青山区税务局", False, "027-86810001"),
    ("武汉农商银行青山支行", ClaimerKind.ORGANISATION, "驻区单位", False, "027-86810002"),
)

#: (tag of the wisher, title, neutral description, category)
WISHES = (
    ("left_behind_child", "一个新书包", "一名留守儿童希望开学前有一个新书包", "study"),
    ("left_behind_child", "一套课外读物", "一名小学生希望有几本适合三年级的课外书", "study"),
    ("left_behind_child", "一盏护眼台灯", "一名留守儿童晚上写作业光线不好，希望有一盏台灯", "study"),
    ("living_alone", "帮忙修理门锁", "一位独居老人希望有人帮忙修理门锁", "repair"),
    ("living_alone", "更换厨房水龙头", "一位独居老人家里水龙头漏水，希望有人帮忙更换", "repair"),
    ("living_alone", "每周陪老人聊聊天", "一位独居老人希望每周有人上门陪着说说话", "visit"),
    ("living_alone", "一台收音机", "一位独居老人喜欢听戏，希望有一台收音机", "goods"),
    ("living_alone", "陪同去医院复查", "一位行动不便的老人希望有人陪同去医院复查", "health"),
    ("disabled", "一副助行器", "一位腿脚不便的居民希望有一副助行器", "health"),
    ("disabled", "帮忙代缴水电费", "一位行动不便的居民希望有人每月帮忙代缴水电费", "errand"),
    ("empty_nest", "教老人用智能手机", "一对空巢老人希望学会用手机和子女视频", "visit"),
    ("empty_nest", "一件保暖的冬衣", "一位空巢老人希望入冬前有一件厚棉衣", "goods"),
    ("living_alone", "换一个灯泡", "一位独居老人卫生间灯坏了，希望有人帮忙换灯泡", "repair"),
    ("left_behind_child", "一双运动鞋", "一名留守儿童希望有一双合脚的运动鞋上体育课", "goods"),
    ("empty_nest", "帮忙晒被子", "一对空巢老人希望天晴时有人帮忙晒被子", "errand"),
    ("disabled", "理一次发", "一位卧床的居民希望有人上门理发", "health"),
)
#: How each wish ends up, in the order of WISHES: (status, claimer index or None, days ago it was recorded).
PLAN = (
    (WishStatus.FULFILLED, 0, 150),
    (WishStatus.FULFILLED, 1, 130),
    (WishStatus.FULFILLED, 5, 110),
    (WishStatus.FULFILLED, 0, 95),
    (WishStatus.FULFILLED, 2, 80),
    (WishStatus.FULFILLED, 3, 60),
    (WishStatus.FULFILLED, 6, 45),
    (WishStatus.CLAIMED, 0, 20),
    (WishStatus.CLAIMED, 4, 15),
    (WishStatus.CLAIMED, 0, 9),
    (WishStatus.CANCELLED, None, 40),
    (WishStatus.OPEN, None, 12),
    (WishStatus.OPEN, None, 7),
    (WishStatus.OPEN, None, 5),
    (WishStatus.OPEN, None, 3),
    (WishStatus.OPEN, None, 1),
)
THANKS = ("谢谢党员同志，孩子高兴坏了", "太感谢了，门锁好了晚上睡得踏实", "感谢社区和党员，记在心里")

#: (kind, donations in as (quantity, donor), takes out) of the 爱心衣物 rack
DONATIONS = (
    (DonationKind.CLOTHES, ((40, "王阿姨"), (35, ""), (50, "青山区税务局机关党支部")), (12, 8, 15, 6)),
    (DonationKind.SHOES, ((20, ""), (12, "刘红梅")), (6, 4)),
    (DonationKind.BOOKS, ((30, "青山区第一小学"), (25, "")), (10, 7)),
    (DonationKind.TOYS, ((18, "妈妈帮帮团"),), (5, 3)),
)


def _photo() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (160, 120), (214, 179, 106)).save(out, "JPEG")
    out.seek(0)
    out.name = "demo.jpg"
    return out


def _address(resident: Resident) -> str:
    h = resident.household
    return f"{resident.building.name}{h.entrance}单元{h.room}"


def build_demo_wishes(community, *, rng: random.Random, today: datetime.date, log=lambda line: None) -> int:
    """Claimers, wishes and donations for `community`; returns the number of wishes."""
    t0 = time.perf_counter()
    logins = {u.username: u for u in User.objects.filter(username__in=(STAFF_LOGIN, VOLUNTEER_LOGIN))}
    staff = actor_of(logins[STAFF_LOGIN]) if STAFF_LOGIN in logins else Actor.cli("演示数据")
    system = Actor.cli("演示数据")
    claimers = []
    for n, (name, kind, workplace, in_service, phone) in enumerate(CLAIMERS):
        claimer = Claimer(
            community=community, name=name, kind=kind, workplace=workplace, in_service=in_service, phone=phone
        )
        claimer.user = logins.get(VOLUNTEER_LOGIN) if n == 0 else None
        claimers.append(services.save_claimer(claimer, actor=system))

    pools = {}
    for tag in {w[0] for w in WISHES}:
        pool = list(
            Resident.objects.filter(community=community, tags__code=tag)
            .select_related("building", "household")
            .order_by("pk")[:60]
        )
        rng.shuffle(pool)
        pools[tag] = pool
    tz = timezone.get_current_timezone()
    evening = datetime.datetime.combine(today, datetime.time(18, 0), tzinfo=tz)
    for (tag, title, description, category), (status, who, days) in zip(WISHES, PLAN):
        resident = pools[tag].pop() if pools.get(tag) else None
        recorded = evening - datetime.timedelta(days=days, hours=rng.randrange(8))
        wish = services.create_wish(
            actor=staff,
            community=community,
            title=title,
            description=description,
            category=category,
            target_date=(recorded + datetime.timedelta(days=30)).date(),
            resident=resident,
            beneficiary_name=resident.name if resident else "某居民",
            address=_address(resident) if resident else "",
            contact_phone=resident.phone if resident else "",
            delivery_notes=rng.choice(("上午在家", "下午三点后在家，敲门声音大一点", "先打电话，家属会下楼来接")),
        )
        at = {WishEventAction.CREATED: recorded}
        if who is not None:
            claimer = claimers[who]
            claimer_actor = actor_of(claimer.user) if claimer.user_id else staff
            services.claim_wish(wish, actor=claimer_actor, claimer=None if claimer.user_id else claimer)
            at[WishEventAction.CLAIMED] = recorded + datetime.timedelta(days=1 + rng.randrange(3))
        if status == WishStatus.FULFILLED:
            services.confirm_fulfilment(wish, actor=staff, photos=[_photo()], note="已送到，心愿人很满意")
            at[WishEventAction.FULFILLED] = at[WishEventAction.CLAIMED] + datetime.timedelta(days=2 + rng.randrange(6))
            if rng.random() < 0.7:
                services.record_thanks(wish, actor=staff, text=rng.choice(THANKS))
                at[WishEventAction.THANKED] = at[WishEventAction.FULFILLED] + datetime.timedelta(days=1)
        elif status == WishStatus.CANCELLED:
            services.cancel_wish(wish, actor=staff, reason="心愿人已随子女外出居住")
            at[WishEventAction.CANCELLED] = recorded + datetime.timedelta(days=10)
        _date(wish, at)
    moves = _donations(community, staff, rng, evening)
    log(
        f"       {community.name}：{len(claimers)}个认领人 {len(WISHES)}个微心愿 {moves}条爱心衣物进出"
        f"（{time.perf_counter() - t0:.1f}秒）"
    )
    return len(WISHES)


def _date(wish: Wish, at: dict) -> None:
    """Move the wish, its claim and its events to when they happened in the plan."""
    for action, moment in at.items():
        WishEvent.objects.filter(wish=wish, action=action).update(at=moment)
    Wish.objects.filter(pk=wish.pk).update(
        created_at=at[WishEventAction.CREATED],
        updated_at=max(at.values()),
        claimed_at=at.get(WishEventAction.CLAIMED),
        fulfilled_at=at.get(WishEventAction.FULFILLED),
        thanks_at=at.get(WishEventAction.THANKED),
    )
    if WishEventAction.CLAIMED in at:
        WishClaim.objects.filter(wish=wish).update(claimed_at=at[WishEventAction.CLAIMED])


def _donations(community, actor, rng: random.Random, evening) -> int:
    n = 0
    for kind, ins, outs in DONATIONS:
        days = sorted(rng.sample(range(1, 90), len(ins) + len(outs)), reverse=True)
        steps = [(Direction.IN, q, donor) for q, donor in ins] + [(Direction.OUT, q, "") for q in outs]
        for (direction, quantity, donor), day in zip(steps, days):
            services.record_donation(
                community,
                actor=actor,
                kind=kind,
                direction=direction,
                quantity=quantity,
                donor_name=donor,
                moved_on=(evening - datetime.timedelta(days=day)).date(),
            )
            n += 1
    DonationMove.objects.filter(community=community).update(created_at=evening)
    return n


def forget_orphan_photos() -> None:
    """Fulfilment photos whose claim is gone (reset_demo deletes claims in bulk, past the attachments service)."""
    ct = ContentType.objects.get_for_model(WishClaim)
    orphans = Photo.objects.filter(content_type=ct).exclude(object_id__in=WishClaim.objects.values("pk"))
    storage = Photo._meta.get_field("image").storage
    names = [name for pair in orphans.values_list("image", "thumbnail") for name in pair if name]
    orphans.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def demo_step(demo) -> None:
    """The demo step (shell.py): wishes and donated goods in the community the demo logins work in."""
    build_demo_wishes(demo.community, rng=demo.rng("wishes"), today=demo.today, log=demo.log)
