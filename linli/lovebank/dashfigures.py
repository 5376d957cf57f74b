"""The love bank's figures on the dashboards (linli.core.shell.dashboard_figure), per community and day: points
issued and points redeemed, net of reversals and cancellations — the movements of the community's system accounts,
as on 积分月报 (linli.lovebank.stats.monthly_totals)."""

from __future__ import annotations

from django.db.models import Q, Sum, Value

from linli.core import shell
from linli.core.figures import Counted, day_bounds, list_link
from linli.lovebank.choices import SystemAccount
from linli.lovebank.models import Entry

ENTRY_AREA = {"street": "account__community__street_id", "community": "account__community_id", "grid": None}


def _system_entries(start, end):
    low, high = day_bounds(start, end)
    return Entry.objects.filter(account__kind="system", created_at__gte=low, created_at__lt=high)


#: The movements of the system accounts each day: both flows are their shares (one grouped query on a dashboard).
SYSTEM_ENTRIES = Counted(_system_entries, day="created_at", paths=ENTRY_AREA)


def system_flow(code: str, sign: int):
    return SYSTEM_ENTRIES.part(
        Q(account__system_code=code), value=lambda where: Sum("amount", filter=where) * Value(sign)
    )


def totals_link(node, start, end):
    """积分月报 of the node's community (a street's: every community of the user's)."""
    return list_link("lovebank:monthly_totals", community=node.id if node.level == "community" else None)


shell.dashboard_family("lovebank", "爱心银行", order=50, visible=shell.perm("lovebank.view"))
shell.dashboard_figure(
    "lovebank.earned",
    family="lovebank",
    label="发放积分",
    unit="分",
    kind=shell.FLOW,
    compute=system_flow(SystemAccount.ISSUE, -1),
    link=totals_link,
    grids=False,
    order=10,
)
shell.dashboard_figure(
    "lovebank.spent",
    family="lovebank",
    label="兑换积分",
    unit="分",
    kind=shell.FLOW,
    compute=system_flow(SystemAccount.SPEND, 1),
    link=totals_link,
    grids=False,
    order=20,
)
