"""Races only a real database settles: run on PostgreSQL (DATABASE_URL=postgres://…)."""

import pytest
from django.db import connection

from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.core.testing_db import race
from linli.notices import confirm
from linli.notices.models import NoticeHousehold
from linli.notices.testing_confirm import sent_notice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def test_two_people_marking_the_same_household_at_once_leave_one_mark(world):
    notice = sent_notice(world.communities["e1"])
    row = NoticeHousehold.objects.get(notice=notice, household_id=world.residents["zhang"].household_id)
    users = [world.users["grid_worker_1"], world.users["staff"], world.users["secretary"], world.users["street_admin"]]
    ways = ["phone", "in_person", "posted", "phone"]

    def work(i):
        if i == 4:  # and the whole building posted at the same moment
            return confirm.mark_building_posted(notice, world.buildings["b1"].pk, actor=actor_of(users[0]))
        confirm.mark_told(row.pk, actor=actor_of(users[i]), via=ways[i])
        return "marked"

    outcome = race(5, work)
    assert outcome.failures == []
    assert all("已经登记过" in r for r in outcome.refusals)
    row.refresh_from_db()
    marks = ChangeRecord.objects.filter(content_type__model="noticehousehold", object_id=row.pk)
    assert marks.count() == 1  # exactly one of the five told 张三's household
    b1 = NoticeHousehold.objects.filter(notice=notice, building=world.buildings["b1"])
    assert not b1.filter(confirmed_via="").exists()
