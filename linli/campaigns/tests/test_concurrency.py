"""Taps from several phones at once (PostgreSQL): the counts stay equal to the rows, a care-group resident gets
one visit however many in-person taps race."""

import pytest
from django.db import connection

from linli.campaigns import services
from linli.campaigns.models import Campaign, CampaignTarget
from linli.campaigns.testing import make_campaign, target_of
from linli.core.audit import actor_of
from linli.core.testing_db import race
from linli.visits.models import Visit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def test_racing_taps_keep_done_count_equal_to_the_rows_and_log_one_visit(world):
    campaign = make_campaign(world.communities["e1"])
    chen = target_of(campaign, world.residents["chen"])
    users = [world.users[k] for k in ("staff", "secretary", "grid_worker_1", "street_admin")] * 2
    codes = ["in_person", "away"] * 4
    visits_before = Visit.objects.filter(resident=world.residents["chen"]).count()

    def tap(i):
        services.record_outcome(chen, codes[i], actor=actor_of(users[i]))
        return "saved"

    outcome = race(len(users), tap)
    assert outcome.failures == [] and len(outcome.results) == len(users)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.done_count == CampaignTarget.objects.filter(campaign=campaign, done=True).count()
    assert Visit.objects.filter(resident=world.residents["chen"]).count() == visits_before + 1
