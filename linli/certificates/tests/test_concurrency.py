"""Numbering under concurrency (PostgreSQL row locks): N issuers at once in one community get serials 1..N, with no
gap and no duplicate, even for the year's first certificates (the counter row does not exist yet)."""

import pytest
from django.db import connection
from django.utils import timezone

from linli.certificates import services
from linli.certificates.models import Certificate
from linli.certificates.numbering import series
from linli.certificates.testing import certificate_templates
from linli.core.audit import actor_of
from linli.core.numbering import last_number
from linli.core.testing_db import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 10


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def test_issuers_at_once_get_serials_one_to_n_without_gap_or_duplicate(world):
    template = certificate_templates(world)["east"]
    people = [world.residents[k] for k in ("zhang", "li", "chen", "wang")]
    users = [world.users["staff"], world.users["secretary"], world.users["street_admin"]]

    def issue(i):
        c = services.issue(template, people[i % len(people)], actor=actor_of(users[i % len(users)]), purpose="入学")
        return c.serial

    results, refusals, failures = race(N, issue)
    assert failures == [] and refusals == []
    assert sorted(results) == list(range(1, N + 1))
    year = timezone.localdate().year
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == list(range(1, N + 1))
    assert last_number(series(world.communities["e1"]), year) == N


def test_a_void_and_issues_at_once_keep_the_register_gap_free(world):
    template = certificate_templates(world)["east"]
    first = services.issue(template, world.residents["zhang"], actor=actor_of(world.users["staff"]), purpose="入学")

    def work(i):
        if i == 0:
            return services.reissue(first, actor=actor_of(world.users["secretary"]), reason="遗失").serial
        return services.issue(template, world.residents["li"], actor=actor_of(world.users["staff"]), purpose="x").serial

    results, refusals, failures = race(5, work)
    assert failures == [] and refusals == []
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [1, 2, 3, 4, 5, 6]
    first.refresh_from_db()
    assert not first.is_valid and first.replaced_by.serial in results
