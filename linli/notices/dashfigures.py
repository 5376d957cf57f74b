"""The notices' figures on the dashboards (linli.core.shell.dashboard_figure), per community: notices sent (and not
withdrawn since) by the day they were sent — the notice list's 已发布 of those days."""

from __future__ import annotations

from linli.core import shell
from linli.core.figures import day_bounds, list_link, tally
from linli.notices.choices import NoticeStatus
from linli.notices.models import Notice


def sent(start, end, node):
    low, high = day_bounds(start, end)
    rows = Notice.objects.filter(status=NoticeStatus.SENT, sent_at__gte=low, sent_at__lt=high)
    return tally(rows, node=node, day="sent_at", paths={"grid": None})


def notice_list(node, start, end):
    community = node.id if node.level == "community" else None
    return list_link("notices:notice_list", status=NoticeStatus.SENT, community=community, sent_from=start, sent_to=end)


shell.dashboard_family("notices", "通知公告", order=100, visible=shell.perm("notice.view"))
shell.dashboard_figure(
    "notices.sent",
    family="notices",
    label="发布通知",
    unit="条",
    kind=shell.FLOW,
    compute=sent,
    link=notice_list,
    grids=False,
    order=10,
)
