"""The home block of the school's staff and the secretary: today's children still here and not yet collected,
each figure opening the session page that counts it (data-here-total, data-uncollected-total)."""

from __future__ import annotations

from django.utils import timezone

from linli.afterschool import services
from linli.afterschool.models import Attendance, School, Session


def today_block(user) -> dict | None:
    """The schools the user keeps (at most five) with today's figures where a session is on. It is also the way in for
    a school's staff whose role has no 四点半学校 menu entry (the menu asks only the role: no query per page)."""
    today = timezone.localdate()
    schools = list(School.objects.restrict(user).filter(is_active=True).order_by("name", "id")[:5])
    if not schools:
        return None
    sessions = {
        s.school_id: s
        for s in Session.objects.filter(school__in=schools, date=today).order_by("school_id", "starts_at", "id")
    }
    rows = []
    for school in schools:
        session = sessions.get(school.pk)
        row = {"pk": school.pk, "name": school.name, "session_pk": session.pk if session else None}
        if session is not None:
            row["here"] = Attendance.objects.filter(session=session, signed_out_at__isnull=True).count()
            row["uncollected"] = len(services.uncollected(session))
        rows.append(row)
    return {"afterschool_today": {"schools": rows}}


def visible(user) -> bool:
    return services.may_use(user)
