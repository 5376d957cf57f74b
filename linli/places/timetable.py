"""The timetable's queries and layout: a room's week, all rooms' day, the dates they are asked for.

Bounded: a week is one query for the bookings (the room comes from the view), a day one for the rooms and one
for their bookings, whatever the number of rooms. Only holding bookings (待审核/已确认) are on a timetable.

Names: a timetable hangs on a door and is read by every staff role of the community, so a resident's own booking
shows the booker's name masked (陈**) unless the reader keeps the bookings (booking.manage); organisations, teams
and the staff are shown as booked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from linli.places.choices import BookerKind, BookingStatus
from linli.places.models import Booking, Room
from linli.residents.models import mask_name

WEEKDAY_SHORT = "一二三四五六日"
BAD_DATE = "日期格式应为 YYYY-MM-DD，如 2026-03-02；已显示{fallback}。"
#: A timetable of a date further than this from today is a typing mistake, not a plan.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_day(raw, today: datetime.date, fallback: str = "今天") -> tuple[datetime.date, str]:
    """?date= / ?week= as a date, or (today, a message saying so) for anything else (junk, 2026-02-30, 99999-1-1)."""
    if raw in (None, ""):
        return today, ""
    text = str(raw).strip()
    try:
        day = datetime.date.fromisoformat(text) if text.isascii() and len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        return today, BAD_DATE.format(fallback=fallback)
    return day, ""


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def local_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def may_see_names(user) -> bool:
    return user.is_superuser or user.has_role_perm("booking.manage")


def booker_label(booking: Booking, *, names: bool) -> str:
    if booking.booker_kind == BookerKind.RESIDENT and not names:
        return mask_name(booking.booker_name)
    return booking.booker_name


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


@dataclass
class Slot:
    """A booking as a timetable shows it: local times, the booker's label, where it sits on the day's track."""

    booking: Booking
    starts: datetime.datetime
    ends: datetime.datetime
    booker: str
    pending: bool
    top: float = 0.0  # percent of the track (a week's column or a day's row)
    size: float = 0.0

    @property
    def times(self) -> str:
        end = f"{self.ends:%H:%M}" if self.ends.date() == self.starts.date() else f"{self.ends:%m-%d %H:%M}"
        return f"{self.starts:%H:%M}–{end}"


def _slot(booking: Booking, names: bool, day: datetime.date, track: tuple[int, int]) -> Slot:
    starts, ends = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    first, last = track
    span = max(last - first, 1)
    # A booking over midnight (rare) is drawn from the track's start or to its end on the days it covers.
    begin = _minutes(starts.time()) if starts.date() == day else first
    finish = _minutes(ends.time()) if ends.date() == day else last
    top = min(max(begin - first, 0), span)
    bottom = min(max(finish - first, top), span)
    return Slot(
        booking=booking,
        starts=starts,
        ends=ends,
        booker=booker_label(booking, names=names),
        pending=booking.status == BookingStatus.PENDING,
        top=round(100 * top / span, 2),
        size=round(100 * max(bottom - top, span / 48) / span, 2),
    )


def readable_bookings(user, room_ids):
    """The bookings of `room_ids` — rooms the caller took from Room.objects.restrict(user) — when the role reads
    bookings. A booking carries its room's community and street (Booking.save), so the rooms' scope is the
    bookings' scope; filtering by room instead of Booking.objects.restrict(user) spares the pk subquery over every
    booking of a street that restrict() builds for the to-many grid paths (788 ms of 1.2 million rows in
    bench/places.py, against a few ms by the room index)."""
    if not (user.is_superuser or user.has_role_perm("booking.view")):
        return Booking.objects.none()
    return Booking.objects.filter(room_id__in=list(room_ids))


def _bookings(user, room_ids, start: datetime.datetime, end: datetime.datetime):
    return (
        readable_bookings(user, room_ids)
        .holding()
        .filter(starts_at__lt=end, ends_at__gt=start)
        .only(
            "room_id", "starts_at", "ends_at", "status", "purpose", "booker_kind", "booker_name", "expected_attendance"
        )
        .order_by("starts_at", "id")
    )


@dataclass
class Day:
    date: datetime.date
    is_open: bool
    slots: list[Slot] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"周{WEEKDAY_SHORT[self.date.weekday()]} {self.date.month}月{self.date.day}日"


@dataclass
class Week:
    room: Room
    monday: datetime.date
    days: list[Day]
    hours: list[str]  # the track's hour marks (a wide screen's left column)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def total(self) -> int:
        return len({s.booking.pk for d in self.days for s in d.slots})


def room_week(user, room: Room, monday: datetime.date) -> Week:
    """The room's holding bookings from Monday to Sunday, by day, placed on the opening hours' track."""
    track = (_minutes(room.opens_at), _minutes(room.closes_at))
    days = [Day(monday + datetime.timedelta(days=i), i in (room.open_days or ())) for i in range(7)]
    names = may_see_names(user)
    end = local_start(monday + datetime.timedelta(days=7))
    for booking in _bookings(user, [room.pk], local_start(monday), end):
        for day in days:
            if booking.starts_at < local_start(day.date + datetime.timedelta(days=1)) and booking.ends_at > local_start(
                day.date
            ):
                day.slots.append(_slot(booking, names, day.date, track))
    hours = [f"{h:02d}:00" for h in range(room.opens_at.hour + (room.opens_at.minute > 0), room.closes_at.hour + 1)]
    return Week(room=room, monday=monday, days=days, hours=hours)


@dataclass
class RoomDay:
    room: Room
    is_open: bool
    slots: list[Slot] = field(default_factory=list)


@dataclass
class AllRooms:
    date: datetime.date
    rows: list[RoomDay]
    track: tuple[int, int]

    @property
    def total(self) -> int:
        return sum(len(r.slots) for r in self.rows)

    @property
    def hours(self) -> list[tuple[str, float]]:
        """Hour marks of the wide screen's ruler: (label, percent from the left)."""
        first, last = self.track
        span = max(last - first, 1)
        start = first // 60 + (first % 60 > 0)
        return [(f"{h}", round(100 * (h * 60 - first) / span, 2)) for h in range(start, last // 60 + 1, 2)]


def day_room_order(rooms):
    """The active rooms of `rooms` in the day view's order (community, then the community's own order)."""
    return rooms.active().select_related("community").order_by("community__name", "community_id", "sort", "name", "id")


def day_rooms(user, rooms, day: datetime.date) -> AllRooms:
    """The rooms `rooms` (already restricted and ordered: day_room_order, or a page of them) on `day`, with their
    holding bookings: two queries."""
    rooms = list(rooms)
    if rooms:
        track = (min(_minutes(r.opens_at) for r in rooms), max(_minutes(r.closes_at) for r in rooms))
    else:
        track = (8 * 60, 21 * 60)
    rows = {r.pk: RoomDay(r, day.weekday() in (r.open_days or ())) for r in rooms}
    names = may_see_names(user)
    start = local_start(day)
    for booking in _bookings(user, list(rows), start, start + datetime.timedelta(days=1)):
        rows[booking.room_id].slots.append(_slot(booking, names, day, track))
    return AllRooms(date=day, rows=list(rows.values()), track=track)


def bookings_on(user, rooms, day: datetime.date) -> int:
    """How many holding bookings the active `rooms` have on `day` (the home page's 今日预约, as places:day counts)."""
    start = local_start(day)
    return (
        readable_bookings(user, rooms.active().values_list("pk", flat=True))
        .holding()
        .filter(starts_at__lt=start + datetime.timedelta(days=1), ends_at__gt=start)
        .count()
    )


def next_today(user, room_ids, now: datetime.datetime) -> dict[int, Booking]:
    """{room id: its next (or current) holding booking today}: one query for a page of room cards."""
    end = local_start(timezone.localdate(now) + datetime.timedelta(days=1))
    found: dict[int, Booking] = {}
    for booking in _bookings(user, room_ids, now, end):
        found.setdefault(booking.room_id, booking)
    return found


def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url` (segno, as the tracking and party posters make theirs)."""
    import segno
    from django.utils.safestring import mark_safe

    svg = segno.make(url, error="m").svg_inline(
        border=2, omitsize=True, svgclass="tt-qr-code", title="扫码查看功能室", dark="#000", light="#fff"
    )
    return mark_safe(svg)  # segno's own markup; the URL is ours
