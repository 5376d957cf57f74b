"""Organisational life (三会一课, 民主评议) as other party pages show it: the part of a branch's page about its
meetings (party/_org_life.html) and the compliance line of the 党建 home block (party/_home_compliance.html).

Both work in a fixed number of queries: the compliance table's three, the last meetings, and the members' figures
(linli.party.service.member_figures, grouped)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from linli.party import compliance
from linli.party.choices import BRANCH_KINDS, OrgKind
from linli.party.compliance_html import CellRenderer

LAST_MEETINGS = 5


def org_life(org, user, today=None) -> dict:
    """Context for party/_org_life.html on an organisation's page: this year's compliance row (a branch), the last
    meetings of the organisation and its 党小组, and its members' attendance rates this year."""
    from linli.party.models import PartyMeeting, PartyMember, PartyOrg
    from linli.party.service import member_figures

    today = today or timezone.localdate()
    year = today.year
    ctx: dict = {"life_org": org, "life_year": year, "life_month": today.month}
    if org.kind in BRANCH_KINDS:
        [row] = compliance.table([org], year, today)
        ctx["life_row"] = row
        ctx["life_totals"] = compliance.month_totals([row], today.month)
    orgs = PartyOrg.objects.filter(pk=org.pk) | PartyOrg.objects.filter(parent=org, kind=OrgKind.GROUP)
    meetings = PartyMeeting.objects.restrict(user, "view").filter(org__in=orgs).select_related("org")
    ctx["life_meetings"] = list(meetings.order_by("-held_on", "-id")[:LAST_MEETINGS])
    members = PartyMember.objects.restrict(user, "view").filter(is_active=True, review="confirmed")
    members = list(
        (members.filter(group=org) if org.kind == OrgKind.GROUP else members.filter(branch=org)).order_by("name", "pk")
    )
    figures = member_figures(members, year)
    ctx["life_members"] = [(m, figures[m.pk]) for m in members]
    ctx["life_can_record"] = PartyOrg.objects.restrict(user, "record").filter(pk=org.pk).exists()
    if "life_row" in ctx:
        CellRenderer({org.pk} if ctx["life_can_record"] else set()).decorate([ctx["life_row"]], None)
    ctx["life_links"] = {
        "compliance": reverse("party:compliance") + f"?year={year}",
        "meetings": reverse("party:meeting_list") + f"?org={org.pk}",
        "add": reverse("party:meeting_add") + f"?org={org.pk}",
    }
    return ctx


def home_compliance(user, orgs, today=None) -> dict:
    """Context for party/_home_compliance.html in the 党建 home block (`orgs`: the branches the block covers, already
    restricted): this month's held, missing and due counts and a link to the compliance table."""
    today = today or timezone.localdate()
    branches = [o for o in orgs if o.kind in BRANCH_KINDS]
    rows = compliance.table(branches, today.year, today, months=[today.month])
    return {
        "compliance_totals": compliance.month_totals(rows, today.month),
        "compliance_month": today,
        "compliance_branches": len(branches),
        "compliance_url": reverse("party:compliance") + f"?year={today.year}&month={today.month}",
    }
