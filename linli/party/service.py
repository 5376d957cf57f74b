"""What party members give the community, counted from the records other apps keep: volunteer hours (confirmed
attendance, linli.volunteers), micro-wishes claimed and fulfilled (linli.wishes), households paired with and contact
records (结对帮扶), and 三会一课 attended. Per member, and per 双报到 work unit (what the unit receives back).

A member's volunteer and wish records are the ones linked on the member (PartyMember.volunteer / .claimer). Each
function answers a whole set of members in a fixed number of queries (grouped sums), never one query per member.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from linli.party.choices import Attendance as Presence


@dataclass
class Figures:
    """One member's (or a unit's summed) service in a year."""

    volunteer_hours: Decimal = Decimal("0")
    activities: int = 0
    wishes_claimed: int = 0
    wishes_fulfilled: int = 0
    pairings: int = 0
    contacts: int = 0
    meetings_attended: int = 0
    meetings_expected: int = 0
    members: int = 1

    @property
    def attendance_rate(self) -> int | None:
        """Meetings attended out of those the member was expected at, in percent (None when none were held)."""
        if not self.meetings_expected:
            return None
        return round(100 * self.meetings_attended / self.meetings_expected)

    def cells(self, no_rate: str = "") -> list:
        """The figures as spreadsheet cells, in the order of the exports' columns (hours … attendance rate)."""
        rate = no_rate if self.attendance_rate is None else f"{self.attendance_rate}%"
        return [
            float(self.volunteer_hours),
            self.activities,
            self.wishes_claimed,
            self.wishes_fulfilled,
            self.pairings,
            self.contacts,
            self.meetings_attended,
            self.meetings_expected,
            rate,
        ]

    def add(self, other: Figures) -> None:
        for name in (
            "volunteer_hours",
            "activities",
            "wishes_claimed",
            "wishes_fulfilled",
            "pairings",
            "contacts",
            "meetings_attended",
            "meetings_expected",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class UnitFigures:
    unit: object
    total: Figures = field(default_factory=lambda: Figures(members=0))
    members: list = field(default_factory=list)  # (member, Figures), by hours then name


def year_span(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def year_moments(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year as [start, end) in local time: a range on a datetime column (an index serves it; `__date` would
    cast every row)."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def member_figures(members: Iterable, year: int) -> dict[int, Figures]:
    """{member id: Figures} for `members` (PartyMember rows, already restricted by the caller) in `year`."""
    from linli.party.models import MeetingAttendance, PairingContact

    members = list(members)
    out = {m.pk: Figures() for m in members}
    if not members:
        return out
    first, last = year_span(year)
    ids = list(out)
    roster = [(m.pk, "", m.volunteer_id, m.claimer_id) for m in members]  # (the name is not needed, nor loaded)
    hours = _hours_by_volunteer(roster, year) if any(m.volunteer_id for m in members) else {}
    claims = {}
    if any(m.claimer_id for m in members):
        rows = _claims_in_year(roster, year).values("claimer_id").annotate(**_CLAIM_COUNTS).order_by()
        claims = {row["claimer_id"]: (row["n"], row["done"]) for row in rows}
    for member in members:
        figures = out[member.pk]
        figures.volunteer_hours, figures.activities = hours.get(member.volunteer_id, (Decimal("0"), 0))
        figures.wishes_claimed, figures.wishes_fulfilled = claims.get(member.claimer_id, (0, 0))
    pairings = (
        _pairings_in_year(year)
        .filter(member_id__in=ids)
        .values("member_id")
        .annotate(n=Count("household_id", distinct=True))
        .order_by()
    )
    for row in pairings:
        out[row["member_id"]].pairings = row["n"]
    contacts = (
        PairingContact.objects.filter(pairing__member_id__in=ids, contacted_on__gte=first, contacted_on__lte=last)
        .values("pairing__member_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in contacts:
        out[row["pairing__member_id"]].contacts = row["n"]
    meetings = (
        MeetingAttendance.objects.filter(member_id__in=ids, meeting__held_on__gte=first, meeting__held_on__lte=last)
        .values("member_id")
        .annotate(n=Count("id"), present=Count("id", filter=Q(status=Presence.PRESENT)))
        .order_by()
    )
    for row in meetings:
        out[row["member_id"]].meetings_expected = row["n"]
        out[row["member_id"]].meetings_attended = row["present"]
    return out


def unit_figures(units: Iterable, year: int) -> list[UnitFigures]:
    """Each 双报到 unit's members (active, confirmed) and their summed service in `year`."""
    from linli.party.models import PartyMember

    units = list(units)
    members = list(
        PartyMember.objects.filter(work_unit__in=units, is_active=True, review="confirmed").order_by("name", "pk")
    )
    figures = member_figures(members, year)
    result = {u.pk: UnitFigures(unit=u) for u in units}
    for member in members:
        entry = result[member.work_unit_id]
        entry.members.append((member, figures[member.pk]))
        entry.total.add(figures[member.pk])
        entry.total.members += 1
    for entry in result.values():
        entry.members.sort(key=lambda pair: (-pair[1].volunteer_hours, pair[0].name))
    return [result[u.pk] for u in units]


#: Claims counted, and of them fulfilled.
_CLAIM_COUNTS = {"n": Count("id"), "done": Count("id", filter=Q(fulfilled=True))}


def _claims_in_year(rows, year: int):
    """The roster's wish claims made in `year`: a claim given back (released) was not service, unless the wish came
    true before it was."""
    from linli.wishes.models import WishClaim

    start, end = year_moments(year)
    claimers = sorted({row[3] for row in rows if row[3]})
    return WishClaim.objects.filter(claimer_id__in=claimers, claimed_at__gte=start, claimed_at__lt=end).filter(
        Q(released_at__isnull=True) | Q(fulfilled=True)
    )


def _pairings_in_year(year: int):
    from linli.party.models import Pairing

    first, last = year_span(year)
    return Pairing.objects.filter(started_on__lte=last).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))


def _roster(members) -> list[tuple]:
    """(pk, name, volunteer id, claimer id) of `members`, fetched once. Ids then go into the figures' queries as
    lists, not subqueries: a restricted queryset nests its own subqueries, which a planner may join badly."""
    return list(members.order_by().values_list("pk", "name", "volunteer_id", "claimer_id"))


def _hours_by_volunteer(rows, year: int) -> dict[int, tuple[Decimal, int]]:
    """{volunteer id: (confirmed hours, activities)} in `year` for the roster's volunteer records."""
    from linli.volunteers.choices import AttendanceStatus
    from linli.volunteers.models import Attendance

    start, end = year_moments(year)
    sums = (
        Attendance.objects.filter(
            volunteer_id__in=sorted({row[2] for row in rows if row[2]}),
            status=AttendanceStatus.CONFIRMED,
            activity__starts_at__gte=start,
            activity__starts_at__lt=end,
        )
        .values("volunteer_id")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by()
    )
    return {row["volunteer_id"]: (row["hours"] or Decimal("0"), row["n"]) for row in sums}


def summary(members, year: int, by: str) -> tuple[list[int], Figures]:
    """The service summary of a list of members (a queryset, restricted by the caller) in `year`: their ids in the
    order `by` ("hours", "contacts" or "name") and their summed Figures. The roster is read once and the volunteer
    hours grouped once, for the order and the total alike; each other source is one aggregate query, never a
    row per member (the street's page of 1,600 members)."""
    rows = _roster(members)
    hours = _hours_by_volunteer(rows, year)
    return _ranked(rows, year, by, hours), _total(rows, year, hours)


def total_figures(members, year: int) -> Figures:
    """The summed Figures of `members` (a PartyMember queryset, restricted by the caller) in `year`."""
    rows = _roster(members)
    return _total(rows, year, _hours_by_volunteer(rows, year))


def ranking(members, year: int, by: str) -> list[int]:
    """Ids of `members` (a queryset) in the summary's order: "hours" (volunteer hours, then activities), "contacts"
    (contact records, then households paired) or "name", in `year`."""
    rows = _roster(members)
    return _ranked(rows, year, by, _hours_by_volunteer(rows, year) if by == "hours" else {})


def _total(rows, year: int, hours: dict) -> Figures:
    """The roster's summed Figures: equal to the sum of member_figures() unless two members share a volunteer or
    claimer record (each record counts once)."""
    from linli.party.models import MeetingAttendance, PairingContact

    first, last = year_span(year)
    ids = [row[0] for row in rows]
    total = Figures(members=len(rows))
    total.volunteer_hours = sum((h for h, _ in hours.values()), Decimal("0"))
    total.activities = sum(n for _, n in hours.values())
    wishes = _claims_in_year(rows, year).aggregate(**_CLAIM_COUNTS)
    total.wishes_claimed, total.wishes_fulfilled = wishes["n"], wishes["done"]
    total.pairings = (
        _pairings_in_year(year).filter(member_id__in=ids).values("member_id", "household_id").distinct().count()
    )
    total.contacts = PairingContact.objects.filter(
        pairing__member_id__in=ids, contacted_on__gte=first, contacted_on__lte=last
    ).count()
    meetings = MeetingAttendance.objects.filter(
        member_id__in=ids, meeting__held_on__gte=first, meeting__held_on__lte=last
    ).aggregate(n=Count("id"), present=Count("id", filter=Q(status=Presence.PRESENT)))
    total.meetings_expected, total.meetings_attended = meetings["n"], meetings["present"]
    return total


def _ranked(rows, year: int, by: str, hours: dict) -> list[int]:
    """The roster's ids in the order `by`: one grouped query over the one source the order needs."""
    from linli.party.models import PairingContact

    if by not in ("hours", "contacts"):
        return [row[0] for row in sorted(rows, key=lambda row: (row[1], row[0]))]
    if by == "hours":
        score = {row[0]: hours.get(row[2], (0, 0)) for row in rows}
    else:
        first, last = year_span(year)
        ids = [row[0] for row in rows]
        contacts = (
            PairingContact.objects.filter(pairing__member_id__in=ids, contacted_on__gte=first, contacted_on__lte=last)
            .values("pairing__member_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts = {row["pairing__member_id"]: row["n"] for row in contacts}
        pairings = (
            _pairings_in_year(year)
            .filter(member_id__in=ids)
            .values("member_id")
            .annotate(n=Count("household_id", distinct=True))
            .order_by()
        )
        paired = {row["member_id"]: row["n"] for row in pairings}
        score = {row[0]: (counts.get(row[0], 0), paired.get(row[0], 0)) for row in rows}
    ordered = sorted(rows, key=lambda row: (-score[row[0]][0], -score[row[0]][1], row[1], row[0]))
    return [row[0] for row in ordered]
