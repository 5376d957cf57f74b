"""Races only a real database settles: run on PostgreSQL (DATABASE_URL=postgres://…)."""

import random

import pytest
from django.db import connection

from linli.testing import SYSTEM, make_resident
from linli.votes import services
from linli.votes.choices import Channel, Choice
from linli.votes.models import Ballot, BallotChange
from linli.votes.testing import open_vote, set_area

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent constraint checks are tested on PostgreSQL")


def test_fifty_clerks_casting_and_replacing_ballots_for_twenty_households_leave_one_each(world):
    b1 = world.buildings["b1"]
    rooms = [(e, f"{f}0{r}") for e in (1, 2) for f in range(1, 7) for r in (1, 2)][:20]
    people = []
    for n, (entrance, room) in enumerate(rooms):
        existing = [r for r in world.residents.values() if r.household.building_id == b1.pk]
        found = next((r for r in existing if (r.household.entrance, r.household.room) == (entrance, room)), None)
        people.append(found or make_resident(b1, f"住户{n}", entrance=entrance, room=room, seq=30 + n))
        set_area(people[-1].household, None if n % 5 == 0 else str(60 + n))
    vote = open_vote(world.communities["e1"], weigh_by_area=True)
    choices = list(Choice.values)

    def work(i):
        rng = random.Random(i)
        resident = people[i % 20]
        for _ in range(3):  # each thread casts, then replaces twice
            services.cast_ballot(SYSTEM, vote, resident.household, rng.choice(choices), resident, Channel.DOOR)
        return "cast"

    from linli.core.testing_db import race

    results, refusals, failures = race(50, work)
    assert failures == [] and refusals == []
    assert results.count("cast") == 50
    assert Ballot.objects.filter(vote=vote).count() == 20
    # every cast after a household's first replaced its ballot and was recorded
    assert BallotChange.objects.filter(vote=vote).count() == 150 - 20
    assert services.tally(vote).as_json() == services.recount(vote).as_json()


@pytest.mark.parametrize("round_", range(3))
def test_a_close_racing_ballots_freezes_a_result_equal_to_the_ballots(world, round_):
    """Twelve ballots and the close at once: no deadlock (a ballot's foreign key check takes KEY SHARE on the vote,
    which close_vote's lock must not block), and the frozen result is exactly the ballots that got in."""
    vote = open_vote(world.communities["e1"])
    people = [
        make_resident(
            world.buildings["b1" if n % 2 else "b2"], f"住户{n}", entrance=2, room=f"{n // 2 + 1}01", seq=60 + n
        )
        for n in range(12)
    ]

    def work(i):
        if i == 12:
            services.close_vote(vote, actor=SYSTEM)
            return "closed"
        services.cast_ballot(SYSTEM, vote, people[i].household, Choice.FOR, people[i], Channel.DOOR)
        return "cast"

    from linli.core.testing_db import race

    outcome = race(13, work)
    assert outcome.failures == []
    assert all("已结束" in r for r in outcome.refusals)
    vote.refresh_from_db()
    ballots = Ballot.objects.filter(vote=vote).count()
    assert vote.result["households"]["participating"] == ballots == outcome.results.count("cast")


def test_clerks_entering_the_same_paper_ballot_at_once_count_it_once(world):
    vote = open_vote(world.communities["e1"])
    li = world.residents["li"]

    def work(i):
        services.cast_ballot(SYSTEM, vote, li.household, Choice.FOR, li, Channel.PAPER, paper_number="No.0042")
        return "entered"

    from linli.core.testing_db import race

    results, refusals, failures = race(10, work)
    assert (results.count("entered"), refusals, failures) == (10, [], [])
    assert Ballot.objects.filter(vote=vote).count() == 1 and not BallotChange.objects.exists()
    assert services.tally(vote).counts.yes == 1
