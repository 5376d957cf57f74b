"""功能室 benchmark: city-scale rooms with a year of bookings, and the timetable pages that read them.

Run on PostgreSQL, in a database of its own:
    createdb linli_bench_places
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench_places .venv/bin/linli migrate
    DATABASE_URL=... .venv/bin/python bench/places.py [--communities 122] [--runs 40] [--keep]

What it does (and undoes: the street it creates, "【压测】功能室街道", is deleted at the end with every row under it):
- a street of 122 communities (a city's worth), 12 rooms each, and a year of bookings around today: about three a
  day per room on the days it is open (morning, afternoon, evening, some left free), through bulk_create (the
  no-overlap rule is tested elsewhere; this is about reads, with the exclusion constraint's index in place);
- measures, as a community's staff (12 rooms), through Django's test client against the same SQL on a raw cursor:
  the all-rooms day view (places:day) and a room's month (places:room_week for the 5 weeks of a month, each page
  and the five together); and the street administrator's day view of all 1,464 rooms. Goal: p95 <= 100 ms for
  the community's day view and for a week page of the month.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.areas.models import Community, Street  # noqa: E402
from linli.places.choices import BookerKind, BookingStatus, RoomKind  # noqa: E402
from linli.places.models import Booking, Room  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import bench_user, line, ms, run_page, slowest  # noqa: E402

STREET_CODE = "bench_places"
ROOMS = ["图书室", "书法室", "棋牌室", "四点半学校教室", "多功能厅", "舞蹈室", "乒乓球室", "会议室", "日间照料室",
         "心理咨询室", "手工室", "党员活动室"]  # fmt: skip
#: (start, end) hours of the day's three slots; each is booked with this probability.
SLOTS = [((9, 0), (11, 0)), ((14, 0), (16, 0)), ((19, 0), (20, 30))]
BOOKED = 0.85
TEAMS = ["书法队", "秧歌队", "合唱团", "棋牌协会", "读书会", "舞蹈队", "太极拳队", "老年大学", "青年志愿者"]


def at(day: datetime.date, hm) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hm)))


def clean_up() -> str:
    street = Street.objects.filter(code=STREET_CODE).first()
    if street is None:
        return "nothing to delete"
    with transaction.atomic():
        n = Booking.objects.filter(street=street).delete()[0]
        Room.objects.filter(street=street).delete()
        Community.objects.filter(street=street).delete()
        street.delete()
    return f"{n:,} bookings"


def build(communities: int, first: datetime.date, days: int, rng: random.Random):
    start = time.perf_counter()
    street = Street.objects.create(code=STREET_CODE, name="【压测】功能室街道")
    total = 0
    for n in range(communities):
        community = Community.objects.create(street=street, code=f"bpl{n:03d}", name=f"【压测】功能室{n + 1}社区")
        rooms = Room.objects.bulk_create(
            Room(
                community=community,
                street=street,
                name=name,
                kind=RoomKind.ACTIVITY,
                capacity=20 + 5 * i,
                sort=i,
                open_days=[0, 1, 2, 3, 4, 5] if i % 3 else [0, 1, 2, 3, 4, 5, 6],
                opens_at=datetime.time(8, 30),
                closes_at=datetime.time(21, 0),
            )
            for i, name in enumerate(ROOMS)
        )
        batch = []
        for room in rooms:
            for d in range(days):
                day = first + datetime.timedelta(days=d)
                if day.weekday() not in room.open_days:
                    continue
                for begin, end in SLOTS:
                    if rng.random() > BOOKED:
                        continue
                    past = day < timezone.localdate()
                    batch.append(
                        Booking(
                            room=room,
                            community=community,
                            street=street,
                            starts_at=at(day, begin),
                            ends_at=at(day, end),
                            status=BookingStatus.CONFIRMED if rng.random() > 0.05 else BookingStatus.CANCELLED,
                            purpose="活动",
                            expected_attendance=rng.randint(5, 30),
                            attendance=rng.randint(0, 30) if past else None,
                            booker_kind=BookerKind.TEAM,
                            booker_name=rng.choice(TEAMS),
                        )
                    )
        Booking.objects.bulk_create(batch, batch_size=5000)
        total += len(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE places_booking")
        cursor.execute("ANALYZE places_room")
    return street, total, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=122)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the street (to look at the pages)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    today = timezone.localdate()
    first = today - datetime.timedelta(days=182)
    print(f"cleaned up a previous run: {clean_up()}")
    try:
        street, total, built = build(args.communities, first, 365, rng)
        rooms = args.communities * len(ROOMS)
        print(
            f"database: {connection.vendor} {connection.settings_dict['NAME']}; {street.name}: {args.communities} "
            f"communities, {rooms:,} rooms, {total:,} bookings over a year, built in {built:.1f} s"
        )
        community = Community.objects.filter(street=street).order_by("code").first()
        staff = bench_user("bench_places_staff", Role.STAFF, community)
        admin = bench_user("bench_places_street", Role.STREET_ADMIN, street)
        room = Room.objects.filter(community=community, name="书法室").get()
        month = today.replace(day=1)
        mondays = [month - datetime.timedelta(days=month.weekday()) + datetime.timedelta(weeks=w) for w in range(5)]
        client = Client()
        client.force_login(staff)
        print()
        print(f"{'case':44} {'p50':>11} {'p95':>11} {'raw p50':>10} {'raw p95':>10} {'ratio':>6}")
        goals = {}
        url = f"{reverse('places:day')}?date={today.isoformat()}"
        page, raw, per, nq = run_page(client, url, args.runs)
        p95, _ = line("day view, a community's 12 rooms", page, raw, f"{nq:.0f} queries")
        goals["day view p95 <= 100 ms"] = (p95, 100)
        slowest(per, 2)
        week_url = reverse("places:room_week", args=[room.pk])
        weeks, month_total = [], []
        for monday in mondays:
            page, raw, per, nq = run_page(client, f"{week_url}?week={monday.isoformat()}", args.runs)
            weeks.append((page, raw))
        page = [t for p, _ in weeks for t in p]
        raw = [t for _, r in weeks for t in r]
        p95, _ = line("a room's week page (5 weeks of a month)", page, raw, f"{nq:.0f} queries")
        goals["week page of a month p95 <= 100 ms"] = (p95, 100)
        slowest(per, 2)
        month_total = [sum(p[i] for p, _ in weeks) for i in range(args.runs)]
        month_raw = [sum(r[i] for _, r in weeks) for i in range(args.runs)]
        line("a room's month (the 5 week pages together)", month_total, month_raw)
        client.force_login(admin)
        page, raw, per, nq = run_page(client, url, max(10, args.runs // 4))
        line(f"day view, the street's {rooms:,} rooms", page, raw, f"{nq:.0f} queries")
        slowest(per, 2)
        page, raw, per, nq = run_page(client, f"{url}&community={community.pk}", args.runs)
        line("day view, street admin, one community", page, raw, f"{nq:.0f} queries")
        print()
        for goal, (p95, limit) in goals.items():
            print(f"goal {goal}: {'met' if p95 <= limit else 'NOT met'} ({p95:.1f} ms, {p95 / limit:.2f} of the goal)")
        print(f"(month p95 {ms(month_total, 95):.1f} ms for five pages)")
    finally:
        if not args.keep:
            print(f"deleted the bench street: {clean_up()}")


if __name__ == "__main__":
    main()
