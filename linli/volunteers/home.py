"""What the home page shows of volunteering: a volunteer's next activities, the ones they lead soon,
their hours this year; for staff, the activities of the coming days in their area (blocks: shell.py)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from linli.volunteers.choices import LIVE_SIGNUP, ActivityStatus, SignUpStatus
from linli.volunteers.models import Activity, Attendance, SignUp, TeamMembership

#: How far ahead a leader is reminded to bring the check-in code.
LEAD_AHEAD = datetime.timedelta(hours=24)
STAFF_AHEAD = datetime.timedelta(days=7)


def leading(user) -> dict | None:
    """The activities of the teams the volunteer leads starting within a day: bring the check-in code."""
    now = timezone.now()
    led_teams = TeamMembership.objects.filter(volunteer__user=user, is_leader=True).values("team_id")
    activities = list(
        Activity.objects.filter(team_id__in=led_teams, ends_at__gte=now, starts_at__lte=now + LEAD_AHEAD)
        .exclude(status=ActivityStatus.CANCELLED)
        .annotate(n=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)))
        .order_by("starts_at")
    )
    return {"leading": activities} if activities else None


def my_service(user) -> dict:
    """The volunteer's coming sign-ups and hours served this year."""
    now = timezone.now()
    signups = list(
        SignUp.objects.filter(volunteer__user=user, status__in=LIVE_SIGNUP, activity__ends_at__gte=now)
        .select_related("activity")
        .order_by("activity__starts_at")[:5]
    )
    year_start = timezone.make_aware(datetime.datetime(timezone.localdate().year, 1, 1))
    hours = Attendance.objects.confirmed().filter(volunteer__user=user, activity__starts_at__gte=year_start)
    return {"my_signups": signups, "my_hours": hours.aggregate(h=Sum("hours"))["h"] or 0}


def coming(user) -> dict | None:
    """For staff: the activities of the coming week in their area."""
    now = timezone.now()
    activities = list(
        Activity.objects.restrict(user)
        .filter(ends_at__gte=now, starts_at__lte=now + STAFF_AHEAD)
        .exclude(status=ActivityStatus.CANCELLED)
        .annotate(n=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)))
        .select_related("team")
        .order_by("starts_at")[:6]
    )
    return {"coming": activities} if activities else None
