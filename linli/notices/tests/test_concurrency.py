"""Races only a real database settles: run on PostgreSQL (DATABASE_URL=postgres://…)."""

import pytest
from django.db import connection

from linli.channels.models import Outbound
from linli.core.testing_db import race
from linli.notices import services, services_saved
from linli.notices.choices import NoticeStatus
from linli.notices.models import NoticeHousehold, SavedAudience
from linli.notices.testing import draft
from linli.testing import SYSTEM

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def test_eight_clicks_on_publish_send_the_notice_once(world):
    notice = draft(world, channels=("in_app", "sms"))
    outcome = race(8, lambda i: services.send_notice(notice, actor=SYSTEM).status)
    assert outcome.failures == []
    assert outcome.results == [NoticeStatus.SENT]
    assert len(outcome.refusals) == 7
    assert NoticeHousehold.objects.filter(notice=notice).count() == 3
    assert Outbound.objects.filter(dispatch__source_id=notice.pk).count() == 3


def test_adding_the_same_residents_from_six_pages_keeps_one_membership_each(world):
    saved = services_saved.create_saved_audience(actor=SYSTEM, community=world.communities["e1"], name="楼栋长")
    ids = [world.residents[k].pk for k in ("zhang", "li", "wang")]
    outcome = race(6, lambda i: services_saved.add_members(saved, actor=SYSTEM, resident_ids=ids))
    assert outcome.failures == [] and sorted(outcome.results) == [0, 0, 0, 0, 0, 3]
    assert SavedAudience.residents.through.objects.filter(savedaudience_id=saved.pk).count() == 3
