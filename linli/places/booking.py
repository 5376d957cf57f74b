"""The one place a room's time is taken: create_booking, and the clash it refuses.

Two guards, one for each engine: create_booking first touches the room's row (Room.bookings_changed_at), which on
PostgreSQL takes the row lock and on SQLite takes the database's write lock, so concurrent bookings of one room are
checked one after another; on PostgreSQL the exclusion constraint `booking_no_overlap` (migration 0002) is the last
word even for a writer that skipped this function. A clash is refused with the booking it clashes with named.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.places.choices import BookingStatus
from linli.places.models import Booking, Room

#: The PostgreSQL exclusion constraint's name (migration 0002); an IntegrityError naming it is a clash.
NO_OVERLAP = "booking_no_overlap"


class BookingClash(ValidationError):
    """The slot is taken: `conflict` is the holding booking it overlaps (named in the message)."""

    def __init__(self, conflict: Booking | None):
        self.conflict = conflict
        what = str(conflict) if conflict is not None else "另一个预约"
        super().__init__(f"这个时段已被预约：{what}。请换一个时间或功能室。", code="clash")


def lock_room(room_id: int) -> None:
    """Take the room for the rest of the transaction (see the module docstring)."""
    Room.objects.filter(pk=room_id).update(bookings_changed_at=timezone.now())


def first_clash(room_id: int, starts_at: datetime.datetime, ends_at: datetime.datetime, exclude_pk=None):
    qs = Booking.objects.overlapping(room_id, starts_at, ends_at).select_related("room")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("starts_at", "id").first()


def insert_booking(booking: Booking) -> Booking:
    """Insert `booking` (room locked by the caller, inside its transaction) unless it clashes. A savepoint keeps the
    caller's transaction usable when PostgreSQL's constraint refuses the row, so a series can go on."""
    conflict = first_clash(booking.room_id, booking.starts_at, booking.ends_at)
    if conflict is not None:
        raise BookingClash(conflict)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if NO_OVERLAP not in str(error):
            raise
        raise BookingClash(first_clash(booking.room_id, booking.starts_at, booking.ends_at)) from error
    return booking


@transaction.atomic
def create_booking(booking: Booking, *, actor: Actor) -> Booking:
    """Book `booking.room` from starts_at to ends_at, or raise BookingClash naming the booking in the way.

    The caller (linli.places.services) has checked who may book the room and its opening hours; this function owns
    the no-overlap rule and the change record. The status is 待审核 when the room needs approval and the actor may
    not approve, else 已确认 (decided by the caller and passed in `booking.status`)."""
    if booking.starts_at >= booking.ends_at:
        raise ValidationError({"ends_at": "结束时间应晚于开始时间。"})
    lock_room(booking.room_id)
    if booking.status not in (BookingStatus.PENDING, BookingStatus.CONFIRMED):
        booking.status = BookingStatus.CONFIRMED
    booking.booked_by = booking.booked_by or actor.user
    insert_booking(booking)
    audit.record(booking, ChangeAction.CREATE, None, audit.snapshot(booking), actor)
    return booking
