"""The 党建 block of the home page (shell.home_block): for party-work roles and organisation secretaries, over what
they read — one row per community for a street (or anyone reading several communities), one row per branch for a
community or a branch secretary: confirmed members by status, 党员中心户 and their coverage (households looked
after / households), then the 双报到 units and in-service members with this year's service (linli.party.service)
and the 三会一课 compliance line (linli.party.life.home_compliance, filled in by the organisational-life part).

A fixed number of queries whatever the number of communities or branches (grouped counts). Coverage is counted here
(one grouped query per side) rather than through the structure part's helper, which was not on main yet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from linli.areas.models import Community
from linli.party import life
from linli.party.access import may_use
from linli.party.choices import BRANCH_KINDS, MemberStatus, OrgKind, Review
from linli.party.models import PartnerUnit, PartyMember, PartyOrg
from linli.party.service import member_figures
from linli.party.structure import coverage_by

STATUSES = list(MemberStatus)
#: Column heads short enough for a phone's width.
SHORT = {
    MemberStatus.REGISTERED: "在册",
    MemberStatus.FLOATING_OUT: "流出",
    MemberStatus.FLOATING_IN: "流入",
    MemberStatus.IN_SERVICE: "在职",
}


def _url(name: str, *args, query: str = "") -> str:
    """The page's address, or "" while the page's part is not merged (the figure is then shown without a link)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


@dataclass
class Row:
    """One line of the block: a community or a branch."""

    label: str
    url: str
    counts: list = field(default_factory=list)  # (status label, count, url) in STATUSES order
    total: int = 0
    centres: int = 0
    covered: int = 0
    households: int = 0

    @property
    def coverage(self) -> int | None:
        return round(100 * self.covered / self.households) if self.households else None


def _coverage(key: str, ids) -> tuple[dict, dict, dict]:
    """({id: households}, {id: covered}, {id: centres}) by community or grid (linli.party.structure.coverage_by)."""
    figures = coverage_by(key, ids)
    return (
        {k: total for k, (_, total, _) in figures.items()},
        {k: covered for k, (covered, _, _) in figures.items()},
        {k: centres for k, (_, _, centres) in figures.items()},
    )


def party_home(user) -> dict | None:
    """Context of party/_home_block.html, or None when the user reads no party organisation."""
    orgs = list(
        PartyOrg.objects.restrict(user)
        .filter(is_active=True)
        .order_by("street_id", "community_id", "sort_order", "id")
        .values("pk", "kind", "name", "community_id", "grid_id")
    )
    community_ids = sorted({o["community_id"] for o in orgs if o["community_id"]})
    if not community_ids:
        return None
    branches = [o for o in orgs if o["kind"] in BRANCH_KINDS]
    by_community = len(community_ids) > 1
    members = list(
        PartyMember.objects.restrict(user)
        .filter(is_active=True, review=Review.CONFIRMED)
        .only("pk", "community_id", "branch_id", "status", "volunteer_id", "claimer_id")
    )
    counts: dict = defaultdict(lambda: defaultdict(int))  # row key -> status -> count
    for m in members:
        counts[m.community_id if by_community else m.branch_id][m.status] += 1

    rows = []
    if by_community:
        names = dict(Community.objects.filter(pk__in=community_ids).values_list("pk", "name"))
        households, covered, centres = _coverage("community_id", community_ids)
        for cid in community_ids:
            rows.append(
                _row(names[cid], _url("party:member_list", query=f"community={cid}"), counts[cid], f"community={cid}")
            )
            _fill(rows[-1], cid, households, covered, centres)
    else:
        grids = [b["grid_id"] for b in branches if b["grid_id"]]
        households, covered, centres = _coverage("grid_id", grids)
        for b in branches:
            row = _row(b["name"], _url("party:org_detail", b["pk"]), counts[b["pk"]], f"branch={b['pk']}")
            if b["kind"] == OrgKind.GRID_BRANCH and b["grid_id"]:
                _fill(row, b["grid_id"], households, covered, centres)
            rows.append(row)
        if any(o["kind"] == OrgKind.COMMUNITY_ORG for o in branches):
            # A community reader: the community's own figures (households outside any grid branch count too).
            households, covered, centres = _coverage("community_id", community_ids)
            cid = community_ids[0]
            total = (households.get(cid, 0), covered.get(cid, 0), centres.get(cid, 0))
        else:
            total = (sum(r.households for r in rows), sum(r.covered for r in rows), sum(r.centres for r in rows))

    year = timezone.localdate().year
    figures = member_figures(members, year)
    in_service = [m for m in members if m.status == MemberStatus.IN_SERVICE]
    service = {"hours": Decimal("0"), "wishes": 0, "fulfilled": 0, "pairings": 0}
    for m in in_service:
        f = figures[m.pk]
        service["hours"] += f.volunteer_hours
        service["wishes"] += f.wishes_claimed
        service["fulfilled"] += f.wishes_fulfilled
        service["pairings"] += f.pairings
    everyone_hours = sum((f.volunteer_hours for f in figures.values()), Decimal("0"))
    everyone_wishes = sum(f.wishes_claimed for f in figures.values())

    manager = user.is_superuser or user.has_role_perm("party.view")
    units = PartnerUnit.objects.restrict(user).filter(is_active=True) if manager else PartnerUnit.objects.none()
    unit_counts = units.aggregate(
        committee=Count("id", filter=Q(in_committee=True, review=Review.CONFIRMED)),
        dual=Count("id", filter=Q(dual_registered=True, review=Review.CONFIRMED)),
        pending=Count("id", filter=Q(review=Review.PENDING)),
    )
    pending_members = (
        PartyMember.objects.restrict(user).filter(is_active=True, review=Review.PENDING).count() if manager else 0
    )

    totals = Row(label="合计", url=_url("party:member_list"))
    totals.counts = [
        (SHORT[s], sum(r.counts[i][1] for r in rows), _url("party:member_list", query=f"status={s.value}"))
        for i, s in enumerate(STATUSES)
    ]
    totals.total = sum(r.total for r in rows)
    if by_community:
        totals.households = sum(r.households for r in rows)
        totals.covered = sum(r.covered for r in rows)
        totals.centres = sum(r.centres for r in rows)
    else:
        totals.households, totals.covered, totals.centres = total
    ctx = {
        "party_block": {
            "by_community": by_community,
            "statuses": [(SHORT[s], s.label) for s in STATUSES],
            "rows": rows,
            "totals": totals,
            "year": year,
            "manager": manager,
            "units": unit_counts,
            "pending_members": pending_members,
            "in_service": len(in_service),
            "service": service,
            "everyone_hours": everyone_hours,
            "everyone_wishes": everyone_wishes,
            "links": {
                "home": _url("party:home"),
                # Each figure opens the list that counts it, filtered as it is counted (test_home_figures.py).
                "units": _url("party:unit_list", query="dual_registered=yes&review=confirmed&active=yes"),
                "pending": _url("party:member_list", query="review=pending"),
                "in_service": _url("party:member_list", query="status=in_service&review=confirmed"),
                "service": _url("party:service_summary", query=f"year={year}&status=in_service"),
                "centres": _url("party:centre_list"),
                "compliance": _url("party:compliance"),
            },
        }
    }
    # The organisational-life part's compliance line (party/_home_compliance.html reads these keys).
    branch_orgs = PartyOrg.objects.filter(pk__in=[b["pk"] for b in branches])
    ctx.update(life.home_compliance(user, branch_orgs) or {})
    return ctx


def _fill(row: Row, key: int, households: dict, covered: dict, centres: dict) -> None:
    row.households, row.covered, row.centres = households.get(key, 0), covered.get(key, 0), centres.get(key, 0)


def _row(label: str, url: str, counts: dict, query: str) -> Row:
    row = Row(label=label, url=url)
    row.counts = [
        (SHORT[s], counts.get(s.value, 0), _url("party:member_list", query=f"{query}&status={s.value}"))
        for s in STATUSES
    ]
    row.total = sum(counts.values())
    return row


def visible(user) -> bool:
    return may_use(user, "party.view")
