"""The mediation figures: anonymous counts only (cases by type and outcome, success rate, average days to settle,
agreements performed, reception days covered per month, per mediator). Shared by the figures page, the API and
the home page; never a party, an account or a case number."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from linli.core.figures import percent
from linli.mediation.choices import CaseStatus, CaseType, FollowUpResult
from linli.mediation.models import Case, FollowUp, Mediator, Reception
from linli.workdays.calendar import is_workday


def _months_back(today: datetime.date, n: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(n):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _days(first: datetime.date, today: datetime.date):
    day = first
    while day.month == first.month and day <= today:
        yield day
        day += datetime.timedelta(days=1)


def figures(cases, receptions, *, today: datetime.date, months: int = 6) -> dict:
    """`cases` and `receptions`: querysets already restricted to the user's counting scope."""
    by_type = {
        row["case_type"]: row
        for row in cases.values("case_type").annotate(
            total=Count("pk"),
            settled=Count("pk", filter=Q(status=CaseStatus.SETTLED)),
            failed=Count("pk", filter=Q(status=CaseStatus.FAILED)),
            withdrawn=Count("pk", filter=Q(status=CaseStatus.WITHDRAWN)),
        )
    }
    types = []
    for value, label in CaseType.choices:
        row = by_type.get(value, {"total": 0, "settled": 0, "failed": 0, "withdrawn": 0})
        types.append(
            {
                "type": value,
                "label": label,
                "total": row["total"],
                "settled": row["settled"],
                "failed": row["failed"],
                "withdrawn": row["withdrawn"],
                "open": row["total"] - row["settled"] - row["failed"] - row["withdrawn"],
            }
        )
    total = sum(t["total"] for t in types)
    settled = sum(t["settled"] for t in types)
    failed = sum(t["failed"] for t in types)
    spans = [
        (closed - received).days
        for received, closed in cases.filter(status=CaseStatus.SETTLED, closed_on__isnull=False).values_list(
            "received_on", "closed_on"
        )
    ]
    follow = FollowUp.objects.filter(agreement__case__in=cases).aggregate(
        performed=Count("pk", filter=Q(result=FollowUpResult.PERFORMED)),
        partly=Count("pk", filter=Q(result=FollowUpResult.PARTLY)),
        not_performed=Count("pk", filter=Q(result=FollowUpResult.NOT_PERFORMED)),
        pending=Count("pk", filter=Q(done_on__isnull=True)),
    )
    month_rows = []
    for first in _months_back(today, months):
        days = list(_days(first, today))
        covered = set(
            receptions.filter(received_on__year=first.year, received_on__month=first.month)
            .values_list("received_on", flat=True)
            .distinct()
        )
        workdays = [d for d in days if is_workday(d)]
        month_rows.append(
            {
                "month": first.strftime("%Y-%m"),
                "visitors": receptions.filter(received_on__year=first.year, received_on__month=first.month).count(),
                "days_covered": len(covered),
                "workdays": len(workdays),
                "workdays_covered": len([d for d in workdays if d in covered]),
            }
        )
    mediators = (
        Mediator.objects.filter(cases__in=cases)
        .values("name")
        .annotate(
            total=Count("cases", distinct=True),
            settled=Count("cases", filter=Q(cases__status=CaseStatus.SETTLED), distinct=True),
        )
        .order_by("-total", "name")
    )
    return {
        "total": total,
        "settled": settled,
        "failed": failed,
        "withdrawn": sum(t["withdrawn"] for t in types),
        "open": sum(t["open"] for t in types),
        "success_rate": percent(settled, settled + failed),
        "average_days": round(sum(spans) / len(spans), 1) if spans else None,
        "by_type": types,
        "follow_ups": follow,
        "receptions": month_rows,
        "mediators": [dict(m, success_rate=percent(m["settled"], m["total"])) for m in mediators],
    }


def figures_for(user, today: datetime.date) -> dict:
    return figures(Case.objects.restrict(user, "count"), Reception.objects.restrict(user, "view"), today=today)


def public_figures(community, today: datetime.date) -> dict | None:
    """The community's public board (公示栏): this year's anonymous counts; None before the first case."""
    cases = Case.objects.public_board(community, today.year)
    if not cases.exists():
        return None
    f = figures(cases, Reception.objects.public_board(community, today.year), today=today, months=1)
    f["by_type"] = [t for t in f["by_type"] if t["total"]]
    f.pop("mediators")
    return {"mediation_public": f, "mediation_year": today.year}
