"""Households in need and what they received: the one definition behind the figures per grid (page, Excel, home
block) and the yearly table per care group (帮扶年度表).

- in need: a household with an active resident in a care group (Household.care_members > 0, kept by
  linli.residents.care; choices.CARE_TAGS), or with one in the tag asked for;
- paired: a pairing of the household — a party member's (linli.party.Pairing) or another helper's (HelpPairing) —
  ran during the year (started by its end, not ended before its start);
- assisted: at least one assistance record dated in the year; "nothing" is in need and not assisted.

Each figure is a Count over households with an EXISTS filter, grouped by grid: one query whatever the number of
grids or households.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse

from linli.areas.models import Household
from linli.areas.querysets import HouseholdQuerySet
from linli.core.querysets import restrict_to
from linli.party.models import Pairing
from linli.residents.models import Resident
from linli.residents.querysets import ResidentQuerySet
from linli.support.choices import CARE_TAGS, AssistanceSource
from linli.support.models import Assistance, HelpPairing


def scoped_households(user, perm: str = "support.view"):
    """Households under the user's nodes where their role holds `perm` (none without it)."""
    rows = Household.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return rows.none()
    if user.is_superuser:
        return rows
    if not user.has_role_perm(perm):
        return rows.none()
    return restrict_to(rows, user, HouseholdQuerySet.scope_paths)


def in_need(households, tag=None, *, user=None):
    """Households with an active resident in a care group (or in `tag`).

    Reads the household's care_members (kept by linli.residents.care) through its partial index: a street's
    households in need without probing each of its 52,000 households for a tagged resident (issue 20). A tag
    narrows them to the households with an active resident carrying it; with `user` (whose scope `households`
    already has) those residents are looked up in the same area, through their own scope columns.
    """
    households = households.filter(care_members__gt=0)
    if tag is None:
        return households
    residents = Resident.objects.active().filter(tags=tag)
    if user is not None and not user.is_superuser:
        residents = restrict_to(residents, user, ResidentQuerySet.scope_paths)
    return households.filter(pk__in=residents.values("household_id"))


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def paired_q(year: int) -> Q:
    """The household had a party or a help pairing running during `year`."""
    first, last = year_bounds(year)
    during = Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    party = Pairing.objects.filter(during, household_id=OuterRef("pk"))
    help_ = HelpPairing.objects.filter(during, household_id=OuterRef("pk"))
    return Q(Exists(party)) | Q(Exists(help_))


def assisted_q(year: int) -> Q:
    first, last = year_bounds(year)
    return Q(Exists(Assistance.objects.filter(household_id=OuterRef("pk"), given_on__range=(first, last))))


@dataclass
class GridRow:
    grid_id: int | None
    label: str
    need: int = 0
    paired: int = 0
    assisted: int = 0

    @property
    def nothing(self) -> int:
        return self.need - self.assisted

    def add(self, other: GridRow) -> None:
        self.need += other.need
        self.paired += other.paired
        self.assisted += other.assisted


def grid_figures(user, year: int) -> tuple[list[GridRow], GridRow]:
    """One row per grid of the user's area holding households in need, and the total (one query)."""
    households = in_need(scoped_households(user), user=user)
    counts = (
        households.values("building__grid_id", "building__grid__name", "building__community__name")
        .annotate(
            need=Count("pk"),
            paired=Count("pk", filter=paired_q(year)),
            assisted=Count("pk", filter=assisted_q(year)),
        )
        .order_by("building__community__name", "building__grid__name", "building__grid_id")
    )
    rows = [
        GridRow(
            c["building__grid_id"],
            f"{c['building__community__name']} {c['building__grid__name'] or '未划网格'}",
            c["need"],
            c["paired"],
            c["assisted"],
        )
        for c in counts
    ]
    total = GridRow(None, "合计")
    for row in rows:
        total.add(row)
    return rows, total


def care_table_url(year: int, **filters) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"year": year, **filters}.items() if v not in (None, ""))
    return f"{reverse('support:care_table')}?{query}"


# -- the yearly table's cells -------------------------------------------------------------------------------------

SOURCES = list(AssistanceSource)


@dataclass
class CareRow:
    """One household of the yearly table: its care-group members, and per source the records and money."""

    household: Household
    people: list = field(default_factory=list)
    count: dict = field(default_factory=dict)  # source -> records
    amount: dict = field(default_factory=dict)  # source -> Decimal
    party_pairings: int = 0
    help_pairings: int = 0

    @property
    def total_count(self) -> int:
        return sum(self.count.values())

    @property
    def total_amount(self) -> Decimal:
        return sum(self.amount.values(), Decimal(0))

    @property
    def pairings(self) -> int:
        return self.party_pairings + self.help_pairings

    def cells(self) -> list:
        """The figures in the table's column order: per source (records, money), total records, total money,
        pairings."""
        out = []
        for source in SOURCES:
            out += [self.count.get(source, 0), self.amount.get(source, Decimal(0))]
        return out + [self.total_count, self.total_amount, self.pairings]


def care_rows(households, year: int, user) -> list[CareRow]:
    """The table's rows for `households` (a page of them): three grouped queries and one for the people."""
    households = list(households)
    ids = [h.pk for h in households]
    first, last = year_bounds(year)
    rows = {h.pk: CareRow(h) for h in households}
    sums = (
        Assistance.objects.filter(household_id__in=ids, given_on__range=(first, last))
        .values("household_id", "source")
        .annotate(n=Count("pk"), money=Sum("amount"))
        .order_by()
    )
    for s in sums:
        row = rows[s["household_id"]]
        row.count[s["source"]] = s["n"]
        row.amount[s["source"]] = s["money"] or Decimal(0)
    during = Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    for model, attr in ((Pairing, "party_pairings"), (HelpPairing, "help_pairings")):
        grouped = model.objects.filter(during, household_id__in=ids).values("household_id").annotate(n=Count("pk"))
        for g in grouped.order_by():
            setattr(rows[g["household_id"]], attr, g["n"])
    sensitive = user.is_superuser or user.has_role_perm("resident.view_sensitive")
    people = defaultdict(list)
    residents = Resident.objects.active().filter(household_id__in=ids, tags__code__in=CARE_TAGS).distinct()
    for r in residents.prefetch_related("tags").order_by("household_id", "pk"):
        tags = [t.name for t in r.tags.all() if t.code in CARE_TAGS and (sensitive or not t.sensitive)]
        people[r.household_id].append((r.name, tags))
    for pk, row in rows.items():
        row.people = people.get(pk, [])
    return [rows[pk] for pk in ids]
