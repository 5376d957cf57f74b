"""Who sees which rooms and bookings. Rooms and the timetable are not personal data: every staff role of the
community reads them, and residents and volunteers read the rooms of their own community to book. A booking's
contact phone is shown only to those who may manage bookings (linli.places.views)."""

from __future__ import annotations

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet

#: Rooms and bookings carry street_id and community_id; a grid assignment reads its community's rooms.
PLACE_SCOPE = community_scope(grids=True, own_street=True)


class RoomQuerySet(ScopedQuerySet):
    perm_subject = "room"
    scope_paths = PLACE_SCOPE
    scope_joins_many = True

    def active(self):
        return self.filter(is_active=True)


class BookingQuerySet(ScopedQuerySet):
    perm_subject = "booking"
    scope_paths = PLACE_SCOPE
    scope_joins_many = True

    def restrict_self(self, user, action):
        """A resident's or volunteer's own bookings (linli.places.access.owner_q): to read them (我的预约)."""
        if action == "view" and user.has_role_perm("booking.add_self"):
            from linli.places.access import owner_q

            return self.filter(owner_q(user))
        return None

    def holding(self):
        from linli.places.choices import HOLDING

        return self.filter(status__in=HOLDING)

    def overlapping(self, room_id, starts_at, ends_at):
        """Holding bookings of the room that share any instant with [starts_at, ends_at)."""
        return self.holding().filter(room_id=room_id, starts_at__lt=ends_at, ends_at__gt=starts_at)


class BookingSeriesQuerySet(ScopedQuerySet):
    perm_subject = "booking"
    scope_paths = PLACE_SCOPE
    scope_joins_many = True

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("booking.add_self"):
            from linli.places.access import owner_q

            return self.filter(owner_q(user, by="created_by"))
        return None
