"""The campaigns' figures on the dashboards (linli.core.shell.dashboard_figure), per community and grid: the people
on the lists of the campaigns under way (进行中) and those done — the progress of campaigns.progress, summed."""

from __future__ import annotations

from django.db.models import Q

from linli.campaigns.choices import CampaignStatus
from linli.campaigns.models import CampaignTarget
from linli.core import shell
from linli.core.figures import Counted, list_link

#: The people on the lists of the campaigns under way: both stocks are their shares (one grouped query).
ACTIVE_TARGETS = Counted(lambda day: CampaignTarget.objects.filter(campaign__status=CampaignStatus.ACTIVE))


def targets(**narrow):
    return ACTIVE_TARGETS.part(Q(**narrow) if narrow else None)


def target_list(state=None):
    def link(node, start, end):
        area = {node.level: node.id} if node.level in ("community", "grid") else {}
        return list_link("campaigns:target_list", campaign_status=CampaignStatus.ACTIVE, state=state, **area)

    return link


shell.dashboard_family("campaigns", "专项工作", order=105, visible=shell.perm("campaign.view"))
shell.dashboard_figure(
    "campaigns.targets",
    family="campaigns",
    label="进行中名单",
    unit="人",
    kind=shell.STOCK,
    compute=targets(),
    link=target_list(),
    order=10,
)
shell.dashboard_figure(
    "campaigns.done",
    family="campaigns",
    label="已完成",
    unit="人",
    kind=shell.STOCK,
    compute=targets(done=True),
    link=target_list("done"),
    order=20,
)
shell.dashboard_rate(
    "campaigns.progress", family="campaigns", label="完成率", part="campaigns.done", whole="campaigns.targets", order=30
)
