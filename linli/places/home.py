"""The 功能室 block of the home page (shell.home_block): for the staff roles that read the rooms, today's bookings
in their rooms (a figure opening places:day, which counts the same rows) and the bookings waiting for approval
(a plain line: the approval queue is the booking part's page)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from linli.places.choices import BookingStatus
from linli.places.models import Booking, Room
from linli.places.timetable import bookings_on


def visible(user) -> bool:
    return user.is_superuser or user.has_role_perm("room.view")


def places_home(user) -> dict | None:
    """Context of places/_home_block.html, or None when the user reads no room."""
    rooms = Room.objects.restrict(user)
    if not rooms.active().exists():
        return None
    today = timezone.localdate()
    pending = None
    if user.is_superuser or user.has_role_perm("booking.manage"):
        pending = (
            Booking.objects.restrict(user, "manage")
            .filter(status=BookingStatus.PENDING, ends_at__gt=timezone.now())
            .count()
        )
    try:
        approvals = reverse("places:approval_list")
    except NoReverseMatch:  # the booking part's page, once merged
        approvals = ""
    return {
        "places_block": {
            "today": bookings_on(user, rooms, today),
            "day_url": f"{reverse('places:day')}?date={today.isoformat()}",
            "pending": pending,
            "approvals_url": approvals,
        }
    }
