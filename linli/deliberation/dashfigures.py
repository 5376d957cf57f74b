"""The deliberation figures on the dashboards (linli.core.shell.dashboard_figure), per community: matters in
progress now, and matters closed as done (办结) by the day they were closed — the matter list's 进行中 and 已办结."""

from __future__ import annotations

from linli.core import shell
from linli.core.figures import day_bounds, list_link, tally
from linli.deliberation.choices import OPEN_STATUSES, MatterStatus
from linli.deliberation.filtersets import OPEN
from linli.deliberation.models import Matter

NO_GRID = {"grid": None}


def open_matters(day, node):
    return tally(Matter.objects.filter(status__in=OPEN_STATUSES), node=node, paths=NO_GRID)


def decided(start, end, node):
    low, high = day_bounds(start, end)
    rows = Matter.objects.filter(status=MatterStatus.DONE, closed_at__gte=low, closed_at__lt=high)
    return tally(rows, node=node, day="closed_at", paths=NO_GRID)


def matter_list(status, dated=False):
    def link(node, start, end):
        community = node.id if node.level == "community" else None
        dates = {"closed_from": start, "closed_to": end} if dated else {}
        return list_link("deliberation:matter_list", status=status, community=community, **dates)

    return link


shell.dashboard_family("deliberation", "民事民议", order=70, visible=shell.perm("matter.view"))
for order, (key, label, kind, compute, link) in enumerate(
    [
        ("open", "进行中的议题", shell.STOCK, open_matters, matter_list(OPEN)),
        ("decided", "办结议题", shell.FLOW, decided, matter_list(MatterStatus.DONE, dated=True)),
    ]
):
    shell.dashboard_figure(
        f"deliberation.{key}",
        family="deliberation",
        label=label,
        unit="个",
        kind=kind,
        compute=compute,
        link=link,
        grids=False,
        order=10 * (order + 1),
    )
