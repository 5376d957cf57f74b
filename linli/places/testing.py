"""功能室 fixtures on top of the `world` personas (linli.testing).

东一社区: 书法室 (open to everyone, no approval) with a confirmed booking by the 书法队 on 2026-12-08 14:00–16:00 and
a pending booking of 多功能厅 (needs approval) by 陈奶奶 on 2026-12-09 09:00–11:00 (the `resident` persona's
household). 西一社区: 西一棋牌室 with 西一棋牌队's booking. Names carry 西一 so that the scope matrix notices a leak.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.places.booking import create_booking
from linli.places.choices import BookerKind, BookingStatus, RoomKind
from linli.places.models import Booking, Room
from linli.testing import SYSTEM


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_room(community, name, **fields) -> Room:
    fields.setdefault("capacity", 20)
    return Room.objects.create(community=community, name=name, **fields)


def make_booking(room, start, end, *, name="书法队", kind=BookerKind.TEAM, **fields) -> Booking:
    fields.setdefault("purpose", "活动")
    booking = Booking(room=room, starts_at=start, ends_at=end, booker_kind=kind, booker_name=name, **fields)
    return create_booking(booking, actor=SYSTEM)


def matrix_objects(world) -> dict:
    e1, w1 = world.communities["e1"], world.communities["w1"]
    day = datetime.date(2026, 12, 8)
    rooms = {
        "e1": make_room(e1, "书法室", kind=RoomKind.ACTIVITY, equipment="书画桌 12 张"),
        "e1_hall": make_room(e1, "多功能厅", kind=RoomKind.HALL, capacity=80, needs_approval=True),
        "w1": make_room(w1, "西一棋牌室", kind=RoomKind.SPORTS),
    }
    chen = world.residents["chen"]
    bookings = {
        "e1": make_booking(rooms["e1"], at(day, 14), at(day, 16), purpose="书法练习"),
        "e1_pending": make_booking(
            rooms["e1_hall"],
            at(day + datetime.timedelta(days=1), 9),
            at(day + datetime.timedelta(days=1), 11),
            name=chen.name,
            kind=BookerKind.RESIDENT,
            resident=chen,
            booked_by=world.users["resident"],
            status=BookingStatus.PENDING,
            purpose="孙子生日会",
        ),
        "w1": make_booking(rooms["w1"], at(day, 9), at(day, 11), name="西一棋牌队", purpose="西一象棋比赛"),
    }
    return {"rooms": rooms, "bookings": bookings}
