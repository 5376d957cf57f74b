"""Recurring bookings (周期预约): every Tuesday 14:00–16:00 until June; the 秧歌队 every weekday morning.

A series is an RFC 5545 RRULE read by dateutil.rrule (`build_rule` writes it from the form's choices; it is stored
in BookingSeries.rule) plus one ordinary Booking per date, so the no-overlap rule guards every occurrence.
`plan_series` lists the dates and, for each, whether it is free, taken (the clashing booking) or not bookable (the
room is closed that weekday, the time has passed); `create_series` books them in one transaction over the room's
row. Dates that are not free are refused with the list, unless the booker agrees to skip them (`skip_clashes`):
then the rest is booked and the skipped dates are kept on the series.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.places import notify
from linli.places.booking import BookingClash, first_clash, insert_booking, lock_room
from linli.places.choices import BookingStatus
from linli.places.models import Booking, BookingSeries, Room
from linli.places.services import (
    WEEKDAYS,
    check_attendance,
    check_room_open,
    clean_phone,
    initial_status,
    who_books,
)

#: A series covers at most a year and this many dates.
MAX_SPAN_DAYS = 366
MAX_OCCURRENCES = 400
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
EVERY_WEEKDAY = (0, 1, 2, 3, 4)


def build_rule(weekdays, *, until: datetime.date, interval: int = 1) -> str:
    """The RRULE of "every `interval` weeks on `weekdays` (Monday = 0) until `until`" (the dates only)."""
    days = sorted(set(weekdays))
    if not days or any(d not in range(7) for d in days):
        raise ValidationError({"weekdays": "请选择每周哪几天。"})
    if not 1 <= interval <= 4:
        raise ValidationError({"interval": "间隔应为1到4周。"})
    parts = ["FREQ=WEEKLY", f"BYDAY={','.join(BYDAY[d] for d in days)}", f"UNTIL={until:%Y%m%d}T235959"]
    if interval > 1:
        parts.insert(1, f"INTERVAL={interval}")
    return ";".join(parts)


def rule_dates(rule: str, first_date: datetime.date) -> list[datetime.date]:
    """The dates of a stored rule from `first_date` (at most MAX_OCCURRENCES + 1, to tell a rule that is too long)."""
    start = datetime.datetime.combine(first_date, datetime.time.min)
    dates = []
    for moment in rrule.rrulestr(rule, dtstart=start):
        dates.append(moment.date())
        if len(dates) > MAX_OCCURRENCES:
            break
    return dates


def describe_rule(rule: str) -> str:
    """The rule in Chinese: 每周二、四 / 每隔2周的周一."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    days = [WEEKDAYS[BYDAY.index(d)] for d in parts.get("BYDAY", "").split(",") if d in BYDAY]
    interval = int(parts.get("INTERVAL", "1") or 1)
    if days == list(WEEKDAYS[:5]) and interval == 1:
        return "每个工作日（周一至周五）"
    lead = "每周" if interval == 1 else f"每隔{interval}周的周"
    return lead + "、".join(days)


@dataclass
class Occurrence:
    day: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    clash: Booking | None = None
    #: why the date cannot be booked other than a clash (the room is closed that weekday, the time has passed)
    problem: str = ""

    @property
    def free(self) -> bool:
        return self.clash is None and not self.problem

    @property
    def why(self) -> str:
        return f"已被预约：{self.clash}" if self.clash is not None else self.problem

    @property
    def short_why(self) -> str:
        """The reason without the other booker (for residents and volunteers)."""
        if self.clash is None:
            return self.problem
        start, end = timezone.localtime(self.clash.starts_at), timezone.localtime(self.clash.ends_at)
        return f"{start:%H:%M}–{end:%H:%M} 已被预约"

    def __str__(self):
        return f"{self.day:%Y-%m-%d}（周{WEEKDAYS[self.day.weekday()]}）{self.why}"


@dataclass
class SeriesPlan:
    """What a series would book: the rule, who for, and every date with its state."""

    room: Room
    rule: str
    first_date: datetime.date
    until: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    purpose: str
    expected_attendance: int
    booker_kind: str
    booker_name: str
    contact_phone: str = ""
    resident: object = None
    team: object = None
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def taken(self) -> list[Occurrence]:
        return [o for o in self.occurrences if not o.free]

    @property
    def free(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.free]

    def who(self) -> dict:
        """The fields the series and each of its bookings share."""
        names = ("room", "purpose", "expected_attendance", "booker_kind", "booker_name", "contact_phone", "resident")
        return {name: getattr(self, name) for name in (*names, "team")}

    @property
    def description(self) -> str:
        return f"{describe_rule(self.rule)} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def refusal(self) -> ValidationError:
        listed = "；".join(str(o) for o in self.taken[:20]) + (" 等" if len(self.taken) > 20 else "")
        return ValidationError(
            f"有 {len(self.taken)} 个日期不能预约：{listed}。可以跳过这些日期，预约其余 {len(self.free)} 次。",
            code="series_clash",
        )


def _check(room, occurrence: Occurrence, now) -> None:
    occurrence.clash, occurrence.problem = None, ""
    if occurrence.day.weekday() not in (room.open_days or []):
        occurrence.problem = f"{room.name}周{WEEKDAYS[occurrence.day.weekday()]}不开放"
    elif occurrence.starts_at <= now:
        occurrence.problem = "时间已过"
    else:
        occurrence.clash = first_clash(room.pk, occurrence.starts_at, occurrence.ends_at)


def plan_series(
    room: Room,
    *,
    actor: Actor,
    weekdays,
    first_date: datetime.date,
    until: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    purpose: str,
    expected_attendance: int,
    booker_kind: str,
    booker_name: str = "",
    contact_phone: str = "",
    resident=None,
    team=None,
    interval: int = 1,
    now: datetime.datetime | None = None,
) -> SeriesPlan:
    """Every date of the series and whether it is free (no row is written). Refuses what no date could fix: who
    books, the hours, the attendance, a span over a year or more than MAX_OCCURRENCES dates, no date at all."""
    now = now or timezone.now()
    purpose = " ".join((purpose or "").split())
    if not purpose:
        raise ValidationError({"purpose": "请填写用途。"})
    booker = who_books(
        room, actor.account, booker_kind=booker_kind, booker_name=booker_name, resident=resident, team=team
    )
    if until < first_date:
        raise ValidationError({"until": "结束日期应不早于开始日期。"})
    if first_date < timezone.localtime(now).date():
        raise ValidationError({"first_date": "开始日期不能早于今天。"})
    if (until - first_date).days > MAX_SPAN_DAYS:
        raise ValidationError({"until": "周期预约最长一年，请缩短结束日期。"})
    first_start = timezone.make_aware(datetime.datetime.combine(first_date, start_time))
    first_end = timezone.make_aware(datetime.datetime.combine(first_date, end_time))
    check_room_open(room, *_any_open(room, first_start, first_end))
    check_attendance(room, expected_attendance)
    rule = build_rule(weekdays, until=until, interval=interval)
    dates = rule_dates(rule, first_date)
    if not dates:
        raise ValidationError({"weekdays": "这段时间里没有所选的星期几，请调整日期或星期。"})
    if len(dates) > MAX_OCCURRENCES:
        raise ValidationError({"until": f"周期预约最多{MAX_OCCURRENCES}次，请缩短结束日期。"})
    plan = SeriesPlan(
        room=room,
        rule=rule,
        first_date=first_date,
        until=until,
        start_time=start_time,
        end_time=end_time,
        purpose=purpose[:200],
        expected_attendance=expected_attendance,
        booker_kind=booker.kind,
        booker_name=booker.name,
        contact_phone=clean_phone(contact_phone),
        resident=booker.resident,
        team=booker.team,
    )
    for day in dates:
        starts_at = timezone.make_aware(datetime.datetime.combine(day, start_time))
        ends_at = timezone.make_aware(datetime.datetime.combine(day, end_time))
        occurrence = Occurrence(day, starts_at, ends_at)
        _check(room, occurrence, now)
        plan.occurrences.append(occurrence)
    return plan


def _any_open(room, starts_at, ends_at):
    """The first slot moved to a day the room is open, so that check_room_open judges the hours, not the weekday
    (a weekday the room is closed is reported per date)."""
    for shift in range(7):
        moved = starts_at + datetime.timedelta(days=shift)
        if timezone.localtime(moved).weekday() in (room.open_days or []):
            return moved, ends_at + datetime.timedelta(days=shift)
    return starts_at, ends_at


@transaction.atomic
def create_series(
    plan: SeriesPlan, *, actor: Actor, skip_clashes: bool, now: datetime.datetime | None = None
) -> BookingSeries:
    """Book the plan in one transaction (the room locked once, every date checked again under the lock). Dates that
    are not free refuse the whole series (SeriesPlan.refusal, nothing written) unless `skip_clashes`: then they are
    skipped and kept in BookingSeries.skipped."""
    room, now = plan.room, now or timezone.now()
    lock_room(room.pk)
    for occurrence in plan.occurrences:
        _check(room, occurrence, now)
    if plan.taken and not skip_clashes:
        raise plan.refusal()
    if not plan.free:
        raise ValidationError("所有日期都不能预约，没有可预约的日期。")
    user = actor.account
    who = plan.who()
    series = BookingSeries(
        rule=plan.rule,
        first_date=plan.first_date,
        until=plan.until,
        start_time=plan.start_time,
        end_time=plan.end_time,
        skipped=[o.day.isoformat() for o in plan.taken],
        created_by=user,
        **who,
    )
    series.save()
    status = initial_status(room, user)
    made = []
    for occurrence in plan.free:
        booking = Booking(
            series=series,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            status=status,
            booked_by=user,
            **who,
        )
        try:
            insert_booking(booking)
        except BookingClash:  # a writer that skipped the room lock (PostgreSQL's constraint refused it)
            if not skip_clashes:
                raise
            series.skipped.append(occurrence.day.isoformat())
            continue
        made.append(booking)
    if len(series.skipped) != len(plan.taken):
        series.save(update_fields=["skipped"])
    audit.record(series, ChangeAction.CREATE, None, audit.snapshot(series), actor, note=f"{len(made)}次")
    for booking in made:
        audit.record(booking, ChangeAction.CREATE, None, audit.snapshot(booking), actor)
    if status == BookingStatus.PENDING and made:
        notify.approval_asked(made[0])
    series.made = made
    return series
