"""三会一课 compliance: which of a branch's meetings the rules want in a month, and whether they were held.

The rules (choices.MEETING_RULES): 支部党员大会 and 党课 at least once a quarter, 支部委员会, 党小组会 and 主题党日 at
least once a month. A cell is one (branch, kind, month); its period is the month, or the calendar quarter containing
the month, so the three months of a quarter show the same status for a quarterly kind.

Decisions (docs/party-life.md says the same for users):
- A meeting counts for the period its date falls in (a 支部党员大会 on 30 September is Q3's, not Q4's).
- 党小组会 is held by each 党小组 of the branch: the cell is 已开展 when every active group held one in the month;
  a branch without groups is not asked for it (无需开展). A community party organisation has no groups.
- A branch established during a period owes that period's meetings; periods that ended before its establishment are
  不适用.
- A period still open and without a meeting is 待开展, 即将到期 in its last 7 days (the reminder goes then); a
  period that has closed without one is 未开展; a period that has not begun yet is 未到.

Everything here is pure functions on dates, plus `table`, which reads one year of meetings for a whole set of
branches with a fixed number of queries (branches, their groups, meetings grouped by org, kind and month) — never
one query per cell.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from linli.party.choices import BRANCH_KINDS, MEETING_RULES, MeetingKind, OrgKind, Period

#: Days before a period closes from which an open period is 即将到期 (and its secretary reminded).
SOON_DAYS = 7

HELD, MISSING, DUE, SOON = "held", "missing", "due", "soon"
NOT_APPLICABLE, NOT_REQUIRED, FUTURE = "na", "not_required", "future"

#: Status -> (label, symbol): the table shows both, so that colour is never the only sign.
STATUS = {
    HELD: ("已开展", "✓"),
    MISSING: ("未开展", "✗"),
    DUE: ("待开展", "○"),
    SOON: ("即将到期", "!"),
    NOT_APPLICABLE: ("不适用", "—"),
    NOT_REQUIRED: ("无需开展", "—"),
    FUTURE: ("未到", "·"),
}
#: Short names for the year view's cells.
SHORT = {
    MeetingKind.GENERAL: "大会",
    MeetingKind.COMMITTEE: "支委",
    MeetingKind.GROUP: "小组",
    MeetingKind.LECTURE: "党课",
    MeetingKind.THEME_DAY: "党日",
}
KIND_LABELS = dict(MeetingKind.choices)
#: The kinds in the table's column order.
KINDS = [MeetingKind.GENERAL, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE, MeetingKind.THEME_DAY]


def month_span(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_span(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The calendar quarter containing `month`."""
    q = quarter_of(month)
    return month_span(year, 3 * q - 2)[0], month_span(year, 3 * q)[1]


@lru_cache(maxsize=4096)
def period_span(kind: str, year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the period of `kind` that contains `month`."""
    if MEETING_RULES[kind] == Period.QUARTER:
        return quarter_span(year, month)
    return month_span(year, month)


@lru_cache(maxsize=4096)
def period_months(kind: str, year: int, month: int) -> tuple[int, ...]:
    """The months of the period of `kind` containing `month`."""
    if MEETING_RULES[kind] == Period.QUARTER:
        q = quarter_of(month)
        return (3 * q - 2, 3 * q - 1, 3 * q)
    return (month,)


@lru_cache(maxsize=4096)
def period_label(kind: str, year: int, month: int) -> str:
    if MEETING_RULES[kind] == Period.QUARTER:
        return f"{year}年第{quarter_of(month)}季度"
    return f"{year}年{month}月"


def status_of(
    held: bool,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    established_on: datetime.date | None = None,
) -> str:
    """The status of one period [start, end] on `today`, given whether a meeting was held in it."""
    if held:
        return HELD
    if established_on is not None and established_on > end:
        return NOT_APPLICABLE
    if today > end:
        return MISSING
    if today < start:
        return FUTURE
    return SOON if (end - today).days <= SOON_DAYS else DUE


def allowed_kinds(org) -> list[str]:
    """What an organisation records: a 党小组 its 党小组会, a branch (or the community organisation) the rest."""
    if org.kind == OrgKind.GROUP:
        return [MeetingKind.GROUP]
    if org.kind in BRANCH_KINDS:
        return [k for k in KINDS if k != MeetingKind.GROUP]
    return []


@dataclass
class Cell:
    """One (branch, kind, month) of the table."""

    org: object
    kind: str
    year: int
    month: int
    status: str
    held: int = 0
    groups: int = 0  # 党小组会: the branch's active groups, and how many of them held one
    groups_held: int = 0

    @property
    def label(self) -> str:
        return STATUS[self.status][0]

    @property
    def symbol(self) -> str:
        return STATUS[self.status][1]

    @property
    def short(self) -> str:
        return SHORT[self.kind]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def span(self) -> tuple[datetime.date, datetime.date]:
        return period_span(self.kind, self.year, self.month)

    @property
    def period(self) -> str:
        return period_label(self.kind, self.year, self.month)

    @property
    def needs_meeting(self) -> bool:
        """A secretary can still do something about it (or record one held and not yet entered)."""
        return self.status in (MISSING, DUE, SOON)

    @property
    def detail(self) -> str:
        """The text beside the status (how many held; for 党小组会 how many groups)."""
        if self.kind == MeetingKind.GROUP and self.groups and self.status != NOT_APPLICABLE:
            return f"{self.groups_held}/{self.groups}个党小组"
        if self.held > 1:
            return f"{self.held}次"
        return ""


@dataclass
class Row:
    """One branch: its cells by month (1–12), each a list in KINDS order."""

    org: object
    months: dict[int, list[Cell]] = field(default_factory=dict)
    shown: list[Cell] = field(default_factory=list)  # the month a page shows (grouped())

    def cells(self, month: int) -> list[Cell]:
        return self.months[month]


@dataclass
class Totals:
    """Counts of cells by status (for a month, over a community's or the street's branches)."""

    held: int = 0
    missing: int = 0
    due: int = 0
    soon: int = 0

    def add(self, cell: Cell) -> None:
        if cell.status in (HELD, MISSING, DUE, SOON):
            setattr(self, cell.status, getattr(self, cell.status) + 1)

    @property
    def required(self) -> int:
        return self.held + self.missing + self.due + self.soon

    @property
    def rate(self) -> int | None:
        """Held out of what was due by now (closed periods and held ones), in percent."""
        base = self.held + self.missing
        return round(100 * self.held / base) if base else None


@dataclass
class Group:
    """The branches of one community with their totals for the month shown."""

    community: object
    rows: list[Row]
    totals: Totals


def _counts(branches, groups, year: int):
    """{(branch id, kind, month): meetings} and {(group id, month): meetings} in one grouped query."""
    from linli.party.models import PartyMeeting

    ids = [b.pk for b in branches] + [g.pk for g in groups]
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (
        PartyMeeting.objects.filter(org_id__in=ids, held_on__gte=start, held_on__lte=end)
        .annotate(month=ExtractMonth("held_on"))
        .values("org_id", "kind", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    group_ids = {g.pk for g in groups}
    by_branch: dict = defaultdict(int)
    by_group: dict = defaultdict(int)
    for row in rows:
        if row["org_id"] in group_ids:
            if row["kind"] == MeetingKind.GROUP:
                by_group[row["org_id"], row["month"]] += row["n"]
        else:
            by_branch[row["org_id"], row["kind"], row["month"]] += row["n"]
    return by_branch, by_group


def table(branches, year: int, today: datetime.date, months=range(1, 13)) -> list[Row]:
    """A row per branch (PartyOrg of BRANCH_KINDS, already restricted by the caller), cells for `months` of `year`.

    Three queries whatever the number of branches: the branches, their active groups, the year's meetings grouped."""
    from linli.party.models import PartyOrg

    branches = list(branches)
    groups = list(PartyOrg.objects.filter(parent__in=[b.pk for b in branches], kind=OrgKind.GROUP, is_active=True))
    by_branch, by_group = _counts(branches, groups, year)
    groups_of: dict = defaultdict(list)
    for g in groups:
        groups_of[g.parent_id].append(g.pk)
    rows = []
    for org in branches:
        row = Row(org=org)
        for month in months:
            cells = []
            for kind in KINDS:
                start, end = period_span(kind, year, month)
                in_period = period_months(kind, year, month)
                if kind == MeetingKind.GROUP:
                    mine = groups_of.get(org.pk, [])
                    if not mine:
                        cells.append(Cell(org, kind, year, month, NOT_REQUIRED))
                        continue
                    done = sum(1 for g in mine if by_group.get((g, month)))
                    held = sum(by_group.get((g, month), 0) for g in mine)
                    status = status_of(done == len(mine), start, end, today, org.established_on)
                    cells.append(Cell(org, kind, year, month, status, held, len(mine), done))
                    continue
                held = sum(by_branch.get((org.pk, kind, m), 0) for m in in_period)
                cells.append(
                    Cell(org, kind, year, month, status_of(bool(held), start, end, today, org.established_on), held)
                )
            row.months[month] = cells
        rows.append(row)
    return rows


def grouped(rows: list[Row], month: int) -> list[Group]:
    """Rows by community (in the order given), each community's totals for `month`."""
    out: dict = {}
    for row in rows:
        community = row.org.community
        group = out.get(community.pk)
        if group is None:
            group = out[community.pk] = Group(community=community, rows=[], totals=Totals())
        group.rows.append(row)
        row.shown = row.cells(month)
        for cell in row.shown:
            group.totals.add(cell)
    return list(out.values())


def month_totals(rows: list[Row], month: int) -> Totals:
    totals = Totals()
    for row in rows:
        for cell in row.cells(month):
            totals.add(cell)
    return totals
