"""What visits show on other apps' pages: a resident's visits and the diary notes that mention them on the
resident's one-view page (registered in linli/visits/shell.py)."""

from __future__ import annotations

from django.utils import timezone

from linli.visits.models import FieldNote, Visit


def resident_visits(user, resident) -> dict:
    """The resident's last 20 visits (in the user's scope) and when the next one is due."""
    ctx = {
        "resident": resident,
        "can_log_visit": user.has_role_perm("visit.add"),
        "visits": Visit.objects.restrict(user)
        .filter(resident=resident)
        .select_related("visitor")
        .order_by("-visited_on", "-id")[:20],
    }
    if resident.visit_due_on:
        ctx["visit_overdue_days"] = (timezone.localdate() - resident.visit_due_on).days
    return ctx


def resident_field_notes(user, resident) -> dict:
    """The last 10 diary notes (in the user's scope) that name the resident."""
    return {
        "resident": resident,
        "field_notes": FieldNote.objects.restrict(user).filter(residents=resident).select_related("author")[:10],
    }
