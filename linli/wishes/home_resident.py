"""The residents' Linli (居民端): 我家的微心愿, the wishes registered for the resident's household (shell.py)."""

from __future__ import annotations

from django.urls import reverse

from linli.wishes.choices import WishStatus
from linli.wishes.models import Wish


def _household_wishes(user):
    household_id = user.resident.household_id
    return Wish.objects.filter(resident__household_id=household_id).exclude(status=WishStatus.CANCELLED)


def household_wishes(user) -> dict | None:
    if not user.resident.household_id:
        return None
    return {"wishes": list(_household_wishes(user).order_by("-created_at", "-id")[:20])}


def wishes_tile(user) -> dict | None:
    if not user.resident.household_id:
        return None
    wishes = list(_household_wishes(user).values_list("status", flat=True))
    waiting = sum(1 for s in wishes if s == WishStatus.OPEN)
    claimed = sum(1 for s in wishes if s == WishStatus.CLAIMED)
    if not wishes:
        note = "有小心愿，可以请网格员帮您登记"
    else:
        note = "、".join(
            p for p in (f"{waiting}个待认领" if waiting else "", f"{claimed}个已有人认领" if claimed else "") if p
        )
        note = note or "心愿都已实现"
    return {"url": reverse("residents:my_section", args=["wishes.household"]), "note": note}


def demo_step(demo) -> None:
    """Demo (居民端): 陈奶奶's household has a wish of its own (a pair of reading glasses, waiting to be claimed)."""
    chen = demo.chen
    Wish.objects.get_or_create(
        community=demo.community,
        resident=chen,
        title="一副老花镜",
        defaults={
            "description": "一位独居老人希望有一副老花镜，看报纸方便些。",
            "beneficiary_name": chen.name,
            "category": "goods",
        },
    )
