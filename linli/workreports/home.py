"""工作报告 on the home page: the user's drafts and the latest finalised report of their scope."""

from __future__ import annotations

from linli.workreports.choices import ReportStatus
from linli.workreports.models import WorkReport


def home_context(user) -> dict | None:
    rows = WorkReport.objects.restrict(user).select_related("street", "community")
    drafts = list(rows.filter(status=ReportStatus.DRAFT).order_by("-year", "-month", "-id")[:3])
    latest = rows.filter(status=ReportStatus.FINAL).order_by("-finalised_at", "-id").first()
    return {"drafts": drafts, "latest": latest}
