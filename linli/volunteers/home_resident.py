"""The residents' Linli (居民端): 可参加的活动, the coming activities of the resident's community (shell.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from linli.volunteers.choices import ActivityStatus
from linli.volunteers.models import Activity

LISTED = 10


def _coming(user):
    community_id = user.resident.community_id
    return Activity.objects.filter(
        community_id=community_id, status=ActivityStatus.OPEN, starts_at__gte=timezone.now()
    ).order_by("starts_at", "id")


def open_activities(user) -> dict:
    return {"activities": list(_coming(user)[:LISTED])}


def activities_tile(user) -> dict:
    first = _coming(user).only("title", "starts_at").first()
    if first is None:
        note = "近期没有活动"
    else:
        note = f"{timezone.localtime(first.starts_at):%-m月%-d日}：{first.title}"
    return {"url": reverse("residents:my_section", args=["volunteers.open_activities"]), "note": note}
