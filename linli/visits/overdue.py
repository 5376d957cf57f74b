"""Care-group residents overdue for a visit: one definition for the 走访统计 page's 逾期 figures, its
drill-down list (逾期未走访名单) and the home page's figure.

Overdue: an active resident in the user's scope whose next visit was due before today (the due date is
set only for residents in a care group with a visit interval). The coverage page splits the same rows into
lateness buckets (1-7, 8-30, more than 30 days), whose sum is the count of this queryset.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.residents.models import Resident


def overdue_residents(user, today: datetime.date | None = None):
    """The residents the user must visit and has not in time, from Resident.objects.restrict(user)."""
    today = today or timezone.localdate()
    return Resident.objects.restrict(user).active().filter(visit_due_on__lt=today)


def home_context(user) -> dict:
    """The home page's 逾期未走访 figure, for the roles that read the coverage page (its list is theirs: shell.py)."""
    return {"visits_overdue": overdue_residents(user).count()}
