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
    from linli.party.models import MeetingAttendance, Pairing, PairingContact
    from linli.volunteers.choices import AttendanceStatus
    from linli.volunteers.models import Attendance
    from linli.wishes.models import WishClaim

    members = list(members)
    out = {m.pk: Figures() for m in members}
    if not members:
        return out
    first, last = year_span(year)
    start, end = year_moments(year)
    by_volunteer = {m.volunteer_id: m.pk for m in members if m.volunteer_id}
    by_claimer = {m.claimer_id: m.pk for m in members if m.claimer_id}
    ids = list(out)
    if by_volunteer:
        rows = (
            Attendance.objects.filter(
                volunteer_id__in=list(by_volunteer),
                status=AttendanceStatus.CONFIRMED,
                activity__starts_at__gte=start,
                activity__starts_at__lt=end,
            )
            .values("volunteer_id")
            .annotate(hours=Sum("hours"), n=Count("id"))
            .order_by()
        )
        for row in rows:
            figures = out[by_volunteer[row["volunteer_id"]]]
            figures.volunteer_hours += row["hours"] or Decimal("0")
            figures.activities += row["n"]
    if by_claimer:
        rows = (
            # A claim given back (released) was not service, unless the wish came true before it was.
            WishClaim.objects.filter(claimer_id__in=list(by_claimer), claimed_at__gte=start, claimed_at__lt=end)
            .filter(Q(released_at__isnull=True) | Q(fulfilled=True))
            .values("claimer_id")
            .annotate(n=Count("id"), done=Count("id", filter=Q(fulfilled=True)))
            .order_by()
        )
        for row in rows:
            figures = out[by_claimer[row["claimer_id"]]]
            figures.wishes_claimed += row["n"]
            figures.wishes_fulfilled += row["done"]
    pairings = (
        Pairing.objects.filter(member_id__in=ids, started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
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


def _pairings_in_year(year: int):
    from linli.party.models import Pairing

    first, last = year_span(year)
    return Pairing.objects.filter(started_on__lte=last).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))


def total_figures(members, year: int) -> Figures:
    """The summed Figures of `members` (a PartyMember queryset, restricted by the caller) in `year`, in one
    aggregate query per source and without a row per member: the totals above a street's list of 1,600 members.
    Equal to the sum of member_figures() unless two members share a volunteer or claimer record."""
    from linli.party.models import MeetingAttendance, PairingContact
    from linli.volunteers.choices import AttendanceStatus
    from linli.volunteers.models import Attendance
    from linli.wishes.models import WishClaim

    first, last = year_span(year)
    start, end = year_moments(year)
    # Ids as lists, not subqueries: a restricted queryset nests its own subqueries, which a planner may join badly.
    rows = list(members.order_by().values_list("pk", "volunteer_id", "claimer_id"))
    ids = [pk for pk, _, _ in rows]
    volunteers = sorted({v for _, v, _ in rows if v})
    claimers = sorted({c for _, _, c in rows if c})
    total = Figures(members=len(rows))
    hours = Attendance.objects.filter(
        volunteer_id__in=volunteers,
        status=AttendanceStatus.CONFIRMED,
        activity__starts_at__gte=start,
        activity__starts_at__lt=end,
    ).aggregate(hours=Sum("hours"), n=Count("id"))
    total.volunteer_hours, total.activities = hours["hours"] or Decimal("0"), hours["n"]
    wishes = (
        WishClaim.objects.filter(claimer_id__in=claimers, claimed_at__gte=start, claimed_at__lt=end)
        .filter(Q(released_at__isnull=True) | Q(fulfilled=True))
        .aggregate(n=Count("id"), done=Count("id", filter=Q(fulfilled=True)))
    )
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


def ranking(members, year: int, by: str) -> list[int]:
    """Ids of `members` (a queryset) in the summary's order: "hours" (volunteer hours, then activities), "contacts"
    (contact records, then households paired) or "name", in `year`. One grouped query over the one source the order
    needs: a street's list is ordered over every member and only its page gets the full member_figures()."""
    from linli.party.models import PairingContact
    from linli.volunteers.choices import AttendanceStatus
    from linli.volunteers.models import Attendance

    first, last = year_span(year)
    start, end = year_moments(year)
    rows = list(members.order_by().values_list("pk", "name", "volunteer_id"))
    if by not in ("hours", "contacts"):
        return [pk for pk, _, _ in sorted(rows, key=lambda row: (row[1], row[0]))]
    score: dict[int, tuple] = {}
    if by == "hours":
        sums = (
            Attendance.objects.filter(
                volunteer_id__in=sorted({v for _, _, v in rows if v}),
                status=AttendanceStatus.CONFIRMED,
                activity__starts_at__gte=start,
                activity__starts_at__lt=end,
            )
            .values("volunteer_id")
            .annotate(hours=Sum("hours"), n=Count("id"))
            .order_by()
        )
        by_volunteer = {row["volunteer_id"]: (row["hours"] or Decimal("0"), row["n"]) for row in sums}
        score = {pk: by_volunteer.get(volunteer_id, (0, 0)) for pk, _, volunteer_id in rows}
    else:
        ids = [pk for pk, _, _ in rows]
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
        score = {pk: (counts.get(pk, 0), paired.get(pk, 0)) for pk, _, _ in rows}
    ordered = sorted(rows, key=lambda row: (-score[row[0]][0], -score[row[0]][1], row[1], row[0]))
    return [pk for pk, _, _ in ordered]
