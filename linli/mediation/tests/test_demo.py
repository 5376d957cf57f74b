"""The demo step: 青和居's mediators, rooms, fifteen cases of every outcome, two written agreements, the
顺顺吧's log for every working day of the last month."""

import datetime
import random
from collections import Counter
from types import SimpleNamespace

import pytest
from django.utils import timezone

from linli.accounts.choices import Role
from linli.mediation.choices import CaseStatus
from linli.mediation.demo import CASES, demo_step
from linli.mediation.models import Agreement, Case, FollowUp, MediationRoom, Reception
from linli.testing import make_user
from linli.workdays.calendar import is_workday

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(world):
    users = {
        "shequ": make_user("shequ", Role.STAFF, world.communities["e1"]),
        "wangge1": make_user("wangge1", Role.GRID_WORKER, world.grids["g1"]),
        "zhiyuan": make_user("zhiyuan", Role.VOLUNTEER),
    }
    lines = []
    step = SimpleNamespace(
        today=timezone.localdate(),
        community=world.communities["e1"],
        users=users,
        rng=lambda name: random.Random(name),
        log=lines.append,
    )
    demo_step(step)
    return step, lines


def test_fifteen_cases_of_every_outcome(world, demo):
    step, lines = demo
    assert Case.objects.count() == len(CASES) == 15
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert set(statuses) == set(CaseStatus.values)
    assert Agreement.objects.filter(kind="written").count() == 2
    results = Counter(FollowUp.objects.values_list("result", flat=True))
    assert results["performed"] == 1 and results[""] == 1  # one written agreement performed, one due
    assert FollowUp.objects.due(step.today).count() == 1
    assert {r.name for r in MediationRoom.objects.all()} == {"唐太富调解室", "顺顺吧"}
    assert Case.objects.restrict(step.users["zhiyuan"]).count() == 2
    assert Case.objects.restrict(step.users["wangge1"], "limited").count() == 1
    assert "调解案件" in lines[0]


def test_someone_was_heard_every_working_day_of_the_last_month(world, demo):
    step, _ = demo
    days = set(Reception.objects.values_list("received_on", flat=True))
    start = step.today - datetime.timedelta(days=30)
    working = {start + datetime.timedelta(days=n) for n in range(31)}
    assert {d for d in working if is_workday(d)} <= days
