"""The booking part's blocks: 我的预约 (home page and a resident's 我的) and the approval queue's count for staff."""

from __future__ import annotations

from django.utils import timezone

from linli.places import access
from linli.places.choices import HOLDING, BookingStatus
from linli.places.models import Booking


def my_block(user) -> dict | None:
    """A resident's or volunteer's next three bookings and the way to book; hidden for an account that belongs to no
    community. Only what the block shows is read (the home page's query budget: linli/site/tests/test_home.py)."""
    if not (user.is_authenticated and user.has_role_perm("booking.add_self")):
        return None
    coming = list(
        Booking.objects.filter(access.owner_q(user), status__in=HOLDING, ends_at__gt=timezone.now())
        .select_related("room")
        .order_by("starts_at", "id")[:3]
    )
    if not coming and not access.own_community_ids(user):
        return None
    return {"coming": coming}


def my_tile(user) -> dict | None:
    """场地预约: the next booking on the button, the page books and lists."""
    block = my_block(user)
    if block is None:
        return None
    from django.urls import reverse

    coming = block["coming"]
    note = (
        f"下次：{coming[0].room.name} {timezone.localtime(coming[0].starts_at):%-m月%-d日 %H:%M}"
        if coming
        else "借用社区活动室"
    )
    return {"url": reverse("places:my_bookings"), "note": note}


def pending_count(user) -> int:
    """待审核的功能室预约: the approval queue's rows (the home block's figure links to it)."""
    return Booking.objects.restrict(user, "manage").filter(status=BookingStatus.PENDING).count()


def my_bookings(user, *, limit: int | None = 5) -> dict:
    """The coming and recent own bookings and the bookable rooms (the page, the home block and 我的)."""
    now = timezone.now()
    own = Booking.objects.filter(access.owner_q(user)).select_related("room")
    coming = own.filter(status__in=HOLDING, ends_at__gt=now).order_by("starts_at", "id")
    past = own.exclude(pk__in=coming.values("pk")).order_by("-starts_at", "-id")
    rooms = access.bookable_rooms(user).order_by("community_id", "sort", "name")
    return {
        "coming": list(coming[:limit] if limit else coming),
        "coming_count": coming.count(),
        "past": list(past[: limit or 30]),
        "rooms": list(rooms[:30]),
    }
