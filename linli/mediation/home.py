"""What the home page and a resident's page show of mediation (blocks and panels: shell.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from linli.mediation.choices import OPEN_STATUSES
from linli.mediation.models import Case, FollowUp, Reception


def staff_today(user) -> dict | None:
    """For the 顺顺吧 staff and mediators: today's receptions, cases open, cases with a follow-up due (each figure
    opens the list that counts it), and the due follow-ups of the cases they read in full."""
    today = timezone.localdate()
    receiving = user.is_superuser or user.has_role_perm("mediation.receive")
    known = Case.objects.restrict(user, "limited")
    due_cases = FollowUp.objects.due(today).values("agreement__case_id")
    figures = {
        "receiving": receiving,
        "receptions": Reception.objects.restrict(user).filter(received_on=today).count() if receiving else 0,
        "open_cases": known.filter(status__in=OPEN_STATUSES).count(),
        "due_cases": known.filter(pk__in=due_cases).count(),
        "due": list(
            FollowUp.objects.restrict(user).due(today).select_related("agreement__case").order_by("due_on")[:5]
        ),
        "today": today.isoformat(),
    }
    if not (receiving or figures["open_cases"] or figures["due_cases"]):
        return None
    return {"mediation_today": figures}


def resident_cases(user, resident) -> dict | None:
    """The resident's cases the user may read in full; the ones they referred or received only by number and
    status; for those who may open or refer a case, the intake link with the resident filled in."""
    full = Case.objects.restrict(user).filter(parties__resident=resident).distinct()
    limited = (
        Case.objects.restrict(user, "limited").filter(parties__resident=resident).exclude(pk__in=full.values("pk"))
    )
    cases = [(c, True) for c in full.order_by("-received_on")[:20]] + [
        (c, False) for c in limited.order_by("-received_on")[:20]
    ]
    may_open = user.is_superuser or any(user.has_role_perm(p) for p in ("mediation.receive", "mediation.refer"))
    if not cases and not may_open:
        return None
    intake = f"{reverse('mediation:case_add')}?resident={resident.pk}" if may_open else ""
    return {"mediation_cases": cases, "mediation_intake": intake}
