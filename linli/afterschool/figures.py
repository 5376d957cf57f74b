"""Counts of the 四点半学校, never a name: for the street office and community staff (afterschool.figures) and for
everyone who reads the roster."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from linli.afterschool.choices import EnrolmentStatus
from linli.afterschool.models import Attendance, Enrolment, ReleaseOverride, School, Session


def figures_for(user, today: datetime.date | None = None) -> list[dict]:
    """One row per school the user may count: children enrolled and waiting in current terms, this month's
    sessions and sign-ins, late pick-ups (collected after the pick-up time) and overrides."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    schools = list(School.objects.restrict(user, "count").select_related("community").order_by("community_id", "name"))
    ids = [s.pk for s in schools]
    current = Enrolment.objects.filter(school_id__in=ids, term__starts_on__lte=today, term__ends_on__gte=today)
    counts = {
        row["school_id"]: row
        for row in current.values("school_id").annotate(
            enrolled=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED)),
            waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITING)),
            left_behind=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED, priority="left_behind")),
        )
    }
    sessions = dict(
        Session.objects.filter(school_id__in=ids, date__range=(first, today))
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    month = Attendance.objects.filter(session__school_id__in=ids, session__date__range=(first, today))
    sign_ins = dict(month.values("session__school_id").annotate(n=Count("pk")).values_list("session__school_id", "n"))
    overrides = dict(
        ReleaseOverride.objects.filter(attendance__in=month)
        .values("attendance__session__school_id")
        .annotate(n=Count("pk"))
        .values_list("attendance__session__school_id", "n")
    )
    rows = []
    for school in schools:
        late = sum(
            1
            for signed_out, date in month.filter(session__school=school, signed_out_at__isnull=False).values_list(
                "signed_out_at", "session__date"
            )
            if timezone.localtime(signed_out).time() > school.closes_at
        )
        c = counts.get(school.pk, {})
        n_sessions, n_in = sessions.get(school.pk, 0), sign_ins.get(school.pk, 0)
        rows.append(
            {
                "school": school.name,
                "community": school.community.name,
                "enrolled": c.get("enrolled", 0),
                "waiting": c.get("waiting", 0),
                "left_behind": c.get("left_behind", 0),
                "sessions": n_sessions,
                "sign_ins": n_in,
                "average": round(n_in / n_sessions, 1) if n_sessions else None,
                "late": late,
                "overrides": overrides.get(school.pk, 0),
            }
        )
    return rows
