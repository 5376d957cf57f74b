"""The 社区证明 panel of a resident's page: the certificates issued to them and, for issuers, 开具证明."""

from __future__ import annotations

from linli.certificates.models import Certificate
from linli.residents.choices import ResidentStatus

SHOWN = 10


def resident_certificates(user, resident) -> dict | None:
    rows = Certificate.objects.restrict(user).filter(resident=resident).order_by("-issued_at", "-id")[:SHOWN]
    can_issue = user.has_role_perm("certificate.issue") and resident.status == ResidentStatus.ACTIVE
    certificates = list(rows)
    if not certificates and not can_issue:
        return None
    return {"certificates": certificates, "can_issue": can_issue, "resident": resident}
