"""Audience counts on the demo community 青和居 (8,234 residents) equal counts made by hand from the registry's rows,
and a grid worker's audience stays inside their grid."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from linli.accounts.models import User
from linli.areas.models import Building, Grid
from linli.notices.audience import Audience
from linli.residents.models import Resident, Tag
from linli.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


def _age(born, today=TODAY):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.fixture
def people(qinghe):
    """Every active resident of 青和居 as plain values: the hand count's input."""
    tags: dict[int, set[str]] = {}
    for rid, code in Resident.tags.through.objects.filter(resident__community=qinghe).values_list(
        "resident_id", "tag__code"
    ):
        tags.setdefault(rid, set()).add(code)
    volunteers = set(Volunteer.objects.filter(is_active=True).values_list("resident_id", flat=True))
    rows = Resident.objects.filter(community=qinghe, status="active").values(
        "id", "household_id", "grid_id", "building_id", "birth_date"
    )
    return [dict(r, tags=tags.get(r["id"], set()), volunteer=r["id"] in volunteers) for r in rows]


def hand(people, keep):
    chosen = [p for p in people if keep(p)]
    return len(chosen), len({p["household_id"] for p in chosen})


def test_counts_equal_hand_counts_on_the_demo(qinghe, people):
    grid1 = Grid.objects.get(community=qinghe, number=1)
    b3, b5 = (Building.objects.get(community=qinghe, number=n) for n in (3, 5))
    alone = Tag.objects.get(code="living_alone")
    cases = [
        (Audience(community_id=qinghe.pk), lambda p: True),
        (Audience(community_id=qinghe.pk, grid_ids=(grid1.pk,)), lambda p: p["grid_id"] == grid1.pk),
        (
            Audience(community_id=qinghe.pk, grid_ids=(grid1.pk,), building_ids=(b3.pk, b5.pk)),
            lambda p: p["grid_id"] == grid1.pk or p["building_id"] in (b3.pk, b5.pk),
        ),
        (Audience(community_id=qinghe.pk, tag_ids=(alone.pk,)), lambda p: "living_alone" in p["tags"]),
        (Audience(community_id=qinghe.pk, party_members=True), lambda p: "party_member" in p["tags"]),
        (
            Audience(community_id=qinghe.pk, party_members=True, volunteers=True),
            lambda p: "party_member" in p["tags"] or p["volunteer"],
        ),
        (
            Audience(community_id=qinghe.pk, age_min=60),
            lambda p: p["birth_date"] is not None and _age(p["birth_date"]) >= 60,
        ),
        (
            Audience(community_id=qinghe.pk, age_min=3, age_max=6, building_ids=(b3.pk,)),
            lambda p: p["building_id"] == b3.pk and p["birth_date"] is not None and 3 <= _age(p["birth_date"]) <= 6,
        ),
        (
            Audience(community_id=qinghe.pk, tag_ids=(alone.pk,), age_min=80),
            lambda p: "living_alone" in p["tags"] and p["birth_date"] and _age(p["birth_date"]) >= 80,
        ),
    ]
    for audience, keep in cases:
        expected = hand(people, keep)
        assert audience.counts(today=TODAY) == expected, audience.describe()
        assert expected[0] > 0, audience.describe()  # every case reaches someone on the demo
    assert Audience(community_id=qinghe.pk).counts(today=TODAY)[0] == 8234


def test_a_demo_grid_worker_reaches_only_grid_1(qinghe, people):
    wangge1 = User.objects.get(username="wangge1")
    grid1, grid2 = (Grid.objects.get(community=qinghe, number=n) for n in (1, 2))
    mine = Audience(community_id=qinghe.pk, grid_ids=(grid1.pk,))
    mine.check(wangge1)
    assert mine.counts(wangge1, today=TODAY) == hand(people, lambda p: p["grid_id"] == grid1.pk)
    with pytest.raises(ValidationError):
        Audience(community_id=qinghe.pk, grid_ids=(grid2.pk,)).check(wangge1)
    with pytest.raises(ValidationError):
        Audience(community_id=qinghe.pk).check(wangge1)
    # A saved list or a group choice never leaves the grid either: the residents come through restrict(wangge1).
    party = Audience(community_id=qinghe.pk, grid_ids=(grid1.pk,), party_members=True)
    assert party.counts(wangge1, today=TODAY) == hand(
        people, lambda p: p["grid_id"] == grid1.pk and "party_member" in p["tags"]
    )
