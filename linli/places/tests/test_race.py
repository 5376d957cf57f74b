"""The no-overlap rule under concurrency, on PostgreSQL: many people booking one room at once, and the exclusion
constraint itself against a writer that skips linli.places.booking."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from linli.core.testing_db import race
from linli.places import services
from linli.places.choices import BookerKind, BookingStatus
from linli.places.models import Booking
from linli.places.tests.booking_helpers import room
from linli.testing import SYSTEM

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and the exclusion constraint are tested on PostgreSQL")


def _day():
    return timezone.localdate() + datetime.timedelta(days=7)


def at(hour: int, minute: int = 0):
    return timezone.make_aware(datetime.datetime.combine(_day(), datetime.time(hour, minute)))


def test_fifty_people_booking_overlapping_slots_of_one_room_end_with_no_overlap(world):
    r = room(world, open_days=list(range(7)))

    def book(i):
        # slots of 60 minutes starting every 10 minutes from 09:00: each overlaps its neighbours
        start = at(9) + datetime.timedelta(minutes=10 * i)
        services.book(
            r,
            actor=SYSTEM,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            purpose=f"活动{i}",
            expected_attendance=5,
            booker_kind=BookerKind.ORGANISATION,
            booker_name=f"队伍{i}",
        )
        return i

    results, refusals, failures = race(50, book)
    assert failures == []
    assert len(results) + len(refusals) == 50
    assert results and all("这个时段已被预约" in r for r in refusals)
    held = list(Booking.objects.filter(room=r, status__in=["pending", "confirmed"]).order_by("starts_at"))
    assert len(held) == len(results)
    for a, b in zip(held, held[1:]):
        assert a.ends_at <= b.starts_at, (a, b)


def test_the_exclusion_constraint_refuses_a_raw_overlapping_insert(world):
    r = room(world)
    fields = dict(room=r, purpose="x", booker_kind=BookerKind.STAFF, booker_name="社区", status=BookingStatus.CONFIRMED)
    Booking.objects.create(starts_at=at(14), ends_at=at(16), **fields)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(starts_at=at(15), ends_at=at(17), **fields)
    Booking.objects.create(starts_at=at(16), ends_at=at(17), **fields)  # back to back is fine
    Booking.objects.create(starts_at=at(15), ends_at=at(17), **{**fields, "status": BookingStatus.CANCELLED})
    assert Booking.objects.filter(room=r).count() == 3
