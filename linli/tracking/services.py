"""Resident self-service (居民自助): submit an appeal with a verified phone, read it back, rate the reply.

Writes go through linli.appeals.services (create_appeal, rate_reply); this module adds the tracking
code, the photos and the dispatchers' notice around them, and the resident's view of an appeal:
plain-word status and a timeline without staff-only notes or staff names (organisations only).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from linli.appeals import services as appeal_services
from linli.appeals.choices import Channel, EventAction, Rating, Status
from linli.appeals.models import Appeal, AppealEvent, HandlingUnit
from linli.areas.addresses import match_room
from linli.attachments.services import attach_photos, photos_of
from linli.core.audit import Actor
from linli.core.models import Source
from linli.core.phone import mask_phone
from linli.notifications.choices import Kind
from linli.notifications.services import notify
from linli.tracking import codes, notices
from linli.tracking.models import TrackingCode
from linli.tracking.otp import phone_key

#: Photos a resident may add (the staff intake allows 6; three show the problem, more are a burden).
MAX_PHOTOS = 3
#: Below this confidence the hint is not shown: a wrong "who handles this" misleads more than none.
HINT_MIN_CONFIDENCE = 0.4
#: A phone's list shows at most this many appeals, newest first.
MAX_LISTED = 50

STATUS_WORDS = {
    Status.PENDING_DISPATCH: "社区已收到，正在安排办理单位",
    Status.PENDING_SIGN: "已转交办理单位，等待接单",
    Status.IN_PROGRESS: "正在办理",
    Status.RESOLVED: "已办理完，社区会回访您",
    Status.CLOSED: "已办结",
    Status.WITHDRAWN: "已撤销",
    Status.MERGED: "和邻居反映的同一件事合并办理",
}


def resident_actor(phone: str, name: str = "") -> Actor:
    """The timeline's "who" for a resident (not a user): name and masked phone."""
    label = f"居民{(' ' + name) if name else ''}（{mask_phone(phone)}）" if phone else f"居民 {name}".strip()
    return Actor(user=None, source=Source.WEB, label=label[:80])


def find_household(building, room: str):
    """The household for "502", "2单元502", "2单元 502室" in `building`, or None (then the room stays text).
    The same matching as staff intake (linli.areas.addresses.match_room); a resident is not shown its complaints."""
    if building is None or not (room or "").strip():
        return None
    return match_room(building, room).household


@dataclass
class Submitted:
    appeal: Appeal
    code: str


@transaction.atomic
def submit_appeal(
    *,
    community,
    text: str,
    phone: str,
    name: str = "",
    building=None,
    room: str = "",
    address: str = "",
    photos=(),
    resident=None,
    sms: bool = True,
) -> Submitted:
    """Register a resident's appeal (channel 居民自助) from a verified phone, with its photos and a fresh
    tracking code, and tell the community's dispatchers. Returns the appeal and the code (shown once).
    With `sms` (unless the resident ticked “不需要短信通知”) the code is also texted to the phone after commit, and
    so is the notice when the appeal is answered (linli.tracking.notices)."""
    household = find_household(building, room)
    place = address
    if building is not None and household is None and room:
        place = room
    if resident is not None and building is None and not address:
        household = resident.household if resident.building.community_id == community.pk else None
    appeal = appeal_services.create_appeal(
        actor=resident_actor(phone, name or (resident.name if resident else "")),
        text=text,
        channel=Channel.RESIDENT,
        reporter=resident,
        reporter_name=name,
        reporter_phone=phone,
        community=community,
        building=building,
        household=household,
        address=place,
        sms_notify=sms,
    )
    if photos:
        attach_photos(appeal, photos, actor=resident_actor(phone, name))
    code = issue_tracking_code(appeal, phone)
    notices.tracking_code_registered(appeal, code)
    notify(
        appeal_services.dispatchers_of(appeal.community_id),
        kind=Kind.APPEAL,
        title=f"居民自助提交新诉求，请派单：{appeal.number} {appeal.summary}",
        url=reverse("appeals:appeal_detail", args=[appeal.pk]),
    )
    return Submitted(appeal=appeal, code=code)


def issue_tracking_code(appeal: Appeal, phone: str) -> str:
    """Draw the appeal's 查询码, store its hash with the phone's, and return it (the only time it exists in clear)."""
    for _attempt in range(5):
        code = codes.new_code()
        try:
            with transaction.atomic():
                TrackingCode.objects.create(appeal=appeal, code_hash=codes.code_hash(code), phone_hash=phone_key(phone))
            return code
        except IntegrityError:  # one chance in 10^12 per existing code; draw again
            continue
    raise RuntimeError("could not draw a unique tracking code")  # pragma: no cover


def text_tracking_code(appeal: Appeal) -> bool:
    """Staff registered an appeal whose reporter agreed to text messages: give it a 查询码 and text it to the
    reporter's mobile (after commit). Returns whether a message is on its way."""
    if not notices.wants_sms(appeal) or TrackingCode.objects.filter(appeal=appeal).exists():
        return False
    notices.tracking_code_registered(appeal, issue_tracking_code(appeal, appeal.reporter_phone))
    return True


def appeal_for_code(raw: str) -> Appeal | None:
    """The one appeal a tracking code opens, or None (unknown and malformed codes look the same)."""
    code = codes.clean(raw)
    if code is None:
        return None
    row = TrackingCode.objects.filter(code_hash=codes.code_hash(code)).select_related("appeal").first()
    return row.appeal if row else None


def appeals_for_phone(phone: str):
    """A verified phone's appeals: the ones it submitted here and the ones staff registered with it as the
    reporter's phone (by telephone, at a visit), newest first. Anonymous appeals never show."""
    submitted = TrackingCode.objects.filter(phone_hash=phone_key(phone)).values("appeal_id")
    return (
        Appeal.objects.filter(Q(pk__in=submitted) | Q(reporter_phone=phone))
        .exclude(anonymous=True)
        .select_related("assigned_org")
        .order_by("-received_at", "-id")[:MAX_LISTED]
    )


def phone_may_see(phone: str, appeal: Appeal) -> bool:
    if appeal.anonymous:
        return False
    if appeal.reporter_phone == phone:
        return True
    return TrackingCode.objects.filter(appeal=appeal, phone_hash=phone_key(phone)).exists()


# --- what the resident reads -------------------------------------------------------------------------


def status_words(appeal: Appeal) -> str:
    words = STATUS_WORDS.get(appeal.status, appeal.get_status_display())
    org = appeal.assigned_org.name if appeal.assigned_org_id else ""
    if appeal.status == Status.PENDING_SIGN and org:
        return f"已转交{org}，等待接单"
    if appeal.status == Status.IN_PROGRESS and org:
        return f"{org}正在办理"
    return words


def reply_for_reporter(appeal: Appeal) -> str:
    """The community's reply as this appeal's reporter reads it. A merged duplicate carries the main appeal's
    reply, written to another resident: its reporter reads the main appeal's public reply instead (anonymised,
    like every text one resident may read about another's appeal), or a plain sentence."""
    if appeal.status != Status.MERGED:
        return appeal.reply_text
    if not appeal.reply_text:
        return ""
    main = appeal.merged_into
    if main is not None and main.public_reply:
        from linli.appeals.public import appeal_names, public_reply
        from linli.residents.names import CommunityNames

        return public_reply(main, appeal_names(main, CommunityNames()))
    return "您反映的事已和邻居反映的同一件事一并办结。"


def can_rate(appeal: Appeal) -> bool:
    return (
        appeal.status == Status.CLOSED
        and bool(appeal.reply_text)
        and appeal.rating in ("", Rating.NONE)
        and not appeal.anonymous
    )


@dataclass
class Step:
    at: object
    title: str
    note: str = ""


def _step(event: AppealEvent) -> Step | None:
    org = event.org.name if event.org_id else ""
    a = EventAction
    match event.action:
        case a.CREATED:
            return Step(event.at, "社区收到了您反映的事")
        case a.DISPATCHED:
            return Step(event.at, f"转交{org or '办理单位'}办理")
        case a.SIGNED:
            return Step(event.at, f"{org or '办理单位'}已接单")
        case a.RETURNED:
            return Step(event.at, "社区正在重新安排办理单位")
        case a.ASSIST:
            return Step(event.at, f"请{org or '其他单位'}一起办理")
        case a.PROGRESS:
            # Issue 14: only the notes their author chose to show the reporter (向居民公开); others are internal.
            return Step(event.at, "办理进展", event.note) if event.public else None
        case a.EXTENSION_APPROVED:
            return Step(event.at, "办理时间延长了")
        case a.RESOLVED:
            return Step(event.at, "办理完毕")
        case a.REPLIED:
            if event.note.startswith("居民自评"):
                return Step(event.at, "您做了评价", event.note.removeprefix("居民自评："))
            return Step(event.at, "社区回复了您")
        case a.REOPENED:
            return Step(event.at, "重新办理")
        case a.ESCALATED:
            return Step(event.at, "上级督办")
        case a.WITHDRAWN:
            return Step(event.at, "已撤销", event.note)
        case a.MERGED:
            return Step(event.at, "和邻居反映的同一件事合并办理")
    # 修改, 申请延期, 不同意延期, 超期提醒: bookkeeping between staff, not news for the resident.
    return None


def public_timeline(appeal: Appeal) -> list[Step]:
    """The appeal's steps a resident may read: never `internal` events, never who at the office did it."""
    events = appeal.events.filter(internal=False).select_related("org").order_by("at", "id")
    return [step for step in map(_step, events) if step is not None]


def unit_name(code: str) -> str:
    unit = HandlingUnit.objects.filter(code=code).values_list("name", flat=True).first()
    if unit:
        return unit
    from linli.appeals.routing.model import default_unit_names

    return default_unit_names().get(code, "")


def hint_unit(text: str, community=None) -> str:
    """The unit name for the hint "这类问题一般由 物业服务企业 处理", or "" when the model has too little to go on.
    With the community, its dispatchers' corrections count (routing.services.suggest)."""
    text = (text or "").strip()[:1000]
    if len(text) < 4:
        return ""  # the empty form of a first visit: no routing model (nor scikit-learn) to load for it
    from linli.appeals.routing.services import suggest

    suggestion = suggest(text, community=community)
    if suggestion.confidence < HINT_MIN_CONFIDENCE:
        return ""
    return unit_name(suggestion.unit)


def photo_count(appeal: Appeal) -> int:
    return photos_of(appeal).count()


def reporter_photos(appeal: Appeal):
    """The photos the reporter may see besides their own: 办结照片 the handler marked 向反映人公开, on the appeal's
    steps that are not staff-only (linli.appeals.services.resolve)."""
    from django.contrib.contenttypes.models import ContentType

    from linli.attachments.models import Photo

    steps = AppealEvent.objects.filter(appeal=appeal, internal=False).values("pk")
    return Photo.objects.filter(
        content_type=ContentType.objects.get_for_model(AppealEvent), object_id__in=steps, public=True
    ).order_by("id")


def resolution_for_reporter(appeal: Appeal) -> str:
    """办理情况 as the reporter reads it: only when the handler left it 向居民公开 (the default) and not for a merged
    duplicate (its text is about another resident's report)."""
    if appeal.status == Status.MERGED or not appeal.resolution_public:
        return ""
    return appeal.resolution
