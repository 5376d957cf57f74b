"""Party benchmark: a street of 10 communities with ~160 members each, and the street's party pages.

Run on PostgreSQL (a database of its own, or the city-scale one: the script only touches the street it creates):
    createdb linli_bench_party
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench_party .venv/bin/linli migrate
    DATABASE_URL=... .venv/bin/python bench/party.py [--runs 40] [--keep]

What it does (and undoes: the street it creates, "【压测】党建街道", is deleted at the end with every row under it):
- a street of 10 communities, each with 15 grids and a building per grid (24 households each), the five-level
  party tree (大工委, 大党委, 社区党委, 15 网格党支部), 23 双报到 units and 160 members (40 registered here, 120
  in-service members of the units), through bulk_create (the services are tested elsewhere; this is about reads);
- a year of 三会一课 per branch (12 months x 4 meetings, attendance of the branch's members), volunteer
  activities with confirmed attendance and wish claims linked to the members, 80 pairings per community with
  about a contact a month;
- measures, as the street's party office (a street administrator), through Django's test client against the
  same SQL on a raw cursor: 党员服务汇总 for the whole street (1,600 members), and 三会一课落实情况 (party:compliance,
  built by the life part: skipped with a message while it is absent). Goal: each page p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.areas.models import Building, Community, Grid, Household, Street  # noqa: E402
from linli.areas.services import create_building  # noqa: E402
from linli.core.audit import Actor  # noqa: E402
from linli.core.models import ChangeRecord  # noqa: E402
from linli.party.choices import Attendance, MeetingKind, MemberStatus, OrgKind  # noqa: E402
from linli.party.models import (  # noqa: E402
    MeetingAttendance,
    Pairing,
    PairingContact,
    PartnerUnit,
    PartyMeeting,
    PartyMember,
    PartyOrg,
)
from linli.volunteers.choices import AttendanceMethod, AttendanceStatus  # noqa: E402
from linli.volunteers.models import Activity, Volunteer  # noqa: E402
from linli.volunteers.models import Attendance as VolunteerAttendance  # noqa: E402
from linli.wishes.models import Claimer, Wish, WishClaim  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import bench_user, line, run_page, slowest  # noqa: E402

STREET_CODE = "bench_party"
COMMUNITIES, GRIDS, UNITS, MEMBERS, PAIRINGS = 10, 15, 23, 160, 80
#: A month's 三会一课 of a branch in the bench (4 a month, 48 a year).
MONTHLY = (MeetingKind.COMMITTEE, MeetingKind.THEME_DAY, MeetingKind.GENERAL, MeetingKind.LECTURE)


def moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_community(street, street_org, n: int, year: int, rng: random.Random, actor) -> dict:
    community = Community.objects.create(street=street, code=f"bp{n:02d}", name=f"【压测】党建{n + 1}社区")
    grids = [Grid.objects.create(community=community, number=g + 1, name=f"第{g + 1}网格") for g in range(GRIDS)]
    for g, grid in enumerate(grids):
        create_building(
            Building(community=community, grid=grid, number=g + 1, name=f"{g + 1}栋", entrances=2, floors=6),
            actor,
        )
    households = list(Household.objects.filter(building__community=community).values_list("pk", flat=True))
    kw = {"street": street, "community": community}
    committee = PartyOrg.objects.create(
        kind=OrgKind.COMMUNITY_COMMITTEE, name=f"{community.name}大党委", parent=street_org, **kw
    )
    org = PartyOrg.objects.create(kind=OrgKind.COMMUNITY_ORG, name=f"{community.name}党委", parent=committee, **kw)
    branches = PartyOrg.objects.bulk_create(
        PartyOrg(kind=OrgKind.GRID_BRANCH, name=f"{grid.name}党支部", parent=org, grid=grid, **kw) for grid in grids
    )
    units = PartnerUnit.objects.bulk_create(
        PartnerUnit(name=f"共建单位{u + 1}", dual_registered=True, in_committee=u < 5, **kw) for u in range(UNITS)
    )
    members = []
    for i in range(MEMBERS):
        in_service = i >= 40
        members.append(
            PartyMember(
                name=f"党员{n + 1}-{i + 1}",
                phone=f"139{n:02d}{i:06d}",
                branch=branches[i % GRIDS],
                status=MemberStatus.IN_SERVICE if in_service else MemberStatus.REGISTERED,
                work_unit=units[i % UNITS] if in_service else None,
                **kw,
            )
        )
    members = PartyMember.objects.bulk_create(members)
    volunteers = Volunteer.objects.bulk_create(Volunteer(community=community, name=m.name) for m in members)
    claimers = Claimer.objects.bulk_create(Claimer(name=m.name, **kw) for m in members[::2])
    for m, v in zip(members, volunteers, strict=True):
        m.volunteer = v
    for m, c in zip(members[::2], claimers, strict=True):
        m.claimer = c
    PartyMember.objects.bulk_update(members, ["volunteer", "claimer"])

    days = [datetime.date(year, 1, 1) + datetime.timedelta(days=d) for d in range(0, 360, 6)]
    activities = Activity.objects.bulk_create(
        Activity(
            community=community,
            title="楼道清洁",
            kind="cleaning",
            starts_at=moment(day),
            ends_at=moment(day, 11),
            place="1栋",
            capacity=20,
        )
        for day in days
    )
    attendance = []
    for v in volunteers:
        for a in rng.sample(activities, 8):
            status = AttendanceStatus.CONFIRMED if rng.random() < 0.9 else AttendanceStatus.CHECKED_IN
            attendance.append(
                VolunteerAttendance(
                    activity=a, volunteer=v, status=status, method=AttendanceMethod.LEADER, hours=Decimal("2")
                )
            )
    VolunteerAttendance.objects.bulk_create(attendance, batch_size=2000)
    wishes = Wish.objects.bulk_create(Wish(title="一个新书包", beneficiary_name="居民", **kw) for _ in range(100))
    WishClaim.objects.bulk_create(
        WishClaim(
            wish=w,
            claimer=rng.choice(claimers),
            claimed_at=moment(rng.choice(days)),
            fulfilled=rng.random() < 0.7,
        )
        for w in wishes
    )

    meetings = []
    for branch in branches:
        for month in range(1, 13):
            for k, kind in enumerate(MONTHLY):
                day = datetime.date(year, month, 5 + 5 * k)
                meetings.append(PartyMeeting(org=branch, kind=kind, held_on=day, topic=f"{month}月{kind.label}", **kw))
    meetings = PartyMeeting.objects.bulk_create(meetings)
    by_branch: dict[int, list[int]] = {}
    for m in members:
        by_branch.setdefault(m.branch_id, []).append(m.pk)
    presence = [Attendance.PRESENT] * 8 + [Attendance.LEAVE, Attendance.ABSENT]
    MeetingAttendance.objects.bulk_create(
        (
            MeetingAttendance(meeting=meeting, member_id=member_id, status=rng.choice(presence))
            for meeting in meetings
            for member_id in by_branch[meeting.org_id]
        ),
        batch_size=5000,
    )

    paired = rng.sample(households, PAIRINGS)
    pairings = Pairing.objects.bulk_create(
        Pairing(member=members[i * 2], household_id=h, started_on=datetime.date(year, 1, 10), need="独居老人", **kw)
        for i, h in enumerate(paired)
    )
    PairingContact.objects.bulk_create(
        (
            PairingContact(pairing=p, kind="visit", contacted_on=datetime.date(year, month, 15), note="上门看望")
            for p in pairings
            for month in range(1, 13)
            if rng.random() < 0.85
        ),
        batch_size=5000,
    )
    return {"members": len(members), "meetings": len(meetings), "attendance": len(attendance)}


def build(year: int, rng: random.Random):
    actor = Actor.system("压测")
    start = time.perf_counter()
    with transaction.atomic():
        street = Street.objects.create(code=STREET_CODE, name="【压测】党建街道")
        street_org = PartyOrg.objects.create(
            kind=OrgKind.STREET_COMMITTEE, name="【压测】党建街道大工委", street=street
        )
        totals: dict[str, int] = {}
        for n in range(COMMUNITIES):
            for key, value in build_community(street, street_org, n, year, rng, actor).items():
                totals[key] = totals.get(key, 0) + value
    with connection.cursor() as cursor:  # bulk-loaded tables: the planner's statistics, as production has them
        cursor.execute("ANALYZE")
    return street, totals, time.perf_counter() - start


def clean_up() -> bool:
    street = Street.objects.filter(code=STREET_CODE).first()
    if street is None:
        return False
    with transaction.atomic():
        communities = Community.objects.filter(street=street)
        members = PartyMember.objects.filter(street=street)
        PairingContact.objects.filter(pairing__street=street).delete()
        Pairing.objects.filter(street=street).delete()
        MeetingAttendance.objects.filter(meeting__street=street).delete()
        PartyMeeting.objects.filter(street=street).delete()
        volunteers = list(members.exclude(volunteer=None).values_list("volunteer_id", flat=True))
        claimers = list(members.exclude(claimer=None).values_list("claimer_id", flat=True))
        members.delete()
        WishClaim.objects.filter(claimer_id__in=claimers).delete()
        Wish.objects.filter(street=street).delete()
        Claimer.objects.filter(pk__in=claimers).delete()
        VolunteerAttendance.objects.filter(volunteer_id__in=volunteers).delete()
        Activity.objects.filter(community__in=communities).delete()
        Volunteer.objects.filter(pk__in=volunteers).delete()
        PartnerUnit.objects.filter(street=street).delete()
        for kind in (OrgKind.GRID_BRANCH, OrgKind.COMMUNITY_ORG, OrgKind.COMMUNITY_COMMITTEE, OrgKind.STREET_COMMITTEE):
            PartyOrg.objects.filter(street=street, kind=kind).delete()
        households = Household.objects.filter(building__community__in=communities)
        buildings = Building.objects.filter(community__in=communities)
        ChangeRecord.objects.filter(
            content_type__model__in=["building", "household"],
            object_id__in=[str(pk) for pk in buildings.values_list("pk", flat=True)],
        ).delete()
        households.delete()
        buildings.delete()
        Grid.objects.filter(community__in=communities).delete()
        communities.delete()
        street.delete()
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the street (to look at the pages)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    year = timezone.localdate().year
    clean_up()  # a run killed half-way left its street
    try:
        street, totals, built = build(year, rng)
        print(
            f"database: {connection.vendor} {connection.settings_dict['NAME']}; {street.name}: "
            f"{COMMUNITIES} communities, "
            f"{totals['members']:,} members, {totals['meetings']:,} meetings, {totals['attendance']:,} volunteer "
            f"attendances, built in {built:.1f} s"
        )
        admin = bench_user("bench_party_street", Role.STREET_ADMIN, street)
        client = Client()
        client.force_login(admin)
        pages = [("党员服务汇总, street (1,600 members)", "party:service_summary", f"?year={year}")]
        pages.append(("党员服务汇总, street, sorted by name", "party:service_summary", f"?year={year}&sort=name"))
        pages.append(("结对帮扶 list, street", "party:pairing_list", ""))
        pages.append(("三会一课落实情况, street", "party:compliance", f"?year={year}&month=6"))
        goals = {}
        print()
        print(f"{'case':44} {'p50':>11} {'p95':>11} {'raw p50':>10} {'raw p95':>10} {'ratio':>6}")
        for label, name, query in pages:
            try:
                url = reverse(name) + query
            except NoReverseMatch:
                print(f"{label:44} skipped: {name} is not in this build (the life part adds it)")
                continue
            page, raw, per, nq = run_page(client, url, args.runs)
            p95, _ = line(label, page, raw, f"{nq:.0f} queries")
            goals[f"{label} p95 <= 300 ms"] = (p95 <= 300, f"{p95:.1f} ms", p95 / 300)
            slowest(per, 2)
        print()
        for goal, (met, figure, ratio) in goals.items():
            print(f"goal {goal}: {'met' if met else 'NOT met'} ({figure}, {ratio:.2f} of the goal)")
    finally:
        if not args.keep:
            print(f"deleted the bench street: {clean_up()}")


if __name__ == "__main__":
    main()
