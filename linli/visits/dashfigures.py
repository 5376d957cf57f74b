"""The visits' figures on the dashboards (linli.core.shell.dashboard_figure): the care-group residents against
the 23766 rule (visited within their interval, overdue) and the visits made, per community and grid. The same
definitions as 走访统计 (linli.visits.coverage) and 逾期未走访 (linli.visits.overdue)."""

from __future__ import annotations

from django.db.models import Q

from linli.core import shell
from linli.core.figures import list_link, tally
from linli.residents.dashfigures import ACTIVE
from linli.visits.models import Visit


def _area(node):
    """The list pages' filter of a community or a grid node (a street's is the user's own scope)."""
    return {node.level: node.id} if node.level in ("community", "grid") else {}


# The three stocks are shares of the active residents (with 在册居民: one grouped query on a dashboard).
CARE = Q(visit_interval_days__isnull=False)
#: Care-group residents: active, with a visit interval (some active tag carries one).
care_due = ACTIVE.part(CARE)
#: Care-group residents visited within their interval: the next due date is `day` or later.
on_time = ACTIVE.part(lambda day: CARE & Q(visit_due_on__gte=day))
#: Active residents whose next visit was due before `day` (逾期未走访).
overdue = ACTIVE.part(lambda day: Q(visit_due_on__lt=day))


def visits_made(start, end, node):
    """Visit records by the day of the visit."""
    return tally(Visit.objects.filter(visited_on__gte=start, visited_on__lte=end), node=node, day="visited_on")


def coverage_link(node, start, end):
    """走访统计 of the node's community (a grid's figures are its row there)."""
    return list_link("visits:coverage", community=node.id if node.level == "community" else None)


shell.dashboard_family("visits", "走访（23766）", order=20, visible=shell.perm("visit.coverage"))
shell.dashboard_figure(
    "visits.care_due",
    family="visits",
    label="重点人群",
    unit="人",
    kind=shell.STOCK,
    compute=care_due,
    link=coverage_link,
    order=10,
)
shell.dashboard_figure(
    "visits.on_time",
    family="visits",
    label="按期走访",
    unit="人",
    kind=shell.STOCK,
    compute=on_time,
    link=coverage_link,
    order=20,
)
shell.dashboard_figure(
    "visits.overdue",
    family="visits",
    label="逾期未走访",
    unit="人",
    kind=shell.STOCK,
    compute=overdue,
    link=lambda node, start, end: list_link("visits:coverage_overdue", **_area(node)),
    order=30,
    alarm=True,
)
shell.dashboard_figure(
    "visits.made",
    family="visits",
    label="走访次数",
    unit="次",
    kind=shell.FLOW,
    compute=visits_made,
    link=lambda node, start, end: list_link("visits:visit_ledger", **_area(node), month=start.strftime("%Y-%m")),
    order=40,
)
shell.dashboard_rate(
    "visits.coverage", family="visits", label="按期走访率", part="visits.on_time", whole="visits.care_due", order=25
)
