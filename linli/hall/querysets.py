"""Who sees what of the hall. All rows belong to one community (street_id denormalised).

- The catalogue and the counters are not personal data: every hall role of the community reads them (grid workers
  too, to tell residents what to bring); the public page shows a community's published matters without login.
- Appointments and 代办 carry a resident's name and phone: the street office and the community see all of theirs,
  a grid worker those of the residents of their grid; a resident (hall.book_self) their own appointments.
- Walk-in tickets carry no name; they are the counters' business (street and community assignments).

Actions: view (hall.view), serve (hall.serve: counters and appointments), errand (hall.errand: record 代办),
manage (hall.manage: catalogue and counters), export (hall.export).
"""

from __future__ import annotations

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet

#: Catalogue and counters: the community's staff, and grid workers inside it.
HALL_SCOPE = community_scope(grids=True, own_street=True)
#: Rows about one resident: the street, the community, and the grid (or building) the resident lives in.
PERSON_SCOPE = {
    "street": "street_id",
    "community": "community_id",
    "grid": "resident__grid_id",
    "building": "resident__building_id",
}


class ServiceMatterQuerySet(ScopedQuerySet):
    perm_subject = "hall"
    scope_paths = HALL_SCOPE
    scope_joins_many = True

    def published(self):
        return self.filter(published=True)


class CounterQuerySet(ScopedQuerySet):
    perm_subject = "hall"
    scope_paths = HALL_SCOPE
    scope_joins_many = True

    def active(self):
        return self.filter(is_active=True)


class AppointmentQuerySet(ScopedQuerySet):
    perm_subject = "hall"
    scope_paths = PERSON_SCOPE

    def restrict(self, user, action: str = "view"):
        """ "book_self" is always the user's own appointments, never an area's."""
        if action == "book_self":
            if user is None or not user.is_authenticated or not user.is_active:
                return self.none()
            own = self.restrict_self(user, action)
            return own if own is not None else self.none()
        return super().restrict(user, action)

    def restrict_self(self, user, action):
        """A resident's own appointments (hall.book_self)."""
        if action in ("view", "book_self") and user.has_role_perm("hall.book_self") and user.resident_id:
            return self.filter(resident_id=user.resident_id)
        return None


class TicketQuerySet(ScopedQuerySet):
    perm_subject = "hall"
    scope_paths = community_scope(own_street=True)


class ErrandQuerySet(ScopedQuerySet):
    perm_subject = "hall"
    scope_paths = {**PERSON_SCOPE, "grid": "grid_id"}

    def open(self):
        from linli.hall.choices import OPEN_ERRAND

        return self.filter(status__in=OPEN_ERRAND)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)
