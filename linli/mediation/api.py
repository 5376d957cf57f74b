"""Mediation over the JSON API: the figures only (anonymous counts by type and outcome, success rate, average
days to settle, follow-ups, reception days per month, per mediator), over the user's area (mediation.view).
No case, party or account is ever read through the API."""

from django.utils import timezone
from ninja import Router, Schema

from linli.core.querysets import require_perm
from linli.mediation.figures import figures_for

router = Router(tags=["人民调解"])


class TypeRow(Schema):
    type: str
    label: str
    total: int
    open: int
    settled: int
    failed: int
    withdrawn: int


class FollowUps(Schema):
    performed: int
    partly: int
    not_performed: int
    pending: int


class ReceptionMonth(Schema):
    month: str
    visitors: int
    days_covered: int
    workdays: int
    workdays_covered: int


class MediatorRow(Schema):
    name: str
    total: int
    settled: int
    success_rate: int | None


class FiguresSchema(Schema):
    total: int
    open: int
    settled: int
    failed: int
    withdrawn: int
    success_rate: int | None
    average_days: float | None
    by_type: list[TypeRow]
    follow_ups: FollowUps
    receptions: list[ReceptionMonth]
    mediators: list[MediatorRow]


@router.get("/figures", response=FiguresSchema, summary="调解统计（匿名件数，按管辖范围）")
def mediation_figures(request):
    user = request.auth_user
    require_perm(user, "mediation.view")
    return figures_for(user, timezone.localdate())
