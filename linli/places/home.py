"""The 功能室 block of the home page (shell.home_block): for the staff roles that read the rooms, today's bookings
in their rooms (a figure opening places:day, which counts the same rows) and, for booking.manage, the bookings
waiting for approval (a figure opening the approval queue, which counts the same rows: home_booking.pending_count)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from linli.places.home_booking import pending_count
from linli.places.models import Room
from linli.places.timetable import bookings_on


def visible(user) -> bool:
    return user.is_superuser or user.has_role_perm("room.view")


def places_home(user) -> dict | None:
    """Context of places/_home_block.html, or None when the user reads no room."""
    rooms = Room.objects.restrict(user)
    if not rooms.active().exists():
        return None
    today = timezone.localdate()
    pending = pending_count(user) if user.is_superuser or user.has_role_perm("booking.manage") else None
    return {
        "places_block": {
            "today": bookings_on(user, rooms, today),
            "day_url": f"{reverse('places:day')}?date={today.isoformat()}",
            "pending": pending,
        }
    }
