"""The demo step on the test world: counters, a month of appointments, numbers, 代办 with some overdue."""

import datetime
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from linli.hall.demo import build_hall
from linli.hall.models import Appointment, Counter, Errand, Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_hall_with_overdue_errands(world):
    demo = SimpleNamespace(
        community=world.communities["e1"],
        today=timezone.localdate(),
        users={"shequ": world.users["staff"]},
        rng=lambda name: random.Random(f"7:{name}"),
        log=lambda text: None,
    )
    built = build_hall(demo)
    assert Counter.objects.filter(community=demo.community).count() == 3
    assert built["appointments"] == Appointment.objects.count() > 40
    assert Ticket.objects.filter(day=demo.today, status="waiting").exists()
    assert Errand.objects.count() == 20
    assert Errand.objects.overdue(demo.today).exists()
    assert not Appointment.objects.filter(starts_at__date__lt=demo.today, status="booked").exists()
    assert Appointment.objects.filter(starts_at__date__gt=demo.today + datetime.timedelta(days=1)).exists()
