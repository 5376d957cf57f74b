"""The micro-wishes' figures on the dashboards (linli.core.shell.dashboard_figure), per community: wishes waiting
for a claimer and claimed now, and wishes fulfilled by the day they came true."""

from __future__ import annotations

from django.db.models import Q

from linli.core import shell
from linli.core.figures import Counted, day_bounds, list_link, tally
from linli.wishes.choices import WishStatus
from linli.wishes.models import Wish

NO_GRID = {"grid": None}


#: The wishes waiting for a claimer or claimed now: both stocks are their shares (one grouped query).
WAITING = Counted(lambda day: Wish.objects.filter(status__in=(WishStatus.OPEN, WishStatus.CLAIMED)), paths=NO_GRID)


def in_status(status):
    return WAITING.part(Q(status=status))


def fulfilled(start, end, node):
    low, high = day_bounds(start, end)
    rows = Wish.objects.filter(status=WishStatus.FULFILLED, fulfilled_at__gte=low, fulfilled_at__lt=high)
    return tally(rows, node=node, day="fulfilled_at", paths=NO_GRID)


def wish_list(status):
    def link(node, start, end):
        community = node.id if node.level == "community" else None
        month = start.strftime("%Y-%m") if status == WishStatus.FULFILLED else None
        return list_link("wishes:wish_list", status=status, community=community, fulfilled_month=month)

    return link


shell.dashboard_family("wishes", "微心愿", order=60, visible=shell.perm("wish.view"))
for order, (key, label, status, kind, compute) in enumerate(
    [
        ("open", "待认领", WishStatus.OPEN, shell.STOCK, in_status(WishStatus.OPEN)),
        ("claimed", "已认领", WishStatus.CLAIMED, shell.STOCK, in_status(WishStatus.CLAIMED)),
        ("fulfilled", "已实现", WishStatus.FULFILLED, shell.FLOW, fulfilled),
    ]
):
    shell.dashboard_figure(
        f"wishes.{key}",
        family="wishes",
        label=label,
        unit="个",
        kind=kind,
        compute=compute,
        link=wish_list(status),
        grids=False,
        order=10 * (order + 1),
    )
