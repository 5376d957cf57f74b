"""走访统计: coverage of the care groups per grid, per care group and per worker (the 23766 rule).

Every figure is an aggregate query over the user's scope (conditional COUNTs grouped by grid or
tag), so the page costs the same handful of queries for a grid or for a whole street:
grids, resident figures per grid, care-group tags, figures per tag, visits per worker, the workers.

Definitions (decided here):
- care-group resident: an active resident with a visit interval (some active tag carries one);
- visited within their interval: next due date today or later;
- overdue by d days: due date d days ago; buckets 1-7, 8-30 and more than 30 days;
- household known: some resident of the household had a completed visit (见面/电话/拒访) in the
  last 365 days; the base is the households where active residents in scope live. Goal: 70%;
- a worker's week is the last 7 days including today. 走访次数 counts every visit record they
  logged in scope; 入户天数 counts the distinct days with a visit made on the spot (phone calls are
  not field days). Goal: 3 days. Listed: everyone who logged visits in scope, and the grid workers
  assigned to the grids in scope (so that a worker with no visits shows up with zero).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from linli.accounts.choices import Role
from linli.accounts.models import User
from linli.areas.models import Grid, Household
from linli.core.figures import percent
from linli.residents.models import Resident, Tag
from linli.visits.choices import COMPLETED_OUTCOMES, Outcome
from linli.visits.models import Visit

#: 23766: know at least 70% of households, be in the field at least 3 days a week.
HOUSEHOLDS_GOAL_PCT = 70
FIELD_DAYS_GOAL = 3
KNOWN_WITHIN_DAYS = 365
WEEK_DAYS = 7
#: Lateness buckets: key -> (min days late, max days late or None).
LATENESS = {"1-7": (1, 7), "8-30": (8, 30), "31+": (31, None)}
#: Outcomes that put the worker on the spot (a phone call does not).
FIELD_OUTCOMES = (Outcome.MET, Outcome.NOT_HOME, Outcome.REFUSED)
NO_GRID = "none"


def lateness_q(key: str, today: datetime.date, prefix: str = "") -> Q:
    """Residents whose due date is `key` (a LATENESS key) days in the past."""
    low, high = LATENESS[key]
    q = Q(**{f"{prefix}visit_due_on__lte": today - datetime.timedelta(days=low)})
    if high is not None:
        q &= Q(**{f"{prefix}visit_due_on__gte": today - datetime.timedelta(days=high)})
    return q


@dataclass
class CoverageRow:
    label: str
    grid_key: str = ""  # the drill-down's grid parameter; "" for the total
    care: int = 0
    on_time: int = 0
    late_1_7: int = 0
    late_8_30: int = 0
    late_31: int = 0
    households: int = 0
    known: int = 0

    @property
    def overdue(self) -> int:
        return self.late_1_7 + self.late_8_30 + self.late_31

    @property
    def on_time_pct(self) -> int | None:
        return percent(self.on_time, self.care)

    @property
    def known_pct(self) -> int | None:
        return percent(self.known, self.households)

    @property
    def known_meets_goal(self) -> bool:
        return self.known_pct is not None and self.known_pct >= HOUSEHOLDS_GOAL_PCT

    def add(self, other: CoverageRow) -> None:
        for name in ("care", "on_time", "late_1_7", "late_8_30", "late_31", "households", "known"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class TagRow:
    tag: Tag
    members: int = 0
    late_1_7: int = 0
    late_8_30: int = 0
    late_31: int = 0

    @property
    def overdue(self) -> int:
        return self.late_1_7 + self.late_8_30 + self.late_31


@dataclass
class WorkerRow:
    user: User
    visits: int = 0
    field_days: int = 0

    @property
    def meets_goal(self) -> bool:
        return self.field_days >= FIELD_DAYS_GOAL


@dataclass
class CoverageReport:
    today: datetime.date
    grids: list[CoverageRow] = field(default_factory=list)
    total: CoverageRow = field(default_factory=lambda: CoverageRow(label="合计"))
    tags: list[TagRow] = field(default_factory=list)
    workers: list[WorkerRow] = field(default_factory=list)


def _bucket_counts(today: datetime.date, prefix: str = "") -> dict:
    return {
        "late_1_7": Count("id", filter=lateness_q("1-7", today, prefix)),
        "late_8_30": Count("id", filter=lateness_q("8-30", today, prefix)),
        "late_31": Count("id", filter=lateness_q("31+", today, prefix)),
    }


def coverage_report(user, today: datetime.date | None = None, community_id: int | None = None) -> CoverageReport:
    """The report over the user's scope, or over one community of it (`community_id`, a dashboard's link)."""
    today = today or timezone.localdate()
    report = CoverageReport(today=today)
    residents = Resident.objects.restrict(user).active()
    one = {"community_id": community_id} if community_id else {}
    residents = residents.filter(**one)

    # 1. Per grid (and the residents without a grid).
    # Known households are found once per household, as one uncorrelated IN (...) list that PostgreSQL
    # hashes, rather than by an EXISTS per resident inside the aggregate (4x slower, see docs/benchmarks.md).
    known_visit = Visit.objects.filter(
        resident__household_id=OuterRef("pk"),
        outcome__in=COMPLETED_OUTCOMES,
        visited_on__gt=today - datetime.timedelta(days=KNOWN_WITHIN_DAYS),
        visited_on__lte=today,
    )
    known_households = Household.objects.filter(pk__in=residents.values("household_id")).filter(Exists(known_visit))
    stats = (
        residents.values("grid_id")
        .annotate(
            care=Count("id", filter=Q(visit_interval_days__isnull=False)),
            on_time=Count("id", filter=Q(visit_interval_days__isnull=False, visit_due_on__gte=today)),
            households=Count("household_id", distinct=True),
            known=Count("household_id", distinct=True, filter=Q(household_id__in=known_households.values("pk"))),
            **_bucket_counts(today),
        )
        .order_by()
    )
    by_grid = {row.pop("grid_id"): row for row in stats}
    grids = list(
        Grid.objects.restrict(user)
        .filter(**one)
        .select_related("community")
        .order_by("community__name", "number", "id")
    )
    for grid in grids:
        row = CoverageRow(label=f"{grid.community.name} {grid.name}", grid_key=str(grid.pk), **by_grid.pop(grid.pk, {}))
        report.grids.append(row)
    if None in by_grid:
        report.grids.append(CoverageRow(label="未分配网格", grid_key=NO_GRID, **by_grid.pop(None)))
    # A resident whose grid is out of the user's grid scope (seen through a building assignment).
    for grid_id, figures in by_grid.items():
        report.grids.append(CoverageRow(label=f"网格 {grid_id}", grid_key=str(grid_id), **figures))
    for row in report.grids:
        report.total.add(row)

    # 2. Per care group: members and overdue by lateness.
    tags = list(Tag.objects.restrict(user).visible_to(user).filter(is_active=True, visit_interval_days__isnull=False))
    tag_stats = (
        residents.filter(tags__in=[t.pk for t in tags])
        .values("tags")
        .annotate(members=Count("id"), **_bucket_counts(today))
        .order_by()
    )
    by_tag = {row.pop("tags"): row for row in tag_stats}
    report.tags = [TagRow(tag=t, **by_tag.get(t.pk, {})) for t in tags]

    # 3. Per worker, the last 7 days.
    week_start = today - datetime.timedelta(days=WEEK_DAYS - 1)
    worker_stats = (
        Visit.objects.restrict(user)
        .filter(visited_on__gte=week_start, visited_on__lte=today, visitor__isnull=False, **one)
        .values("visitor_id")
        .annotate(
            visits=Count("id"),
            field_days=Count("visited_on", distinct=True, filter=Q(outcome__in=FIELD_OUTCOMES)),
        )
        .order_by()
    )
    by_worker = {row.pop("visitor_id"): row for row in worker_stats}
    workers = (
        User.objects.filter(
            Q(pk__in=list(by_worker))
            | Q(is_active=True, role=Role.GRID_WORKER, assignments__grid_id__in=[g.pk for g in grids])
        )
        .distinct()
        .order_by("full_name", "username")
    )
    report.workers = [WorkerRow(user=w, **by_worker.get(w.pk, {})) for w in workers]
    return report
