"""The mediation figures on the dashboards (linli.core.shell.dashboard_figure), per community, as 调解统计
(linli.mediation.figures): the cases received each day, and of them those mediated to an end (settled or failed)
and those settled, in their state now — so a month on a dashboard is that month of the case list (受理月份)."""

from __future__ import annotations

from django.db.models import Q

from linli.core import shell
from linli.core.figures import Counted, list_link
from linli.mediation import services
from linli.mediation.choices import CONCLUDED_STATUSES, CaseStatus
from linli.mediation.filtersets import CONCLUDED
from linli.mediation.models import Case

NO_GRID = {"grid": None}


#: The cases received each day: the flows below are their shares (one grouped query on a dashboard).
RECEIVED = Counted(
    lambda start, end: Case.objects.filter(received_on__gte=start, received_on__lte=end),
    day="received_on",
    paths=NO_GRID,
)


def received(*statuses):
    return RECEIVED.part(Q(status__in=statuses) if statuses else None)


def case_list(status=None):
    def link(node, start, end):
        community = node.id if node.level == "community" else None
        return list_link("mediation:case_list", month=start.strftime("%Y-%m"), status=status, community=community)

    return link


shell.dashboard_family("mediation", "人民调解（顺顺吧）", order=80, visible=services.may_list_cases)
for order, (key, label, compute, link) in enumerate(
    [
        ("received", "受理案件", received(), case_list()),
        ("concluded", "调解结束", received(*CONCLUDED_STATUSES), case_list(CONCLUDED)),
        ("settled", "调解成功", received(CaseStatus.SETTLED), case_list(CaseStatus.SETTLED)),
    ]
):
    shell.dashboard_figure(
        f"mediation.{key}",
        family="mediation",
        label=label,
        unit="件",
        kind=shell.FLOW,
        compute=compute,
        link=link,
        grids=False,
        order=10 * (order + 1),
    )
shell.dashboard_rate(
    "mediation.success", family="mediation", label="调解成功率", part="mediation.settled", whole="mediation.concluded"
)
