"""The home block of the school's staff and the secretary: today's children still here and not yet collected,
each figure opening the session page that counts it (data-here-total, data-uncollected-total)."""

from __future__ import annotations

from django.utils import timezone

from linli.afterschool import services
from linli.afterschool.models import Attendance, School, Session


def today_block(user) -> dict | None:
    today = timezone.localdate()
    sessions = Session.objects.filter(school__in=School.objects.restrict(user).values("pk"), date=today)
    rows = []
    for session in sessions.select_related("school").order_by("school__name", "id")[:5]:
        rows.append(
            {
                "pk": session.school_id,
                "name": session.school.name,
                "session_pk": session.pk,
                "here": Attendance.objects.filter(session=session, signed_out_at__isnull=True).count(),
                "uncollected": len(services.uncollected(session)),
            }
        )
    if not rows:
        return None
    return {"afterschool_today": {"schools": rows}}


def visible(user) -> bool:
    return services.may_use(user)
