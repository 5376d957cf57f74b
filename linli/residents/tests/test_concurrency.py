"""Races that only a real database settles: run on PostgreSQL."""

import pytest
from django.db import connection

from linli.areas.models import Household
from linli.core.audit import Actor
from linli.core.testing_db import race
from linli.residents.models import Resident
from linli.residents.services import create_resident

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent constraint checks are tested on PostgreSQL")


def test_two_clerks_registering_the_same_id_at_once_create_one_resident(world):
    rooms = list(Household.objects.filter(building=world.buildings["b2"])[:8])
    outcomes = race(
        len(rooms),
        lambda i: (
            create_resident(
                actor=Actor.cli("race"), household=rooms[i], name="重复登记", id_number="11010519491231002X"
            )
            and "created"
        ),
    ).outcomes
    assert outcomes.count("created") == 1
    assert all("本社区已有居民" in o for o in outcomes if o != "created"), outcomes
    assert Resident.objects.filter(name="重复登记").count() == 1
