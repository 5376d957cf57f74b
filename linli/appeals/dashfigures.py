"""The appeals' figures on the dashboards (linli.core.shell.dashboard_figure), per community and grid, with the
definitions of 诉求统计 (linli.appeals.stats): the flows count the appeals by the day they were received (the
report's period), in their state now, so a month on a dashboard is that month on 诉求统计; the open and overdue
appeals are counted now, whenever received."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from linli.appeals.choices import OPEN, Status
from linli.appeals.filtersets import GOOD, RATED, REPLY_OWED
from linli.appeals.models import Appeal
from linli.appeals.stats import list_url
from linli.core import shell
from linli.core.figures import Counted, day_bounds


def _received(start, end):
    low, high = day_bounds(start, end)
    return Appeal.objects.filter(received_at__gte=low, received_at__lt=high)


#: The appeals received each day: the flows below are their shares (one grouped query on a dashboard).
RECEIVED = Counted(_received, day="received_at")


def cohort(q_of):
    """A flow over the appeals received each day, narrowed by `q_of()` (a Q, built when counted: some use now)."""
    return RECEIVED.part(lambda start, end: q_of())


CLOSED = Q(status=Status.CLOSED)
#: The appeals open now, and those of them past their due time.
OPEN_NOW = Counted(lambda day: Appeal.objects.filter(status__in=OPEN))
open_now = OPEN_NOW.part()
overdue_now = OPEN_NOW.part(lambda day: Q(current_due__lt=timezone.now()))


def _area(node):
    return {"community": node.id} if node.level == "community" else {"grid": node.id} if node.level == "grid" else {}


def received_link(**params):
    def link(node, start, end):
        return list_url(received_from=start.isoformat(), received_to=end.isoformat(), **_area(node), **params)

    return link


FIGURES = [
    # key, label, compute, link
    ("received", "受理诉求", cohort(Q), received_link()),
    ("resolved", "已办结", cohort(lambda: Q(resolved_late__isnull=False)), received_link(resolved="yes")),
    ("resolved_on_time", "按时办结", cohort(lambda: Q(resolved_late=False)), received_link(resolved="on_time")),
    ("replied", "已回访", cohort(lambda: CLOSED & Q(replied_at__isnull=False)), received_link(status=Status.CLOSED)),
    (
        "reply_owed",
        "应回访",
        cohort(lambda: CLOSED | Q(status=Status.RESOLVED, reply_due__lt=timezone.now())),
        received_link(needs_reply=REPLY_OWED),
    ),
    ("rated", "已评价", cohort(lambda: CLOSED & Q(rating__in=RATED)), received_link(rating="rated")),
    (
        "satisfied",
        "满意",
        cohort(lambda: CLOSED & Q(rating__in=GOOD)),
        received_link(rating="good"),
    ),
]

shell.dashboard_family("appeals", "诉求", order=30, visible=shell.perm("appeal.view"))
for order, (key, label, compute, link) in enumerate(FIGURES):
    shell.dashboard_figure(
        f"appeals.{key}",
        family="appeals",
        label=label,
        unit="件",
        kind=shell.FLOW,
        compute=compute,
        link=link,
        order=10 + order,
    )
shell.dashboard_figure(
    "appeals.open",
    family="appeals",
    label="当前在办",
    unit="件",
    kind=shell.STOCK,
    compute=open_now,
    link=lambda node, start, end: list_url(status=list(OPEN), **_area(node)),
    order=50,
)
shell.dashboard_figure(
    "appeals.overdue",
    family="appeals",
    label="当前超期",
    unit="件",
    kind=shell.STOCK,
    compute=overdue_now,
    link=lambda node, start, end: list_url(overdue=1, **_area(node)),
    order=60,
    alarm=True,
)
shell.dashboard_rate(
    "appeals.on_time_rate",
    family="appeals",
    label="按时办结率",
    part="appeals.resolved_on_time",
    whole="appeals.resolved",
    order=70,
    goal=90,
)
shell.dashboard_rate(
    "appeals.reply_rate",
    family="appeals",
    label="回访率",
    part="appeals.replied",
    whole="appeals.reply_owed",
    order=71,
    goal=100,
)
shell.dashboard_rate(
    "appeals.satisfaction",
    family="appeals",
    label="满意率",
    part="appeals.satisfied",
    whole="appeals.rated",
    order=72,
)


def open_by_unit(node):
    """The open appeals of `node` by handling unit (未派单: no unit yet), each linked to the list of exactly those."""
    rows = (
        Appeal.objects.filter(node.q(), status__in=OPEN)
        .order_by()
        .values_list("unit_id", "unit__name")
        .annotate(n=Count("id"))
    )
    return [
        (name or "未派单", n, list_url(status=list(OPEN), unit=unit or "null", **_area(node))) for unit, name, n in rows
    ]


shell.dashboard_breakdown(
    "appeals.open_by_unit",
    family="appeals",
    label="在办诉求（按承办单位）",
    unit="件",
    row_label="承办单位",
    compute=open_by_unit,
    levels=("street", "community"),
)
