"""What appeals show on other apps' pages (registered in linli/appeals/shell.py): a resident's appeals on their
one-view page, a building's open appeals on the building page."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from linli.appeals.models import Appeal


def resident_appeals(user, resident) -> dict:
    """The last 20 appeals (in the user's scope) the resident reported."""
    return {
        "resident": resident,
        "appeals": Appeal.objects.restrict(user)
        .filter(reporter=resident)
        .select_related("category", "assigned_org")[:20],
    }


def building_appeals(user, building) -> dict:
    """The open appeals located in a building (in the user's scope), the most pressing first, with counts.

    One query: a building has few open appeals; past CAP rows the total is counted separately.
    """
    cap, shown = 200, 20
    now = timezone.now()
    open_appeals = Appeal.objects.restrict(user).open().filter(building=building)
    rows = list(
        open_appeals.select_related("category", "household__building", "building").order_by(
            F("current_due").asc(nulls_last=True), "-received_at"
        )[:cap]
    )
    for a in rows:
        a.late = bool(a.current_due and a.current_due < now)
    total = len(rows) if len(rows) < cap else open_appeals.count()
    counts = {"total": total, "overdue": sum(a.late for a in rows)}
    return {"building": building, "open_appeals": rows[:shown], "appeal_counts": counts}
