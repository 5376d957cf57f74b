"""Races that only a real database settles: run on PostgreSQL."""

import pytest
from django.db import connection

from linli.core.audit import actor_of
from linli.core.testing_db import race
from linli.mediation import services
from linli.mediation.models import Case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def test_clerks_opening_cases_at_once_get_consecutive_numbers(world):
    e1, staff = world.communities["e1"], world.users["staff"]

    def intake(i):
        return services.open_case(
            actor=actor_of(staff), community=e1, case_type="noise", account=f"第{i}件", applicant_name=f"居民{i}"
        ).seq

    outcome = race(8, intake)
    assert outcome.failures == [] and outcome.refusals == []
    assert sorted(outcome.results) == list(range(1, 9))
    assert Case.objects.filter(community=e1).count() == 8


def test_one_appeal_turns_into_one_case_when_two_clerks_press_at_once(world):
    from linli.appeals.defaults import install_default_directory
    from linli.appeals.models import Category, HandlingUnit
    from linli.appeals.services import create_appeal
    from linli.testing import SYSTEM

    install_default_directory(HandlingUnit, Category)
    appeal = create_appeal(
        actor=SYSTEM, building=world.buildings["b1"], text="楼上漏水", channel="phone", reporter_name="王阿姨"
    )
    appeal.unit = HandlingUnit.objects.get(code="mediation")
    appeal.save()
    users = [world.users["staff"], world.users["secretary"]]
    outcome = race(2, lambda i: services.case_from_appeal(appeal, actor=actor_of(users[i])).number)
    assert outcome.failures == [] and len(outcome.results) == 1 and len(outcome.refusals) == 1
    assert Case.objects.filter(source="appeal", source_id=appeal.pk).count() == 1
