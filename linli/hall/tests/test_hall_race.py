"""Many people taking a number or the last places of a slot at once (PostgreSQL row locks on the counter): every
number once, no slot over its capacity."""

import pytest
from django.db import connection

from linli.core.testing_db import race
from linli.hall import services
from linli.hall.models import Appointment, Ticket
from linli.hall.testing import at, make_counter, matrix_objects, next_monday
from linli.testing import SYSTEM

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def test_twenty_people_taking_a_number_at_once_get_twenty_numbers(world):
    counter = make_counter(world.communities["e1"], "取号窗口", prefix="T")
    outcome = race(20, lambda i: services.take_ticket(counter, actor=SYSTEM).number)
    assert outcome.failures == []
    assert sorted(outcome.results) == list(range(1, 21))
    assert Ticket.objects.filter(counter=counter).count() == 20


def test_ten_bookings_of_a_two_place_slot_at_once_leave_two(world):
    hall = matrix_objects(world)
    counter, matter = hall["hall_counters"]["e1"], hall["hall_matters"]["e1"]
    start = at(next_monday(), 15)

    def book(i):
        return services.book_appointment(counter=counter, matter=matter, starts_at=start, name=f"居民{i}", actor=SYSTEM)

    outcome = race(10, book)
    assert outcome.failures == []
    assert len(outcome.results) == 2 and len(outcome.refusals) == 8
    assert Appointment.objects.filter(counter=counter, starts_at=start).count() == 2
