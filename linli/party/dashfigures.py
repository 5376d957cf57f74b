"""The party figures on the dashboards (linli.core.shell.dashboard_figure), per community: organisational life
(三会一课 and 主题党日 meetings held, by their date) and 双报到 — the units and the in-service members registered with
the community (confirmed, on the roll now)."""

from __future__ import annotations

from linli.core import shell
from linli.core.figures import list_link, tally
from linli.party.access import may_use
from linli.party.choices import MemberStatus, Review
from linli.party.models import PartnerUnit, PartyMeeting, PartyMember

NO_GRID = {"grid": None}


def meetings(start, end, node):
    rows = PartyMeeting.objects.filter(held_on__gte=start, held_on__lte=end)
    return tally(rows, node=node, day="held_on", paths=NO_GRID)


def units(day, node):
    rows = PartnerUnit.objects.filter(dual_registered=True, review=Review.CONFIRMED, is_active=True)
    return tally(rows, node=node, paths=NO_GRID)


def in_service(day, node):
    return tally(PartyMember.objects.filter(is_active=True, status=MemberStatus.IN_SERVICE), node=node, paths=NO_GRID)


def _community(node):
    return node.id if node.level == "community" else None


def meeting_link(node, start, end):
    return list_link("party:meeting_list", community=_community(node), held_from=start, held_to=end)


def unit_link(node, start, end):
    return list_link(
        "party:unit_list", dual_registered="yes", review=Review.CONFIRMED, active="yes", community=_community(node)
    )


def member_link(node, start, end):
    return list_link("party:member_list", status=MemberStatus.IN_SERVICE, community=_community(node))


shell.dashboard_family("party", "党建引领", order=90, visible=may_use)
for order, (key, label, unit, kind, compute, link) in enumerate(
    [
        ("meetings", "组织生活会议", "次", shell.FLOW, meetings, meeting_link),
        ("units", "双报到单位", "个", shell.STOCK, units, unit_link),
        ("in_service", "双报到党员", "人", shell.STOCK, in_service, member_link),
    ]
):
    shell.dashboard_figure(
        f"party.{key}",
        family="party",
        label=label,
        unit=unit,
        kind=kind,
        compute=compute,
        link=link,
        grids=False,
        order=10 * (order + 1),
    )
