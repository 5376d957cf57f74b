"""Booking a room and everything that happens to a booking after: approval, use, cancellation, a closure.

`book` decides who may book (linli.places.access), checks the room's opening hours, open days and capacity, picks
the status (待审核 when the room needs approval and the actor may not approve) and hands the row to
linli.places.booking.create_booking, which owns the no-overlap rule. Cancelling (one occurrence, the rest of a
series, or a closure of the room for a day) is one transaction over the room's row and tells everyone affected
(linli.places.notify). Every function takes the actor (linli.core.audit.Actor) and writes a change record; bad input
raises ValidationError with a Chinese message and changes nothing; an action the actor may not take raises
PermissionDenied.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.phone import PhoneError, normalize_phone
from linli.places import access, notify
from linli.places.booking import create_booking, lock_room
from linli.places.choices import HOLDING, BookerKind, BookingStatus, CancelScope
from linli.places.models import Booking, Room

WEEKDAYS = "一二三四五六日"
#: How far ahead a booking may be made (a series is capped in linli.places.series).
MAX_DAYS_AHEAD = 366


def _clause(text: str) -> str:
    return (text or "").strip().rstrip("。.！!；;，,")


def local_span(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{start:%Y-%m-%d} 周{WEEKDAYS[start.weekday()]} {start:%H:%M}–{end:%H:%M}"


# --------------------------------------------------------------------------- checks


def check_room_open(room: Room, starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    """The room is active, open that weekday, and the slot lies inside its opening hours on one day."""
    if not room.is_active:
        raise ValidationError(f"{room.name}已停用，不能预约。")
    if starts_at >= ends_at:
        raise ValidationError({"ends_at": "结束时间应晚于开始时间。"})
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() != end.date():
        raise ValidationError({"ends_at": "一次预约应在同一天内开始和结束。"})
    if start.weekday() not in (room.open_days or []):
        raise ValidationError({"starts_at": f"{room.name}每周{WEEKDAYS[start.weekday()]}不开放。"})
    if start.time() < room.opens_at or end.time() > room.closes_at:
        raise ValidationError(
            {"starts_at": f"{room.name}的开放时间是 {room.opens_at:%H:%M}–{room.closes_at:%H:%M}，请在这个时间内预约。"}
        )


def check_when(starts_at: datetime.datetime, now: datetime.datetime) -> None:
    if starts_at <= now:
        raise ValidationError({"starts_at": "不能预约已经过去的时间。"})
    if starts_at > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"starts_at": "最多只能预约一年以内的时间。"})


def check_attendance(room: Room, expected_attendance) -> None:
    if expected_attendance is None or expected_attendance < 1:
        raise ValidationError({"expected_attendance": "预计人数至少为1人。"})
    if expected_attendance > room.capacity:
        raise ValidationError(
            {"expected_attendance": f"预计{expected_attendance}人，超过了{room.name}的容纳人数（{room.capacity}人）。"}
        )


def clean_phone(phone: str) -> str:
    try:
        return normalize_phone(phone or "")
    except PhoneError as exc:
        raise ValidationError({"contact_phone": str(exc)}) from exc


@dataclass
class Booker:
    """Who a booking is for, after the who-may-book rule (resident and team resolved, name filled)."""

    kind: str
    name: str
    resident: object = None
    team: object = None


def who_books(room: Room, user, *, booker_kind, booker_name="", resident=None, team=None) -> Booker:
    """Who may book `room` as what. Staff with booking.add over the room's community book for anyone; a resident
    or volunteer of the room's community (booking.add_self) books as themself (a resident), for a resident
    organisation (a resident), or for a volunteer team they belong to; nobody else books it. The room's
    `bookable_by` decides which kinds of booker it takes, for everyone."""
    if booker_kind not in BookerKind.values:
        raise ValidationError({"booker_kind": "请选择预约方。"})
    label = BookerKind(booker_kind).label
    if booker_kind not in (room.bookable_by or []):
        raise ValidationError({"booker_kind": f"{room.name}不对“{label}”开放预约。"})
    booker_name = " ".join((booker_name or "").split())
    if team is not None and team.community_id != room.community_id:
        raise ValidationError({"team": "这个志愿服务队不属于这间功能室所在的社区。"})
    if user is None or access.may_book_for_others(user, room.community_id):
        if booker_kind == BookerKind.TEAM and team is not None:
            booker_name = booker_name or team.name
        elif booker_kind == BookerKind.RESIDENT and resident is not None:
            booker_name = booker_name or resident.name
        if not booker_name:
            raise ValidationError({"booker_name": "请填写预约人或组织的名称。"})
        return Booker(booker_kind, booker_name[:100], resident, team)
    if not access.may_book_self(user, room.community_id):
        raise PermissionDenied("您不能预约这间功能室：居民和志愿者只能预约本社区的功能室。")
    own = user.resident if user.resident_id else None
    if booker_kind == BookerKind.STAFF:
        raise ValidationError({"booker_kind": "只有社区工作人员可以以社区名义预约。"})
    if booker_kind == BookerKind.TEAM:
        if team is None:
            raise ValidationError({"team": "请选择志愿服务队。"})
        if team.pk not in access.member_team_ids(user):
            raise ValidationError({"team": "您不是这个志愿服务队的队员，不能以它的名义预约。"})
        return Booker(booker_kind, team.name, own, team)
    if own is None:
        raise ValidationError({"booker_kind": "您的账号没有对应的居民档案，请以志愿服务队的名义预约。"})
    if booker_kind == BookerKind.RESIDENT:
        return Booker(booker_kind, own.name, own, None)
    if not booker_name:
        raise ValidationError({"booker_name": "请填写居民组织的名称。"})
    return Booker(booker_kind, booker_name[:100], own, None)


def initial_status(room: Room, user) -> str:
    """待审核 when the room needs approval and the actor may not approve it (a command books as confirmed)."""
    if room.needs_approval and user is not None and not access.may_manage(user, room.community_id):
        return BookingStatus.PENDING
    return BookingStatus.CONFIRMED


# --------------------------------------------------------------------------- booking


@transaction.atomic
def book(
    room: Room,
    *,
    actor: Actor,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    expected_attendance: int,
    booker_kind: str,
    booker_name: str = "",
    contact_phone: str = "",
    resident=None,
    team=None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book `room` from `starts_at` to `ends_at` for `purpose`, or refuse with the reason (a clash names the
    booking in the way: linli.places.booking.BookingClash). `now` is the demo's fixed moment; the clock otherwise."""
    user = actor.account
    purpose = " ".join((purpose or "").split())
    if not purpose:
        raise ValidationError({"purpose": "请填写用途。"})
    booker = who_books(room, user, booker_kind=booker_kind, booker_name=booker_name, resident=resident, team=team)
    check_room_open(room, starts_at, ends_at)
    check_when(starts_at, now or timezone.now())
    check_attendance(room, expected_attendance)
    booking = Booking(
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        status=initial_status(room, user),
        purpose=purpose[:200],
        expected_attendance=expected_attendance,
        booker_kind=booker.kind,
        booker_name=booker.name,
        contact_phone=clean_phone(contact_phone),
        resident=booker.resident,
        team=booker.team,
        booked_by=user,
    )
    create_booking(booking, actor=actor)
    if booking.status == BookingStatus.PENDING:
        notify.approval_asked(booking)
    return booking


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("room").get(pk=booking.pk)


def _require_manager(user, booking: Booking, what: str) -> None:
    if user is not None and not access.may_manage(user, booking.community_id):
        raise PermissionDenied(f"您没有{what}这个预约的权限。")


@transaction.atomic
def approve(booking: Booking, *, actor: Actor) -> Booking:
    """待审核 → 已确认 (booking.manage over the room's community); the booker is told."""
    _require_manager(actor.account, booking, "审核")
    booking = _locked(booking)
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(f"这个预约现在是“{booking.get_status_display()}”，不需要审核。")
    before = audit.snapshot(booking)
    booking.status = BookingStatus.CONFIRMED
    booking.decided_by, booking.decided_at = actor.account, timezone.now()
    booking.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(booking, ChangeAction.UPDATE, before, audit.snapshot(booking), actor, note="审核通过")
    notify.decided(booking, actor_user=actor.account)
    return booking


@transaction.atomic
def reject(booking: Booking, *, actor: Actor, reason: str) -> Booking:
    """待审核 → 未通过 with the reason; the room's time is free again and the booker is told why."""
    _require_manager(actor.account, booking, "审核")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "请填写不通过的原因。"})
    booking = _locked(booking)
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(f"这个预约现在是“{booking.get_status_display()}”，不需要审核。")
    before = audit.snapshot(booking)
    booking.status = BookingStatus.REJECTED
    booking.cancel_reason = reason[:200]
    booking.decided_by, booking.decided_at = actor.account, timezone.now()
    booking.save(update_fields=["status", "cancel_reason", "decided_by", "decided_at"])
    lock_room(booking.room_id)
    audit.record(booking, ChangeAction.UPDATE, before, audit.snapshot(booking), actor, note="审核不通过")
    notify.decided(booking, actor_user=actor.account)
    return booking


@transaction.atomic
def record_use(
    booking: Booking,
    *,
    actor: Actor,
    attendance: int | None,
    no_show: bool,
    now: datetime.datetime | None = None,
) -> Booking:
    """How many came (实到人数), or that nobody came (爽约), once the booking has begun. Staff who manage bookings
    and the room's manager record it."""
    user = actor.account
    room = booking.room
    if user is not None and not (access.may_manage(user, booking.community_id) or room.manager_id == user.pk):
        raise PermissionDenied("您没有登记这个预约使用情况的权限。")
    booking = _locked(booking)
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(f"这个预约是“{booking.get_status_display()}”，不能登记使用情况。")
    if booking.starts_at > (now or timezone.now()):
        raise ValidationError("预约开始以后才能登记使用情况。")
    if no_show:
        if attendance:
            raise ValidationError({"attendance": "登记了爽约，实到人数应为0或不填。"})
        attendance = 0
    elif attendance is None or attendance < 0:
        raise ValidationError({"attendance": "请填写实到人数（没有人来请选择“爽约”）。"})
    elif attendance > 2 * room.capacity:
        raise ValidationError({"attendance": f"实到人数远超容纳人数（{room.capacity}人），请核对。"})
    before = audit.snapshot(booking)
    booking.attendance, booking.no_show = attendance, bool(no_show)
    booking.save(update_fields=["attendance", "no_show"])
    audit.record(booking, ChangeAction.UPDATE, before, audit.snapshot(booking), actor, note="登记使用情况")
    return booking


# --------------------------------------------------------------------------- cancelling


@dataclass
class Cancelled:
    """What one cancellation did: the bookings it cancelled and how many people were told (accounts and SMS)."""

    bookings: list[Booking] = field(default_factory=list)
    told: int = 0

    @property
    def message(self) -> str:
        return f"已取消 {len(self.bookings)} 个预约，已通知 {self.told} 人。"


def _cancel_rows(rows, *, actor: Actor, reason: str, note: str) -> list[Booking]:
    stamp = timezone.now()
    done = []
    for booking in rows:
        before = audit.snapshot(booking)
        booking.status = BookingStatus.CANCELLED
        booking.cancel_reason = reason[:200]
        booking.cancelled_at = stamp
        booking.save(update_fields=["status", "cancel_reason", "cancelled_at"])
        audit.record(booking, ChangeAction.UPDATE, before, audit.snapshot(booking), actor, note=note)
        done.append(booking)
    return done


@transaction.atomic
def cancel(
    booking: Booking,
    *,
    actor: Actor,
    reason: str,
    scope: str = CancelScope.ONE,
    now: datetime.datetime | None = None,
) -> Cancelled:
    """Cancel this booking (ONE), this and the later occurrences of its series (REST), or every booking of its room
    that day (CLOSURE, see close_room_for_day). Its owners cancel their own; booking.manage any in scope. Everyone
    affected but the actor is told."""
    if scope == CancelScope.CLOSURE:
        day = timezone.localtime(booking.starts_at).date()
        return close_room_for_day(booking.room, day, actor=actor, reason=reason, now=now)
    if scope not in (CancelScope.ONE, CancelScope.REST):
        raise ValidationError({"scope": "请选择取消范围。"})
    user = actor.account
    if user is not None and not access.may_cancel(user, booking):
        raise PermissionDenied("您没有取消这个预约的权限。")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "请填写取消原因。"})
    now = now or timezone.now()
    lock_room(booking.room_id)
    booking = _locked(booking)
    if booking.status not in HOLDING:
        raise ValidationError(f"这个预约已经是“{booking.get_status_display()}”，不能再取消。")
    if booking.ends_at <= now:
        raise ValidationError("这个预约已经结束，不能取消（没有来请登记爽约）。")
    rows = Booking.objects.filter(pk=booking.pk)
    if scope == CancelScope.REST and booking.series_id:
        rows = Booking.objects.holding().filter(series_id=booking.series_id, starts_at__gte=booking.starts_at)
    rows = rows.select_for_update().select_related("room").order_by("starts_at", "id")
    note = "取消这一次及以后各次" if scope == CancelScope.REST else "取消预约"
    done = _cancel_rows(rows, actor=actor, reason=reason, note=note)
    told = notify.cancelled(done, reason=reason, actor_user=user, closure=False)
    return Cancelled(done, told)


@transaction.atomic
def close_room_for_day(
    room: Room, day: datetime.date, *, actor: Actor, reason: str, now: datetime.datetime | None = None
) -> Cancelled:
    """闭馆: cancel in one step every holding booking of `room` on `day` that has not ended, and tell each booker
    (booking.manage over the room's community). A day with nothing booked cancels nothing and tells nobody."""
    user = actor.account
    if user is not None and not access.may_manage(user, room.community_id):
        raise PermissionDenied("您没有关闭这间功能室的权限。")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "请填写闭馆原因（如：设备维修、场地另有安排）。"})
    now = now or timezone.now()
    if day < timezone.localtime(now).date():
        raise ValidationError({"day": "不能关闭已经过去的日子。"})
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    lock_room(room.pk)
    rows = (
        Booking.objects.holding()
        .filter(room=room, starts_at__gte=start, starts_at__lt=end, ends_at__gt=now)
        .select_for_update()
        .select_related("room")
        .order_by("starts_at", "id")
    )
    done = _cancel_rows(rows, actor=actor, reason=reason, note=f"闭馆：{day:%Y-%m-%d}")
    told = notify.cancelled(done, reason=reason, actor_user=user, closure=True)
    return Cancelled(done, told)
