"""Door-to-door answers under real concurrency: run on PostgreSQL."""

import pytest
from django.db import connection

from linli.core.audit import actor_of
from linli.core.testing_db import race
from linli.deliberation import services_hearings as services
from linli.deliberation.models import DoorAnswer, DoorVisit
from linli.deliberation.testing_hearings import make_matter, make_questionnaire

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent constraint checks are tested on PostgreSQL")


def test_many_taps_at_one_door_leave_one_answer_and_the_others_are_told_in_chinese(world):
    questionnaire = make_questionnaire(make_matter(world.communities["e1"]))
    home = world.residents["zhang"].household
    users = [world.users[k] for k in ("staff", "secretary", "grid_worker_1", "street_admin")] * 2
    q1 = questionnaire.questions.first()

    def visit(i):
        services.record_door_visit(
            questionnaire, home, actor=actor_of(users[i]), outcome="answered", answers={q1.key: "同意"}
        )
        return "saved"

    results, refusals, failures = race(len(users), visit)
    assert failures == []
    assert results and all("刚刚已由其他人登记" in r for r in refusals)
    row = DoorAnswer.objects.get(questionnaire=questionnaire, household=home)
    # every saved visit is in the history; the row counts them
    assert DoorVisit.objects.filter(questionnaire=questionnaire).count() == len(results) == row.visits
