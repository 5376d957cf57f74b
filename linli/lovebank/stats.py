"""Read-only figures: statements with running balance, monthly totals, the honour board (光荣榜)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from linli.lovebank.choices import EARNING_KINDS, SystemAccount, TransactionKind
from linli.lovebank.models import Account, Entry, Redemption


def statement(account: Account):
    """All movements of a holder's account, newest first, each with the balance after it."""
    return (
        Entry.objects.filter(account=account)
        .select_related("transaction", "transaction__actor", "transaction__reversed_by")
        .order_by("-id")
    )


def _earned_q(prefix: str = "") -> Q:
    """Entries that are points earned, less the reversals of such points."""
    t = f"{prefix}transaction__"
    return Q(**{f"{t}kind__in": EARNING_KINDS}) | Q(
        **{f"{t}kind": TransactionKind.REVERSAL, f"{t}reverses__kind__in": EARNING_KINDS}
    )


def honour_board(communities, start: datetime.datetime, end: datetime.datetime, limit: int = 20):
    """The holders who earned the most points in [start, end): [(account, points)], best first."""
    rows = (
        Entry.objects.filter(account__community__in=communities, account__kind__in=("resident", "outside"))
        .filter(_earned_q(), created_at__gte=start, created_at__lt=end)
        .values("account")
        .annotate(points=Sum("amount"))
        .filter(points__gt=0)
        .order_by("-points", "account")[:limit]
    )
    rows = list(rows)
    accounts = Account.objects.select_related("resident", "community").in_bulk([r["account"] for r in rows])
    return [(accounts[r["account"]], r["points"]) for r in rows]


def monthly_totals(communities, start: datetime.datetime, end: datetime.datetime):
    """Per month: points issued (net of reversals), points redeemed (net of cancellations), redemptions made."""
    months: dict[datetime.date, dict] = {}

    def row(month):
        return months.setdefault(
            month.date() if isinstance(month, datetime.datetime) else month,
            {"earned": 0, "spent": 0, "donated": 0, "redemptions": 0, "cancelled": 0},
        )

    system = (
        Entry.objects.filter(
            account__community__in=communities,
            account__kind="system",
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month", "account__system_code")
        .annotate(total=Sum("amount"))
    )
    field = {SystemAccount.ISSUE: "earned", SystemAccount.SPEND: "spent", SystemAccount.BANK: "donated"}
    for r in system:
        sign = -1 if r["account__system_code"] == SystemAccount.ISSUE else 1
        row(r["month"])[field[r["account__system_code"]]] += sign * r["total"]
    counts = (
        Redemption.objects.filter(community__in=communities, created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("id"), cancelled=Count("id", filter=Q(status="cancelled")))
    )
    for r in counts:
        row(r["month"]).update(redemptions=r["n"], cancelled=r["cancelled"])
    return sorted(months.items(), reverse=True)


def hours_board(communities, start: datetime.datetime, end: datetime.datetime, limit: int = 20):
    """The volunteers with the most confirmed service hours in activities that started in [start, end), best
    first: [{"volunteer_id", "name", "community", "hours", "activities"}]. One grouped query over the volunteers
    app's record of served hours (linli.volunteers.services.confirmed_attendances), whatever the number of people."""
    from linli.volunteers.services import confirmed_attendances

    rows = (
        confirmed_attendances()
        .filter(activity__community__in=communities, activity__starts_at__gte=start, activity__starts_at__lt=end)
        .values("volunteer_id", "volunteer__name", "volunteer__community__name")
        .annotate(hours=Sum("hours"), activities=Count("id"))
        .filter(hours__gt=0)
        .order_by("-hours", "volunteer__name", "volunteer_id")[:limit]
    )
    return [
        {
            "volunteer_id": r["volunteer_id"],
            "name": r["volunteer__name"],
            "community": r["volunteer__community__name"],
            "hours": r["hours"],
            "activities": r["activities"],
        }
        for r in rows
    ]
