"""Who is due a visit: the grid worker's worklist (today's visits, in walking order), and the care-group residents
overdue for a visit — one definition for the 走访统计 page's 逾期 figures, its drill-down list (逾期未走访名单)
and the home page's figure.

Overdue: an active resident in the user's scope whose next visit was due before today (the due date is
set only for residents in a care group with a visit interval). The coverage page splits the same rows into
lateness buckets (1-7, 8-30, more than 30 days), whose sum is the count of this queryset.
"""

from __future__ import annotations

import datetime

from django.db.models import DateTimeField, OuterRef, Subquery, Value
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


class Worklist:
    """Residents in scope due today or earlier, in walking order: building, entrance, floor, room.

    Residents with an open urgent alert (身心状况 紧急 on a visit) come first, due or not, until the alert
    is resolved, the earliest alert first; `urgent_since` carries the alert's time for them.

    A sliceable sequence for the paginator, in two parts: the urgent residents (a few; their ids and order come
    from one small query) and then the other due residents straight off the (scope, sort_key, id) index. One
    ORDER BY over a per-row alert subquery had to run that subquery for every due resident of a street (issue 20).
    """

    def __init__(self, user, today: datetime.date):
        self.base = (
            Resident.objects.restrict(user)
            .active()
            .select_related("household", "building", "grid")
            .prefetch_related("tags")
        )
        urgent = VisitAlert.objects.filter(reason=AlertReason.URGENT, resolved=False)
        first_alert = urgent.filter(resident_id=OuterRef("pk")).order_by("created_at")
        self.urgent = self.base.filter(pk__in=urgent.values("resident_id")).annotate(
            urgent_since=Subquery(first_alert.values("created_at")[:1])
        )
        self.urgent_ids = list(self.urgent.order_by("urgent_since", "sort_key", "id").values_list("pk", flat=True))
        due = self.base.filter(visit_due_on__lte=today).exclude(pk__in=self.urgent_ids)
        self.due = due.annotate(urgent_since=Value(None, output_field=DateTimeField())).order_by("sort_key", "id")

    def count(self) -> int:
        return len(self.urgent_ids) + self.due.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Worklist takes a slice [start:stop]")
        start, stop = index.start or 0, index.stop
        n = len(self.urgent_ids)
        ids = self.urgent_ids[start:stop]
        by_id = {r.pk: r for r in last_visit(self.urgent.filter(pk__in=ids))}
        rows = [by_id[pk] for pk in ids]
        if stop is None or stop > n:
            rows += last_visit(self.due[max(start - n, 0) : None if stop is None else stop - n])
        return rows

    def __iter__(self):
        return iter(self[0:None])


def last_visit(residents):
    """`last_outcome` and `last_visit_on` of each resident's latest visit (evaluated for the sliced rows only)."""
    last = Visit.objects.filter(resident_id=OuterRef("pk")).order_by("-visited_on", "-id")
    return list(
        residents.annotate(
            last_outcome=Subquery(last.values("outcome")[:1]),
            last_visit_on=Subquery(last.values("visited_on")[:1]),
        )
    )
