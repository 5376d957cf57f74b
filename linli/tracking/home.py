"""The residents' Linli (居民端): 我要反映 (this app's self-service flow) and 我的诉求 with the community's replies, for
the signed-in resident and, read-only, for an elder a family member helps (linli.core.shell tiles and blocks)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from linli.appeals.choices import OPEN
from linli.appeals.models import Appeal
from linli.tracking import services
from linli.tracking.models import TrackingCode
from linli.tracking.otp import phone_key

#: The newest appeals a resident's page lists.
LISTED = 20


def appeals_of(resident):
    """The resident's own appeals: registered to them, submitted here with their phone, or registered by staff with
    their phone as the reporter's. Anonymous appeals never show (they carry no one's name)."""
    q = Q(reporter_id=resident.pk)
    if resident.phone:
        submitted = TrackingCode.objects.filter(phone_hash=phone_key(resident.phone)).values("appeal_id")
        q |= Q(pk__in=submitted) | Q(reporter_phone=resident.phone)
    return (
        Appeal.objects.filter(q)
        .exclude(anonymous=True)
        .select_related("assigned_org", "merged_into")
        .order_by("-received_at", "-id")
    )


def _rows(resident) -> list[dict]:
    return [
        {"appeal": a, "status": services.status_words(a), "reply": services.reply_for_reporter(a)}
        for a in appeals_of(resident)[:LISTED]
    ]


def report_tile(user) -> dict | None:
    community = user.resident.community
    if community is None:
        return None
    return {"url": reverse("tracking:submit", args=[community.code]), "note": "遇到问题，说给社区听，可以说话输入"}


def my_appeals_tile(user) -> dict:
    open_count = appeals_of(user.resident).filter(status__in=OPEN).count()
    note = f"{open_count}件正在办" if open_count else "看看反映的事办得怎样、社区怎么回复"
    return {"url": reverse("residents:my_section", args=["tracking.my_appeals"]), "note": note}


def my_appeals(user) -> dict:
    return {"rows": _rows(user.resident), "whose": "我"}


def elder_appeals(user, elder) -> dict:
    """Read-only for a helper: called by linli.residents only for an agreed family link."""
    return {"rows": _rows(elder), "whose": elder.name, "read_only": True}
