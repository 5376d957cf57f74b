"""The no-overlap rule of linli.places.booking on both engines (the PostgreSQL race test is in test_race.py)."""

import datetime

import pytest
from django.utils import timezone

from linli.places.booking import BookingClash, create_booking
from linli.places.choices import BookerKind
from linli.places.models import Booking, Room
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 12, day, hour, minute))


def book(room, start, end, name="书法班") -> Booking:
    booking = Booking(
        room=room, starts_at=start, ends_at=end, purpose="练字", booker_kind=BookerKind.TEAM, booker_name=name
    )
    return create_booking(booking, actor=SYSTEM)


def test_it_refuses_an_overlapping_booking_and_names_the_one_in_the_way(world):
    room = Room.objects.create(community=world.communities["e1"], name="书法室", capacity=20)
    first = book(room, at(8, 14), at(8, 16))
    with pytest.raises(BookingClash) as clash:
        book(room, at(8, 15), at(8, 17), name="棋牌队")
    assert clash.value.conflict == first
    assert "书法班" in clash.value.messages[0]
    assert Booking.objects.count() == 1


def test_back_to_back_bookings_and_other_rooms_do_not_clash(world):
    e1 = world.communities["e1"]
    room = Room.objects.create(community=e1, name="书法室", capacity=20)
    other = Room.objects.create(community=e1, name="棋牌室", capacity=20)
    book(room, at(8, 14), at(8, 16))
    book(room, at(8, 16), at(8, 18))
    book(other, at(8, 14), at(8, 16))
    assert Booking.objects.count() == 3
