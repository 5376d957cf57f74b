"""The “转为调解案件” panel on a matter's page (linli.deliberation.panels.matter_panel, registered in shell.py)."""

from __future__ import annotations

from django.urls import reverse

from linli.mediation.choices import CaseSource, CaseType
from linli.mediation.models import Case


def matter_case(user, matter) -> dict | None:
    """Users who may open or refer a case: the case already made from this matter (if they may know of it), or the
    button."""
    if not (user.is_superuser or user.has_role_perm("mediation.receive") or user.has_role_perm("mediation.refer")):
        return None
    case = Case.objects.filter(source=CaseSource.MATTER, source_id=matter.pk).first()
    if case is not None:
        known = Case.objects.restrict(user, "limited").filter(pk=case.pk).exists()
        return {"matter_case": case if known else None, "matter_case_exists": True}
    return {
        "action_url": reverse("mediation:case_from_matter", args=[matter.pk]),
        "mediation_case_types": CaseType.choices,
    }
