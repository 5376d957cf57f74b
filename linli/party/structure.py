"""The party structure as pages and other apps read it: the organisation tree with its figures, 党员中心户
coverage (households looked after out of all households), and the 中心户 marks on a building's diagram.

Each function answers in a fixed number of grouped queries, whatever the size of the tree or the building.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from linli.party.choices import OrgKind, Review


@dataclass
class TreeRow:
    """One organisation in the tree: its depth, and the active members and 中心户 of it and everything below it."""

    org: object
    depth: int
    members: int = 0
    centres: int = 0
    children: list = field(default_factory=list)


def tree(orgs, user) -> list[TreeRow]:
    """`orgs` (already restricted) as a depth-first list of TreeRow, each counting the members and 中心户 the user
    may see in the organisation and the ones below it. Two grouped queries for the counts."""
    from linli.party.models import PartyHousehold, PartyMember

    orgs = list(orgs)
    rows = {org.pk: TreeRow(org, 0) for org in orgs}
    ids = list(rows)
    members = PartyMember.objects.restrict(user).filter(is_active=True, review=Review.CONFIRMED)
    own_members: Counter = Counter()
    for branch_id, group_id, n in (
        members.filter(Q(branch_id__in=ids) | Q(group_id__in=ids))
        .values_list("branch_id", "group_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        own_members[branch_id] += n
        if group_id:  # a 党小组 counts its members too (they are counted once higher up, through the branch)
            own_members[("group", group_id)] += n
    own_centres: Counter = Counter()
    for branch_id, group_id, n in (
        PartyHousehold.objects.restrict(user)
        .filter(is_active=True)
        .filter(Q(member__branch_id__in=ids) | Q(member__group_id__in=ids))
        .values_list("member__branch_id", "member__group_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        own_centres[branch_id] += n
        if group_id:
            own_centres[("group", group_id)] += n
    roots = []
    for row in rows.values():
        parent = rows.get(row.org.parent_id)
        (parent.children if parent else roots).append(row)

    def total(row: TreeRow, depth: int) -> tuple[int, int]:
        row.depth = depth
        if row.org.kind == OrgKind.GROUP:
            row.members = own_members[("group", row.org.pk)]
            row.centres = own_centres[("group", row.org.pk)]
            for child in row.children:
                total(child, depth + 1)
            return 0, 0  # already counted through the branch
        row.members, row.centres = own_members[row.org.pk], own_centres[row.org.pk]
        for child in row.children:
            m, c = total(child, depth + 1)
            row.members += m
            row.centres += c
        return row.members, row.centres

    out: list[TreeRow] = []

    def walk(row: TreeRow):
        out.append(row)
        for child in row.children:
            walk(child)

    for root in roots:
        total(root, 0)
        walk(root)
    return out


def coverage_by(key: str, ids) -> dict[int, tuple[int, int, int]]:
    """{id: (households covered, all households, 中心户)} grouped by the households' building `key` ("community_id",
    "grid_id", or "id" for the building itself): a household is covered when an active 党员中心户 looks after it or
    it is one. One grouped query; every coverage figure of Linli (this page, the building page, the 党建 home block)
    is counted here."""
    from linli.areas.models import Household

    field = "building_id" if key == "id" else f"building__{key}"
    rows = (
        Household.objects.filter(**{f"{field}__in": list(ids)})
        .values(field)
        .annotate(
            total=Count("id", distinct=True),
            covered=Count(
                "id",
                filter=Q(party_centres__is_active=True) | Q(party_cover__centre__is_active=True),
                distinct=True,
            ),
            centres=Count("party_centres", filter=Q(party_centres__is_active=True), distinct=True),
        )
        .order_by()
    )
    return {row[field]: (row["covered"], row["total"], row["centres"]) for row in rows}


def coverage(community_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{community id: (households covered, all households)} (coverage_by)."""
    figures = coverage_by("community_id", community_ids)
    return {cid: figures.get(cid, (0, 0, 0))[:2] for cid in community_ids}


def building_coverage(building_ids) -> dict[int, tuple[int, int]]:
    """{building id: (households covered, all households)} (coverage_by)."""
    return {pk: figures[:2] for pk, figures in coverage_by("id", building_ids).items()}


def centres_in_building(user, building):
    """The active 中心户 the user may see that are in `building` or look after a household in it, each with
    `covered_here` (its covered households in this building, in room order)."""
    from linli.party.models import CoveredHousehold, PartyHousehold

    # The building page asks twice (the diagram's marks, the panel) for the same user and building object.
    cache = building.__dict__.setdefault("_party_centres", {})
    if user.pk in cache:
        return cache[user.pk]
    centres = list(
        PartyHousehold.objects.restrict(user)
        .filter(is_active=True)
        .filter(Q(household__building=building) | Q(links__household__building=building))
        .distinct()
        .select_related("member", "household__building")
        .order_by("household__entrance", "household__room", "id")
    )
    by_centre = defaultdict(list)
    for link in (
        ()
        if not centres
        else (
            CoveredHousehold.objects.filter(centre__in=centres, household__building=building)
            .select_related("household__building")
            .order_by("household__entrance", "household__floor", "household__room")
        )
    ):
        by_centre[link.centre_id].append(link.household)
    for centre in centres:
        centre.covered_here = by_centre.get(centre.pk, [])
    cache[user.pk] = centres
    return centres


def building_marks(user, building) -> dict[int, list[tuple[str, str]]]:
    """The building diagram's badges (linli.core.shell.household_marks): each 中心户 household, and each household
    a 中心户 looks after with the 中心户's member named."""
    marks: dict[int, list[tuple[str, str]]] = {}
    for centre in centres_in_building(user, building):
        if centre.household.building_id == building.pk:
            marks.setdefault(centre.household_id, []).append((f"党员中心户：{centre.member.name}", "party-centre"))
        for household in centre.covered_here:
            marks.setdefault(household.pk, []).append((f"联系户（{centre.member.name}中心户）", "party-covered"))
    return marks


def building_panel(user, building) -> dict | None:
    """The building page's section listing its 中心户 and the households each looks after here (None: none)."""
    centres = centres_in_building(user, building)
    return {"centres": centres, "building": building} if centres else None


def taken_households(buildings, *, exclude_centre=None) -> dict[int, str]:
    """{household id: why it cannot be ticked} in `buildings`: looked after by another 中心户 (named by its member),
    or a 中心户 itself."""
    from linli.party.models import CoveredHousehold, PartyHousehold

    taken: dict[int, str] = {}
    links = CoveredHousehold.objects.filter(household__building__in=buildings).select_related("centre__member")
    if exclude_centre is not None:
        links = links.exclude(centre=exclude_centre)
    for link in links:
        taken[link.household_id] = f"已由{link.centre.member.name}的中心户联系"
    centres = PartyHousehold.objects.filter(household__building__in=buildings, is_active=True).select_related("member")
    if exclude_centre is not None:
        centres = centres.exclude(pk=exclude_centre.pk)
    for centre in centres:
        taken[centre.household_id] = f"{centre.member.name}的党员中心户"
    return taken


def diagram(building, *, chosen: set[int], taken: dict[int, str], centre=None) -> dict:
    """One building for the 中心户 form: entrances across, floors down, each household with `checked`, `taken` (why
    it cannot be ticked) and `is_centre` (the 中心户's own household)."""
    from linli.areas.models import Household

    entrances: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for h in Household.objects.filter(building=building).order_by("entrance", "-floor", "room"):
        h.checked = h.pk in chosen
        h.taken = taken.get(h.pk, "")
        h.is_centre = centre is not None and h.pk == centre.pk
        entrances[h.entrance][h.floor].append(h)
    return {
        "building": building,
        "entrances": [
            {"number": e, "floors": [{"floor": f, "rooms": rooms} for f, rooms in sorted(fl.items(), reverse=True)]}
            for e, fl in sorted(entrances.items())
        ],
    }
