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


def test_a_close_racing_ballots_freezes_a_result_equal_to_the_ballots(world):
    vote = open_vote(world.communities["e1"])
    b1 = world.buildings["b1"]
    people = [make_resident(b1, f"住户{n}", entrance=2, room=f"{n + 1}01", seq=60 + n) for n in range(5)]

    def work(i):
        if i == 5:
            services.close_vote(vote, actor=SYSTEM)
            return "closed"
        services.cast_ballot(SYSTEM, vote, people[i].household, Choice.FOR, people[i], Channel.DOOR)
        return "cast"

    from linli.core.testing_db import race

    outcome = race(6, work)
    assert outcome.failures == []
    vote.refresh_from_db()
    assert vote.result["households"]["participating"] == Ballot.objects.filter(vote=vote).count()
    assert outcome.results.count("cast") == Ballot.objects.filter(vote=vote).count()
