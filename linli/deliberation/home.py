"""What the home page and a resident's own page show of 民事民议 (blocks: shell.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from linli.deliberation.choices import OPEN_STATUSES, MatterStatus
from linli.deliberation.models import FollowUpTask, Matter


def staff_block(user) -> dict | None:
    """Open matters, proposals waiting to be accepted and the user's own open follow-up tasks."""
    counts = Matter.objects.restrict(user).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        proposed=Count("id", filter=Q(status=MatterStatus.PROPOSED)),
    )
    today = timezone.localdate()
    tasks = list(FollowUpTask.objects.open().filter(owner=user).select_related("matter").order_by("deadline")[:5])
    for t in tasks:
        t.overdue_now = t.is_overdue(today)
    if not (counts["open"] or tasks):
        return None
    return {"matter_counts": counts, "my_tasks": tasks}


def self_block(user) -> dict:
    """A resident's own page: the button to propose, and their proposals with their status."""
    return {"my_matters": list(Matter.objects.restrict(user).order_by("-created_at")[:5])}


def resident_panel(user, resident) -> dict | None:
    """The resident's one-view page: the matters they raised, as the viewer may see them (none: no panel)."""
    matters = list(Matter.objects.restrict(user).filter(raised_by_resident=resident).order_by("-created_at")[:10])
    return {"resident_matters": matters} if matters else None
