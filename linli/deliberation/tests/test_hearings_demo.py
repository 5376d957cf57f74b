"""The hearings demo step: two meetings with minutes, a questionnaire about 40% asked with some 不在家, a talk."""

import datetime
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from linli.accounts.choices import Role
from linli.deliberation.demo_hearings import LIFT_TITLE, demo_step
from linli.deliberation.models import DoorAnswer, DoorVisit, Matter, Meeting, TableTalk
from linli.deliberation.services_hearings import progress
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_hears_the_lift_matter_in_three_ways(world):
    e1 = world.communities["e1"]
    lines = []
    demo = SimpleNamespace(
        community=e1,
        users={"shequ": make_user("shequ", Role.STAFF, e1), "wangge2": make_user("wangge2", Role.GRID_WORKER, e1)},
        today=timezone.localdate() - datetime.timedelta(days=1),
        rng=lambda name: random.Random(name),
        log=lines.append,
    )
    demo_step(demo)
    matter = Matter.objects.get(title=LIFT_TITLE)
    assert sorted(Meeting.objects.filter(matter=matter).values_list("kind", flat=True)) == ["council", "forum"]
    assert all(m.minutes and m.decision_list for m in Meeting.objects.all())
    questionnaire = matter.questionnaires.get()
    rows, total = progress(questionnaire)
    assert total.total == 48 and 0.25 <= total.answered / total.total <= 0.55 and total.not_home > 0
    assert DoorVisit.objects.count() == DoorAnswer.objects.count() == total.answered + total.not_home
    assert TableTalk.objects.filter(matter=matter).count() == 1
    assert "民事民议" in lines[0]
