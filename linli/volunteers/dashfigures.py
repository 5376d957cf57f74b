"""The volunteers' figures on the dashboards (linli.core.shell.dashboard_figure), per community: volunteers on the
roll, and confirmed service hours of its volunteers by the day their activity started (服务时长统计)."""

from __future__ import annotations

from django.db.models import Sum

from linli.core import shell
from linli.core.figures import list_link, tally, tally_spans
from linli.volunteers.models import Volunteer
from linli.volunteers.services import confirmed_attendances

#: From a volunteer to its area ids (no grid: a volunteer serves the community).
VOLUNTEER_AREA = {"street": "community__street_id", "community": "community_id", "grid": None}
HOURS_AREA = {"street": "volunteer__community__street_id", "community": "volunteer__community_id", "grid": None}


def registered(day, node):
    """Volunteers on the roll at the end of `day` (joined by then; those struck off are not counted)."""
    return tally(Volunteer.objects.filter(is_active=True, joined_on__lte=day), node=node, paths=VOLUNTEER_AREA)


def registered_days(start, end, node):
    """registered() for every day from `start` to `end` in one grouped query."""
    volunteers = Volunteer.objects.filter(is_active=True, joined_on__lte=end)
    return tally_spans(volunteers, "joined_on", start=start, end=end, node=node, paths=VOLUNTEER_AREA)


def hours(start, end, node):
    rows = confirmed_attendances().filter(activity__starts_at__date__gte=start, activity__starts_at__date__lte=end)
    return tally(rows, Sum("hours"), node=node, day="activity__starts_at", paths=HOURS_AREA)


def _community(node):
    return node.id if node.level == "community" else None


shell.dashboard_family("volunteers", "志愿服务", order=40, visible=shell.perm("volunteer.view"))
shell.dashboard_figure(
    "volunteers.registered",
    family="volunteers",
    label="在册志愿者",
    unit="人",
    kind=shell.STOCK,
    compute=registered,
    link=lambda node, start, end: list_link("volunteers:volunteer_list", community=_community(node)),
    grids=False,
    history=True,
    history_days=registered_days,
    order=10,
)
shell.dashboard_figure(
    "volunteers.hours",
    family="volunteers",
    label="服务时长",
    unit="小时",
    kind=shell.FLOW,
    compute=hours,
    link=lambda node, start, end: list_link("volunteers:hours_report", start=start, end=end),
    grids=False,
    order=20,
)
