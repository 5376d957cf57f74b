"""Shared by the room, timetable and usage tests: rooms and bookings of 东一 on top of the `world` personas."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.places.testing import at, make_booking, make_room  # noqa: F401  (re-exported for the tests)

#: A Monday far from any real week, so no test depends on today's date.
MONDAY = datetime.date(2026, 3, 2)


def day(offset: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=offset)


def local(dt: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(dt)
