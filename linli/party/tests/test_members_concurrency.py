"""Double taps on the public QR form and two staff confirming at once (PostgreSQL row locks): one row, one
decision."""

import pytest
from django.db import connection

from linli.core.audit import actor_of
from linli.core.testing_db import race
from linli.party import services_members
from linli.party.models import PartyMember

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def test_racing_registrations_of_one_phone_add_one_member(pw):
    community = pw.communities["e1"]

    def tap(i):
        services_members.register_self(community, name="吴报到", phone="13955556666", work_unit_name="区卫健委")
        return "done"

    outcome = race(4, tap)
    assert outcome.failures == []
    assert PartyMember.objects.filter(phone="13955556666").count() == 1


def test_two_reviewers_at_once_decide_once(pw):
    member = pw.members["e1_pending"]
    users = [pw.users["secretary"], pw.users["street_admin"]]

    def review(i):
        services_members.review_member(
            member, actor=actor_of(users[i]), confirm=i == 0, branch=pw.orgs["e1"], note="核实" if i else ""
        )
        return "decided"

    outcome = race(2, review)
    assert outcome.failures == [] and len(outcome.results) == 1
    assert outcome.refusals == ["这条报到已经处理过了。"]
