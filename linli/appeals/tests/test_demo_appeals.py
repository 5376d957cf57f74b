"""Demo appeals: organisations and bindings for the community, a realistic mix of states built through the
services, the invariants that hold for real data, and the same appeals from the same seed."""

from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from linli.accounts.choices import Role
from linli.appeals.choices import Channel, Rating, Status
from linli.appeals.demo import build_demo_appeals
from linli.appeals.models import Appeal, AppealEvent, HandlingUnit, Organisation, UnitBinding
from linli.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_logins(world):
    e1 = world.communities["e1"]
    return {
        "bumen": make_user("bumen", Role.DEPT_HANDLER),
        "shequ": make_user("shequ", Role.STAFF, e1),
        "shuji": make_user("shuji", Role.SECRETARY, e1),
    }


def _build(world, seed="demo", **kwargs):
    e1 = world.communities["e1"]
    today = timezone.localdate() - datetime.timedelta(days=3)  # a past day: the build's clock is that day, 18:00
    return build_demo_appeals(world.streets["east"], e1, rng=random.Random(seed), today=today, **kwargs)


def test_it_builds_a_realistic_mix_through_the_services(world, demo_logins):
    lines = []
    result = _build(world, log=lines.append)
    e1 = world.communities["e1"]
    appeals = Appeal.objects.filter(community=e1)
    assert result.appeals == appeals.count() == 300
    assert "300件诉求" in lines[-1]

    # every default unit has a real organisation in the street, bound to the community
    units = set(HandlingUnit.objects.filter(is_active=True).values_list("code", flat=True))
    assert set(UnitBinding.objects.filter(community=e1).values_list("unit__code", flat=True)) == units
    property_org = Organisation.objects.get(street=world.streets["east"], unit__code="property")
    assert property_org.name == "东一物业服务中心"
    assert list(property_org.handlers.values_list("username", flat=True)) == ["bumen"]
    assert Organisation.objects.get(name="东一社区居委会").handlers.filter(username="shequ").exists()
    assert Organisation.objects.filter(name="青山区水务和湖泊局").exists()

    # the mix: most closed, some open at every stage, a few overdue, a couple supervised, some from visits
    status = Counter(appeals.values_list("status", flat=True))
    assert status[Status.CLOSED] >= 240
    for s in (Status.PENDING_DISPATCH, Status.PENDING_SIGN, Status.IN_PROGRESS, Status.RESOLVED, Status.WITHDRAWN):
        assert status[s] >= 1, s
    now = timezone.now()
    assert 3 <= appeals.open().overdue(now).count() <= 15
    assert appeals.filter(supervised=True).count() == 2
    ratings = Counter(appeals.filter(status=Status.CLOSED).values_list("rating", flat=True))
    assert ratings[Rating.SATISFIED] > ratings[Rating.BASICALLY] > ratings[Rating.UNSATISFIED] >= 3
    reopened = appeals.filter(reopen_count__gt=0)
    assert reopened.count() == 1 and reopened.get().status == Status.CLOSED
    assert len(set(appeals.values_list("channel", flat=True))) >= 5
    if world.residents["zhang"].visits.exists():
        assert appeals.filter(channel=Channel.VISIT, visit__isnull=False).exists()

    # invariants: a closed appeal has its reply; timelines start at reception, run forward, lie in the past
    assert not appeals.filter(status=Status.CLOSED, replied_at__isnull=True).exists()
    assert not appeals.filter(status=Status.CLOSED).filter(reply_text="").exists()
    assert not appeals.filter(received_at__gt=now).exists()
    for a in appeals.prefetch_related("events"):
        at = [e.at for e in a.events.all()]
        assert at[0] == a.received_at and at == sorted(at) and at[-1] <= now, a.number
        assert a.created_at == a.received_at
    assert AppealEvent.objects.filter(appeal__community=e1, actor__username="bumen").exists()


def _snapshot(community):
    return list(
        Appeal.objects.filter(community=community)
        .order_by("received_at", "pk")
        .values_list(
            "text",
            "channel",
            "category__code",
            "status",
            "rating",
            "received_at",
            "signed_at",
            "resolved_at",
            "replied_at",
            "signed_late",
            "resolved_late",
            "reopen_count",
            "supervised",
            "household_id",
        )
    )


def test_the_same_seed_builds_the_same_appeals(world, demo_logins):
    e1 = world.communities["e1"]
    _build(world, seed="same", count=60)
    first = _snapshot(e1)
    Appeal.objects.filter(community=e1).delete()
    _build(world, seed="same", count=60)
    assert _snapshot(e1) == first
    Appeal.objects.filter(community=e1).delete()
    _build(world, seed="other", count=60)
    assert _snapshot(e1) != first


def test_it_builds_without_the_demo_logins(world):
    result = _build(world, count=40)
    assert result.appeals == 40
    assert AppealEvent.objects.filter(actor__isnull=True).exists()  # labelled steps instead of users


def test_the_demo_writes_public_replies_so_the_public_pages_are_not_empty(world, client):
    from linli.core.anonymise import anonymise, plain

    _build(world, count=60)
    closed = Appeal.objects.filter(community=world.communities["e1"], status=Status.CLOSED)
    assert closed.exists()
    assert not closed.filter(public_reply="").exists()
    for reply in closed.values_list("public_reply", flat=True)[:20]:
        assert anonymise(reply) == plain(reply)  # nothing for the anonymiser to do
    rows = client.get("/open311/v2/requests.json").json()
    assert any("。" in r["status_notes"] for r in rows if r["status"] == "closed")
