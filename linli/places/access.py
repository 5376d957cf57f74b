"""Who may book which room, and act on which booking (the services ask; the pages and the API ask the same).

Staff roles book over their area (booking.add; a grid worker over their grid's community) and managers approve,
cancel and close (booking.manage over the room's community). Residents and volunteers (booking.add_self) book the
rooms of their own community only: a resident's registered community, a volunteer's communities (their active
Volunteer records). A booking's owners (who booked it, the resident it is for, the volunteer team's leaders) see
and cancel it.
"""

from __future__ import annotations

from django.db.models import Q

from linli.areas.scope import COMMUNITY_PATHS
from linli.core.querysets import restrict_to


def own_community_ids(user) -> set[int]:
    """The communities a resident or volunteer account belongs to (empty for staff accounts and strangers)."""
    if user is None or not getattr(user, "pk", None):
        return set()
    from linli.volunteers.models import Volunteer

    ids = set(Volunteer.objects.filter(user=user, is_active=True).values_list("community_id", flat=True))
    resident = getattr(user, "resident", None) if user.resident_id else None
    if resident is not None:
        ids.add(resident.community_id)
    return ids


def led_team_ids(user) -> set[int]:
    """The volunteer teams this account leads (队长): their bookings are the leader's too."""
    if user is None or not getattr(user, "pk", None):
        return set()
    from linli.volunteers.models import TeamMembership

    rows = TeamMembership.objects.filter(volunteer__user=user, volunteer__is_active=True, is_leader=True)
    return set(rows.values_list("team_id", flat=True))


def member_team_ids(user) -> set[int]:
    """The volunteer teams this account belongs to (a volunteer books a room for one of them)."""
    if user is None or not getattr(user, "pk", None):
        return set()
    from linli.volunteers.models import TeamMembership

    rows = TeamMembership.objects.filter(volunteer__user=user, volunteer__is_active=True)
    return set(rows.values_list("team_id", flat=True))


def owner_q(user, by: str = "booked_by") -> Q:
    """Bookings (series: by="created_by") that are the user's own: booked by them, for their resident record, or
    for a team they lead."""
    q = Q(**{by: user})
    if user.resident_id:
        q |= Q(resident_id=user.resident_id)
    teams = led_team_ids(user)
    if teams:
        q |= Q(team_id__in=teams)
    return q


def in_area(user, perm: str, community_id: int) -> bool:
    """Whether the user's role holds `perm` over the community (the rooms' scope, grids included)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_role_perm(perm):
        return False
    from linli.areas.models import Community

    return restrict_to(Community.objects.filter(pk=community_id), user, COMMUNITY_PATHS, distinct=True).exists()


def may_manage(user, community_id: int) -> bool:
    return in_area(user, "booking.manage", community_id)


def may_book_for_others(user, community_id: int) -> bool:
    return in_area(user, "booking.add", community_id)


def may_book_self(user, community_id: int) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_role_perm("booking.add_self")
        and community_id in own_community_ids(user)
    )


def is_owner(user, booking) -> bool:
    if user is None or not getattr(user, "pk", None):
        return False
    if booking.booked_by_id == user.pk or (user.resident_id and booking.resident_id == user.resident_id):
        return True
    return bool(booking.team_id and booking.team_id in led_team_ids(user))


def may_cancel(user, booking) -> bool:
    return is_owner(user, booking) or may_manage(user, booking.community_id)


def bookable_rooms(user):
    """Rooms the user may open the booking form of: in their area (booking.add), their own community's
    (booking.add_self). Active rooms only."""
    from linli.places.models import Room

    rooms = Room.objects.none()
    if user.is_superuser or user.has_role_perm("booking.add"):
        rooms = Room.objects.restrict(user, "view")
    if user.has_role_perm("booking.add_self"):
        own = Room.objects.filter(community_id__in=own_community_ids(user))
        rooms = Room.objects.filter(pk__in=rooms.values("pk")) | own
    return rooms.filter(is_active=True)


def masked_name(name: str) -> str:
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def shown_booker(booking, user, managed: dict | None = None) -> str:
    """The booker's name as `user` may read it: a resident's name only for those who manage the room's bookings and
    for the booking's owners (a grid worker reads a whole community's bookings, not every resident of it)."""
    if booking.booker_kind != "resident" or is_owner(user, booking):
        return booking.booker_name
    managed = {} if managed is None else managed
    if booking.community_id not in managed:
        managed[booking.community_id] = may_manage(user, booking.community_id)
    return booking.booker_name if managed[booking.community_id] else masked_name(booking.booker_name)


def mark_bookers(bookings, user) -> list:
    """Set `shown_booker` on each booking (see shown_booker); one permission check per community."""
    managed: dict = {}
    bookings = list(bookings)
    for booking in bookings:
        booking.shown_booker = shown_booker(booking, user, managed)
    return bookings
