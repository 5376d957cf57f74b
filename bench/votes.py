"""Votes benchmark: a vote of 20,000 households in one street — casting a ballot and the live result page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_votes_bench .venv/bin/linli migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_votes_bench .venv/bin/python bench/votes.py \
        [--households 20000] [--casts 2000] [--page-casts 200] [--runs 60] [--keep]

The benchmark makes its own street (表决测试街) with one large community of 100 buildings (200 households each,
floor areas 60–120 ㎡, one household in twenty without an area, one resident per household), a community-wide
matter and a vote by households and area (民法典重大事项), commits them, and deletes them afterwards (--keep leaves
them). Cases:
- open: open_vote fixing the 20,000-household list (once);
- cast (service): linli.votes.services.cast_ballot at the door, one household after another, each its own
  transaction and commit; every tenth is a replacement of an earlier ballot;
- cast (page): a staff member's POST of a paper ballot through Django's test client (session, middleware, form,
  service, redirect);
- result page: /votes/<id>/ for the community secretary with the ballots in (BuildingTally: 100 rows);
- recount: the result counted from the ballots themselves (what closing does), and tally == recount is checked.
Goals: cast p95 <= 100 ms, result page p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
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
from django.urls import reverse  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.areas.models import Building, Community, Grid, Household, Street  # noqa: E402
from linli.core.audit import Actor  # noqa: E402
from linli.core.models import ChangeRecord  # noqa: E402
from linli.deliberation.choices import MatterScope  # noqa: E402
from linli.deliberation.models import Matter  # noqa: E402
from linli.residents.models import Resident  # noqa: E402
from linli.votes import services  # noqa: E402
from linli.votes.choices import Channel, Choice, VoteRule  # noqa: E402
from linli.votes.models import Ballot, BallotChange, BuildingTally, EligibleHousehold, Vote  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import bench_user, ms, run_page  # noqa: E402

PREFIX = "bench_vote_"
ACTOR = Actor.cli("bench")
PER_BUILDING = 200


def setup(households: int):
    rng = random.Random(278)
    buildings_n = max(1, households // PER_BUILDING)
    with transaction.atomic():
        street = Street.objects.create(code=f"{PREFIX}street", name="表决测试街")
        community = Community.objects.create(street=street, code=f"{PREFIX}c", name="表决测试社区")
        grids = Grid.objects.bulk_create(
            [Grid(community=community, number=g + 1, name=f"第{g + 1}网格") for g in range(10)]
        )
        buildings = Building.objects.bulk_create(
            [
                Building(
                    community=community,
                    grid=grids[b % 10],
                    number=b + 1,
                    name=f"{b + 1}栋",
                    entrances=4,
                    floors=25,
                    rooms_per_floor=2,
                )
                for b in range(buildings_n)
            ]
        )
        rows = []
        for b in buildings:
            for n in range(PER_BUILDING):
                entrance, rest = divmod(n, 50)
                floor, room = divmod(rest, 2)
                area = None if rng.random() < 0.05 else Decimal(rng.randint(6000, 12000)) / 100
                rows.append(
                    Household(
                        building=b,
                        entrance=entrance + 1,
                        floor=floor + 1,
                        room=f"{floor + 1}0{room + 1}",
                        floor_area=area,
                    )
                )
        homes = Household.objects.bulk_create(rows, batch_size=2000)
        by_building = {b.pk: b for b in buildings}
        Resident.objects.bulk_create(
            [
                Resident(
                    name=f"住户{i}",
                    household=h,
                    street=street,
                    community=community,
                    grid_id=by_building[h.building_id].grid_id,
                    building_id=h.building_id,
                )
                for i, h in enumerate(homes)
            ],
            batch_size=2000,
        )
        matter = Matter.objects.create(community=community, title="全社区加装充电桩", scope=MatterScope.COMMUNITY)
        vote = services.create_vote(
            actor=ACTOR,
            matter=matter,
            title="是否同意全社区加装充电桩",
            rule=VoteRule.CIVIL_CODE_MAJOR,
            weigh_by_area=True,
            secret=False,
        )
    return street, community, vote


def cleanup(street_code=f"{PREFIX}street"):
    street = Street.objects.filter(code=street_code).first()
    if street is None:
        return
    with transaction.atomic():
        votes = Vote.objects.filter(street=street)
        ids = list(votes.values_list("pk", flat=True))
        ballot_ids = list(Ballot.objects.filter(vote_id__in=ids).values_list("pk", flat=True))
        ChangeRecord.objects.filter(content_type__model="ballot", object_id__in=ballot_ids).delete()
        ChangeRecord.objects.filter(content_type__model="vote", object_id__in=ids).delete()
        BallotChange.objects.filter(vote_id__in=ids).delete()
        Ballot.objects.filter(vote_id__in=ids).delete()
        EligibleHousehold.objects.filter(vote_id__in=ids).delete()
        BuildingTally.objects.filter(vote_id__in=ids).delete()
        votes.delete()
        Matter.objects.filter(street=street).delete()
        Resident.objects.filter(street=street).delete()
        Household.objects.filter(building__community__street=street).delete()
        Building.objects.filter(community__street=street).delete()
        Grid.objects.filter(community__street=street).delete()
        Community.objects.filter(street=street).delete()
        street.delete()


def report(name, seconds, extra=""):
    print(
        f"{name:40} n={len(seconds):5}  p50 {ms(seconds, 50):7.1f} ms  p95 {ms(seconds, 95):7.1f} ms  {extra}",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20000)
    parser.add_argument("--casts", type=int, default=2000)
    parser.add_argument("--page-casts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    cleanup()
    t0 = time.perf_counter()
    street, community, vote = setup(args.households)
    print(f"setup: {args.households} households in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    vote = services.open_vote(vote, actor=ACTOR)
    print(f"open_vote (fixing {vote.eligible.count()} households): {(time.perf_counter() - t0) * 1000:.0f} ms")

    rng = random.Random(1)
    reps = list(Resident.objects.filter(community=community).select_related("household").order_by("pk"))
    rng.shuffle(reps)
    choices = [Choice.FOR] * 7 + [Choice.AGAINST] * 2 + [Choice.ABSTAIN]
    timings = []
    for i in range(args.casts):
        rep = reps[i // 10] if i % 10 == 9 else reps[i]  # every tenth replaces an earlier household's ballot
        start = time.perf_counter()
        services.cast_ballot(ACTOR, vote, rep.household, rng.choice(choices), rep, Channel.DOOR)
        timings.append(time.perf_counter() - start)
    report("cast_ballot (service, door)", timings)

    staff = bench_user(f"{PREFIX}staff", Role.STAFF, community)
    secretary = bench_user(f"{PREFIX}secretary", Role.SECRETARY, community)
    client = Client()
    client.force_login(staff)
    url = reverse("votes:vote_paper", args=[vote.pk])
    timings = []
    for i in range(args.page_casts):
        rep = reps[args.casts + i]
        data = {
            "household": rep.household_id,
            "representative": rep.pk,
            "choice": rng.choice(choices),
            "paper_number": f"B-{i:05d}",
        }
        start = time.perf_counter()
        response = client.post(url, data)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
    report("paper ballot (page POST)", timings)

    client.force_login(secretary)
    page, raw, _, queries = run_page(client, reverse("votes:vote_detail", args=[vote.pk]), args.runs)
    report("live result page /votes/<id>/", page, f"({queries:.0f} queries)")
    page, raw, _, queries = run_page(client, f"/api/votes/{vote.pk}/result", args.runs)
    report("API result /api/votes/<id>/result", page, f"({queries:.0f} queries)")

    start = time.perf_counter()
    recount = services.recount(vote)
    print(f"recount from {recount.counts.participating} ballots: {(time.perf_counter() - start) * 1000:.0f} ms")
    assert services.tally(vote).as_json() == recount.as_json(), "tally differs from the recount"
    print("tally == recount: yes")
    for t in recount.thresholds:
        print("  " + t.text)
    if not args.keep:
        cleanup()
        bench_user_cleanup = [staff, secretary]
        for user in bench_user_cleanup:
            user.delete()


if __name__ == "__main__":
    main()
