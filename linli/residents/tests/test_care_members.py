"""Household.care_members (关爱名单's "in need") follows every write of the registry: random sequences of tag edits,
moves, departures, returns and deletions through the services leave it equal to a count from scratch; the importer
and `linli recount_care` keep it too."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.areas.models import Household
from linli.residents import services
from linli.residents.care import recount_care_members, stale_households
from linli.residents.choices import CARE_TAGS, ResidentStatus
from linli.residents.models import Resident, Tag
from linli.testing import SYSTEM, make_resident

pytestmark = pytest.mark.django_db

TAG_CODES = ("living_alone", "disabled", "dibao", "elderly60", "empty_nest")


def from_scratch() -> dict[int, int]:
    """Per household: its active residents with at least one care-group tag, counted in Python."""
    counts = {pk: 0 for pk in Household.objects.values_list("pk", flat=True)}
    for resident in Resident.objects.filter(status=ResidentStatus.ACTIVE).prefetch_related("tags"):
        if any(t.code in CARE_TAGS for t in resident.tags.all()):
            counts[resident.household_id] += 1
    return counts


def marked() -> dict[int, int]:
    return dict(Household.objects.values_list("pk", "care_members"))


step = st.tuples(
    st.sampled_from(["bulk_add", "bulk_remove", "set_tags", "move", "leave", "return", "delete", "create"]),
    st.integers(0, 50),
    st.integers(0, 50),
    st.sets(st.sampled_from(TAG_CODES), max_size=3),
)


def apply(kind: str, a: int, b: int, codes: set, households: list, seq: list) -> None:
    residents = list(Resident.objects.order_by("pk"))
    resident = residents[a % len(residents)] if residents else None
    tag = Tag.objects.get(code=TAG_CODES[b % len(TAG_CODES)])
    if kind == "create" or resident is None:
        household = households[b % len(households)]
        seq[0] += 1
        make_resident(
            household.building,
            f"居民{seq[0]}",
            entrance=household.entrance,
            room=household.room,
            seq=50,
            born=datetime.date(1960, 1, 1) + datetime.timedelta(days=seq[0]),
            tags=sorted(codes),
        )
    elif kind in ("bulk_add", "bulk_remove"):
        services.bulk_tag([resident.pk], tag, add=kind == "bulk_add", actor=SYSTEM)
    elif kind == "set_tags":
        services.update_resident(resident, actor=SYSTEM, tags=list(Tag.objects.filter(code__in=codes)))
    elif kind == "move":
        services.update_resident(resident, actor=SYSTEM, household=households[b % len(households)])
    elif kind == "leave" and resident.status == ResidentStatus.ACTIVE:
        services.mark_resident_left(
            resident, status=ResidentStatus.MOVED_OUT, date=datetime.date(2026, 1, 1), actor=SYSTEM
        )
    elif kind == "return":
        services.update_resident(resident, actor=SYSTEM, status=ResidentStatus.ACTIVE)
    elif kind == "delete":
        services.delete_resident(resident, actor=SYSTEM)


class Rollback(Exception):
    pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_it_keeps_the_care_count_equal_to_a_recount_through_any_sequence_of_registry_writes(world, steps):
    households = list(Household.objects.filter(building__community__street__code="east").select_related("building"))
    assert marked() == from_scratch()  # the world's own residents, made through create_resident
    try:
        with transaction.atomic():
            seq = [100]
            for kind, a, b, codes in steps:
                apply(kind, a, b, codes, households, seq)
                assert marked() == from_scratch(), (kind, a, b, codes)
            assert stale_households() == []
            raise Rollback
    except Rollback:
        pass


def test_it_marks_a_household_when_a_tag_becomes_a_care_group_and_unmarks_it_when_it_stops(world):
    tag = Tag.objects.create(code="lonely_local", name="孤寡")
    services.bulk_tag([world.residents["zhao"].pk], tag, add=True, actor=SYSTEM)
    household = world.residents["zhao"].household
    household.refresh_from_db()
    assert household.care_members == 0
    Tag.objects.filter(code="dibao").update(code="dibao_old")  # free the code for the tag being renamed
    tag.code = "dibao"
    services.save_tag(tag, SYSTEM)
    household.refresh_from_db()
    assert household.care_members == 1
    tag.code = "lonely_local"
    services.save_tag(tag, SYSTEM)
    household.refresh_from_db()
    assert household.care_members == 0


def test_the_command_finds_and_repairs_a_wrong_count(world):
    household = world.residents["zhang"].household
    Household.objects.filter(pk=household.pk).update(care_members=0)  # written past the services
    Household.objects.filter(pk=world.residents["zhao"].household_id).update(care_members=3)
    with pytest.raises(CommandError, match="2 户"):
        call_command("recount_care", "--check")
    call_command("recount_care")
    call_command("recount_care", "--check")
    assert marked() == from_scratch()
    assert recount_care_members([household.pk]) == 0  # a right count is not rewritten
    assert marked() == from_scratch()
