"""Who is due a visit: the grid worker's worklist (today's visits, in walking order), and the care-group residents
overdue for a visit — one definition for the 走访统计 page's 逾期 figures, its drill-down list (逾期未走访名单)
and the home page's figure.

Overdue: an active resident in the user's scope whose next visit was due before today (the due date is
set only for residents in a care group with a visit interval). The coverage page splits the same rows into
lateness buckets (1-7, 8-30, more than 30 days), whose sum is the count of this queryset.
"""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from linli.residents.models import Resident
from linli.visits.choices import AlertReason
from linli.visits.models import Visit, VisitAlert


def overdue_residents(user, today: datetime.date | None = None):
    """The residents the user must visit and has not in time, from Resident.objects.restrict(user)."""
    today = today or timezone.localdate()
    return Resident.objects.restrict(user).active().filter(visit_due_on__lt=today)


def home_context(user) -> dict:
    """The home page's 逾期未走访 figure, for the roles that read the coverage page (its list is theirs: shell.py)."""
    return {"visits_overdue": overdue_residents(user).count()}


def worklist_queryset(user, today):
    """Residents in scope due today or earlier, in walking order: building, entrance, floor, room.

    Residents with an open urgent alert (身心状况 紧急 on a visit) come first, due or not, until the alert
    is resolved; `urgent_since` carries the alert's time for them.
    """
    last = Visit.objects.filter(resident_id=OuterRef("pk")).order_by("-visited_on", "-id")
    urgent = VisitAlert.objects.filter(reason=AlertReason.URGENT, resolved=False)
    urgent_of = urgent.filter(resident_id=OuterRef("pk")).order_by("created_at")
    return (
        Resident.objects.restrict(user)
        .active()
        .filter(Q(visit_due_on__lte=today) | Q(pk__in=urgent.values("resident_id")))
        .select_related("household", "building", "grid")
        .prefetch_related("tags")
        .annotate(
            last_outcome=Subquery(last.values("outcome")[:1]),
            last_visit_on=Subquery(last.values("visited_on")[:1]),
            urgent_since=Subquery(urgent_of.values("created_at")[:1]),
        )
        # Walking order from the row's own key (Resident.sort_key: building, entrance, floor, room), not three joins.
        .order_by(F("urgent_since").asc(nulls_last=True), "sort_key", "id")
    )
