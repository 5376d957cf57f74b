"""Races that only a real database settles: run on PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.areas.models import Household
from linli.core.audit import Actor
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
    barrier = threading.Barrier(len(rooms))
    outcomes = []

    def register(room):
        try:
            barrier.wait()
            create_resident(actor=Actor.cli("race"), household=room, name="重复登记", id_number="11010519491231002X")
            outcomes.append("created")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["id_number"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(room,)) for room in rooms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("created") == 1
    assert all("本社区已有居民" in o for o in outcomes if o != "created")
    assert Resident.objects.filter(name="重复登记").count() == 1
