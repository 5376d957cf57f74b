"""The hall's parts on other pages: 代办记录 on the resident page, 我的办事预约 on a resident's own page."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.hall.models import Appointment, Errand


def resident_errands(user, resident) -> dict | None:
    """代办记录 on the resident's page: their errands the user may read, and a link to record one."""
    if not (user.is_superuser or user.has_role_perm("hall.view")):
        return None
    rows = list(Errand.objects.restrict(user).filter(resident=resident).select_related("matter")[:10])
    can_add = user.is_superuser or user.has_role_perm("hall.errand")
    if not rows and not can_add:
        return None
    return {"errands": rows, "resident": resident, "can_add": can_add, "today": timezone.localdate()}


def guide_tile(user) -> dict | None:
    """办事指南: the community's public guide (what to bring), where an appointment can be made."""
    community = getattr(getattr(user, "resident", None), "community", None)
    if community is None:
        return None
    from django.urls import reverse

    return {"url": reverse("hall:public_guide", args=[community.code]), "note": "办什么事、带什么材料"}


def my_appointments(user) -> dict | None:
    """我的预约 (self_block): the signed-in resident's coming appointments."""
    if not user.has_role_perm("hall.book_self") or not user.resident_id:
        return None
    rows = Appointment.objects.restrict(user, "book_self").filter(
        starts_at__gte=timezone.now() - datetime.timedelta(days=1)
    )
    return {"appointments": rows.select_related("counter", "matter").order_by("starts_at")[:10]}
