"""`linli demo`: the 青和居 community of seed 003, its logins, and N communities of its shape."""

import datetime
import hashlib
import re
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from linli.accounts.choices import Role
from linli.accounts.models import User
from linli.areas.models import Building, Community, Grid, Household, Street
from linli.core import audit, crypto
from linli.core.models import ChangeAction, ChangeRecord, Source
from linli.core.phone import normalize_phone
from linli.residents.choices import Relation, ResidenceType
from linli.residents.idcard import parse_id_number
from linli.residents.models import Resident, Tag, birth_date_cutoff
from linli.residents.search import name_keys
from linli.site.demo import ACTOR_LABEL, DEMO_PASSWORD, SHAPE, plan_community, reset_demo
from linli.visits.models import Visit


def tagged(code, **filters):
    return Resident.objects.filter(tags__code=code, **filters)


def over_60(queryset):
    return queryset.filter(birth_date__lte=birth_date_cutoff(60, timezone.localdate()))


def test_it_builds_the_qinghe_community_with_the_seed_counts(qinghe):
    assert qinghe.name == "青和居社区"
    assert (qinghe.street.code, qinghe.street.name) == ("gongrencun", "工人村街")
    buildings = list(Building.objects.filter(community=qinghe).order_by("number"))
    assert [b.name for b in buildings] == [f"{n}栋" for n in range(1, 20)]
    assert {b.compound for b in buildings} == {"青和居"}
    grids = list(Grid.objects.filter(community=qinghe).order_by("number"))
    assert [g.name for g in grids] == [f"第{n}网格" for n in range(1, 16)]
    per_grid = Counter(b.grid.number for b in buildings)
    assert {b.name for b in buildings if b.grid.number == 1} == {"1栋", "2栋"}
    assert all(n in (1, 2) for n in per_grid.values()) and len(per_grid) == 15

    households = Household.objects.filter(building__community=qinghe)
    assert households.count() == 5235
    for b in buildings:  # rooms are entrances x floors x rooms per floor, numbered floor + 2-digit index
        assert 2 <= b.entrances <= 3 and 18 <= b.floors <= 33 and 4 <= b.rooms_per_floor <= 6
        assert b.households.count() == b.entrances * b.floors * b.rooms_per_floor
    assert households.filter(floor=12, room="1203").exists()
    assert all(h.room == f"{h.floor}{int(h.room[-2:]):02d}" for h in households)

    residents = Resident.objects.filter(community=qinghe, status="active")  # those who moved out are not counted
    assert residents.count() == 8234
    assert over_60(residents).count() == 2024
    vacant = households.exclude(residents__status="active").count()
    assert 0 < vacant < 5235 * 0.05


def test_the_over_60_count_holds_all_year(qinghe):
    year = timezone.localdate().year
    births = Resident.objects.filter(community=qinghe, status="active").values_list("birth_date", flat=True)
    old = [b for b in births if b <= datetime.date(year - 61, 1, 1)]
    assert len(old) == 2024
    assert all(b >= datetime.date(year - 58, 1, 1) for b in births if b > datetime.date(year - 61, 1, 1))


def test_it_tags_the_care_groups_the_article_counts(qinghe):
    residents = Resident.objects.filter(community=qinghe, status="active")
    counts = Counter(residents.values_list("tags__code", flat=True))
    assert counts["elderly60"] == 2024
    assert counts["living_alone"] == 669
    assert counts["empty_nest"] == 612
    assert counts["disabled"] == 130 and counts["mental_disorder"] == 82
    assert counts["party_member"] == 40
    assert counts["low_income"] == 823
    for sprinkled in ("left_behind_child", "veteran", "dibao"):
        assert 10 <= counts[sprinkled] <= 300

    assert set(tagged("elderly60", community=qinghe)) == set(over_60(residents))
    assert not tagged("disabled", community=qinghe).filter(tags__code="mental_disorder").exists()

    size = Counter(residents.values_list("household_id", flat=True))
    alone = tagged("living_alone", community=qinghe)
    assert all(size[r.household_id] == 1 and r.age >= 60 for r in alone)
    nests = Counter(tagged("empty_nest", community=qinghe).values_list("household_id", flat=True))
    assert len(nests) == 306 and set(nests.values()) == {2}
    assert all(size[h] == 2 for h in nests)
    assert over_60(tagged("empty_nest", community=qinghe)).count() == 612

    low = tagged("low_income", community=qinghe)
    assert set(low.values_list("relation", flat=True)) == {Relation.HEAD}
    assert low.values("household_id").distinct().count() == 823
    assert set(tagged("dibao", community=qinghe)) <= set(low)
    kids = tagged("left_behind_child", community=qinghe)
    assert all(r.age < 16 and r.relation == Relation.GRANDCHILD for r in kids)


def test_it_fills_grid_1_as_in_jiang_guimeis_notebook(qinghe):
    grid1 = Grid.objects.get(community=qinghe, number=1)
    assert Resident.objects.filter(grid=grid1, status="active").count() == 554
    assert tagged("living_alone", grid=grid1).count() == 48
    assert tagged("empty_nest", grid=grid1).count() == 64
    assert tagged("disabled", grid=grid1).count() == 9


def test_every_resident_has_the_fields_the_services_derive(qinghe):
    # Every resident, those who moved out too (linli.residents.demo.add_departures), each with an ID of their own.
    ids = set()
    for r in Resident.objects.filter(community=qinghe).select_related("household__building__community"):
        card = parse_id_number(r.reveal_id_number())
        assert card.region_code.startswith("4201")
        assert (card.birth_date, card.sex) == (r.birth_date, r.sex)
        assert (r.id_masked, r.id_last4) == (card.masked, card.number[-4:])
        assert r.id_hash == crypto.blind_index(card.number)
        ids.add(card.number)
        if r.phone:
            assert re.fullmatch(r"1[3-9]\d{9}", r.phone) and normalize_phone(r.phone) == r.phone
            assert r.phone_last4 == r.phone[-4:]
        else:
            assert r.phone_last4 == ""
        assert (r.name_pinyin, r.name_initials) == name_keys(r.name)
        building = r.household.building
        assert (r.building_id, r.grid_id, r.community_id, r.street_id) == (
            building.pk,
            building.grid_id,
            building.community_id,
            building.community.street_id,
        )
    assert len(ids) == Resident.objects.filter(community=qinghe).count() > 8234


def test_most_adults_have_a_mobile_and_most_homes_are_rented_or_permanent(qinghe):
    today = timezone.localdate()
    adults = Resident.objects.filter(community=qinghe, birth_date__lte=birth_date_cutoff(18, today))
    assert adults.exclude(phone="").count() > 0.75 * adults.count()
    children = Resident.objects.filter(community=qinghe, birth_date__year__gt=today.year - 16)
    assert children.exists() and not children.exclude(phone="").exists()
    types = Counter(Resident.objects.filter(community=qinghe, status="active").values_list("residence_type", flat=True))
    assert types[ResidenceType.TENANT] + types[ResidenceType.PERMANENT] > 0.9 * 8234


def test_households_have_one_head_and_children_younger_than_parents(qinghe):
    homes = defaultdict(list)
    for r in Resident.objects.filter(community=qinghe):
        homes[r.household_id].append(r)
    for members in homes.values():
        heads = [m for m in members if m.relation == Relation.HEAD]
        assert len(heads) == 1
        head = heads[0].birth_date.year
        couple = [m.birth_date.year for m in members if m.relation in (Relation.HEAD, Relation.SPOUSE)]
        assert len(couple) <= 2
        for m in members:
            year = m.birth_date.year
            if m.relation == Relation.CHILD:
                assert year >= max(couple) + 20
            if m.relation == Relation.PARENT:
                assert year <= head - 20
            if m.relation == Relation.GRANDCHILD:
                assert year >= head + 40


def test_it_records_a_create_change_for_each_building_and_resident(qinghe):
    records = ChangeRecord.objects.filter(actor_label=ACTOR_LABEL, source=Source.CLI, action=ChangeAction.CREATE)
    by_model = Counter(records.values_list("content_type__model", flat=True))
    # The generated registry (the residents who moved out since were registered by the community's staff login).
    assert by_model["building"] == 19 and by_model["resident"] == 8234
    everyone = set(Resident.objects.filter(community=qinghe).values_list("pk", flat=True))
    created = ChangeRecord.objects.filter(content_type__model="resident", action=ChangeAction.CREATE)
    assert everyone <= set(created.values_list("object_id", flat=True))
    chen = User.objects.get(username="jumin").resident
    for resident in (chen, Resident.objects.filter(community=qinghe).order_by("?").first()):
        record = records.get(content_type__model="resident", object_id=resident.pk)
        assert record.changes == audit.diff(None, audit.snapshot(resident))
        assert record.object_repr == resident.name and record.actor is None
    building = Building.objects.get(community=qinghe, number=1)
    record = records.get(content_type__model="building", object_id=building.pk)
    assert record.changes == audit.diff(None, audit.snapshot(building))


def test_demo_logins_have_their_roles_areas_and_the_password(demo_output, qinghe):
    expected = {
        "jiedao": (Role.STREET_ADMIN, {("street", qinghe.street_id)}),
        "shuji": (Role.SECRETARY, {("community", qinghe.pk)}),
        "shequ": (Role.STAFF, {("community", qinghe.pk)}),
        "wangge1": (Role.GRID_WORKER, {("grid", Grid.objects.get(community=qinghe, number=1).pk)}),
        "wangge2": (Role.GRID_WORKER, {("grid", Grid.objects.get(community=qinghe, number=2).pk)}),
        "bumen": (Role.DEPT_HANDLER, set()),
        "zhiyuan": (Role.VOLUNTEER, set()),
        "jumin": (Role.RESIDENT, set()),
    }
    validate_password(DEMO_PASSWORD)
    request = RequestFactory().post("/accounts/login/")
    for username, (role, nodes) in expected.items():
        user = User.objects.get(username=username)
        assert user.role == role and set(user.assigned_nodes()) == nodes
        assert authenticate(request, username=username, password=DEMO_PASSWORD) == user
        assert re.search(rf"^{username}\s+{re.escape(DEMO_PASSWORD)}\s+{Role(role).label}", demo_output, re.M)
    assert User.objects.get(username="shuji").full_name == "桂小妹"
    assert User.objects.get(username="wangge1").full_name == "蒋桂梅"

    chen = User.objects.get(username="jumin").resident
    assert chen.community == qinghe and chen.name.startswith("陈") and chen.sex == "F"
    assert chen.age == 76 and chen.residence_type == ResidenceType.TENANT
    assert set(chen.tags.values_list("code", flat=True)) >= {"elderly60", "living_alone"}
    assert chen.household.residents.count() == 1


def test_a_second_run_changes_nothing(demo_output, qinghe):
    before = [
        (m.objects.count(), m.objects.order_by("-pk").values_list("pk", flat=True).first())
        for m in (Street, Community, Building, Household, Resident, User, ChangeRecord, Visit)
    ]
    out = StringIO()
    call_command("demo", stdout=out)
    assert "已存在" in out.getvalue() and "jumin" in out.getvalue()
    after = [
        (m.objects.count(), m.objects.order_by("-pk").values_list("pk", flat=True).first())
        for m in (Street, Community, Building, Household, Resident, User, ChangeRecord, Visit)
    ]
    assert after == before


def test_the_plan_depends_only_on_the_seed():
    today = datetime.date(2026, 6, 1)

    def fingerprint(plan):
        return [
            (h.building, h.entrance, h.room, p.name, p.birth, p.sex, p.relation, p.phone, p.id_number, tuple(p.tags))
            for h in plan.homes
            for p in h.members
        ]

    first = fingerprint(plan_community(7, 0, today))
    assert first == fingerprint(plan_community(7, 0, today))
    assert first != fingerprint(plan_community(8, 0, today))


def _rows(community_code):
    """What a run writes, minus what is random or time-stamped by design (ids, AES nonces, created_at)."""
    rows = (
        Resident.objects.filter(community__code=community_code)
        .values_list(
            "building__number",
            "household__entrance",
            "household__room",
            "name",
            "birth_date",
            "sex",
            "relation",
            "residence_type",
            "phone",
            "id_hash",
            "hukou_place",
            "tags__code",
        )
        .order_by("building__number", "household__entrance", "household__room", "name", "id_hash", "tags__code")
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _visit_rows(community_code):
    rows = (
        Visit.objects.filter(community__code=community_code)
        .values_list(
            "building__number",
            "resident__household__room",
            "resident__id_hash",
            "visited_on",
            "outcome",
            "wellbeing",
            "findings",
            "need",
            "visitor__username",
        )
        .order_by("resident__id_hash", "visited_on", "outcome", "wellbeing", "findings", "need")
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _party_rows(community_code):
    """The party demo's members, centres and meetings (linli.party.demo), minus ids and timestamps."""
    from linli.party.models import CoveredHousehold, MeetingAttendance, PartyMember

    members = PartyMember.objects.filter(community__code=community_code).values_list(
        "name",
        "phone",
        "resident__id_hash",
        "branch__name",
        "group__name",
        "status",
        "kind",
        "joined_on",
        "work_unit__name",
        "review",
    )
    covered = CoveredHousehold.objects.filter(centre__community__code=community_code).values_list(
        "centre__household__building__number",
        "centre__household__room",
        "household__building__number",
        "household__entrance",
        "household__room",
    )
    attendance = MeetingAttendance.objects.filter(meeting__community__code=community_code).values_list(
        "meeting__org__name",
        "meeting__kind",
        "meeting__held_on",
        "meeting__topic",
        "member__name",
        "status",
        "reason",
    )
    rows = [sorted(members, key=repr), sorted(covered), sorted(attendance, key=repr)]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_reset_rebuilds_the_same_rows_and_n_communities_of_the_same_shape(qinghe):
    # One rebuild for both (each costs a full demo build): --reset with --communities 2 deletes the demo, builds
    # 青和居 again with the same rows (the first community does not depend on how many follow) and one more like it.
    fingerprint, visits = _rows("qinghejuju"), _visit_rows("qinghejuju")
    party = _party_rows("qinghejuju")
    out = StringIO()
    call_command("demo", "--reset", "--communities", "2", stdout=out)
    assert "已删除" in out.getvalue()
    assert "2个社区，16468名居民" in out.getvalue()
    assert _rows("qinghejuju") == fingerprint
    assert _visit_rows("qinghejuju") == visits
    assert _party_rows("qinghejuju") == party
    assert User.objects.filter(username__in=["jiedao", "jumin"]).count() == 2

    assert Community.objects.count() == 2 and Street.objects.count() == 1
    assert Resident.objects.filter(status="active").count() == 16468
    assert Visit.objects.count() > 100_000
    assert Visit.objects.values("community").distinct().count() == 2
    for community in Community.objects.all():
        residents = Resident.objects.filter(community=community, status="active")
        assert residents.count() == SHAPE.residents
        assert over_60(residents).count() == SHAPE.elderly
        assert Household.objects.filter(building__community=community).count() == SHAPE.households
        assert tagged("living_alone", community=community).count() == SHAPE.living_alone
        assert Resident.objects.filter(community=community, status="moved_out").count() > 0.01 * SHAPE.residents
        assert tagged("empty_nest", grid__number=1, community=community).count() == SHAPE.grid1_empty_nest
    other = Community.objects.exclude(code="qinghejuju").get()
    assert other.name.endswith("社区") and other.name != "青和居社区"
    assert Resident.objects.values("id_hash").distinct().count() == Resident.objects.count()

    by_logins = list(ChangeRecord.objects.filter(actor__username="shequ").values_list("pk", flat=True))
    assert by_logins  # the departures shequ marked
    reset_demo()
    assert not ChangeRecord.objects.filter(pk__in=by_logins).exists()
    assert not Street.objects.filter(code="gongrencun").exists() and not Community.objects.exists()
    assert not Resident.objects.exists() and not Household.objects.exists()
    assert not User.objects.filter(username="jiedao").exists()
    assert not ChangeRecord.objects.filter(actor_label=ACTOR_LABEL).exists()
    assert Tag.objects.filter(code="elderly60").exists()


def test_it_refuses_more_streets_than_communities(db):
    with pytest.raises(CommandError):
        call_command("demo", "--communities", "2", "--streets", "3", stdout=StringIO())


def test_the_printed_logins_include_the_family_helper(demo_output, db):
    table = demo_output.split("演示账号：")[-1]
    assert "jiaren" in table and "家人帮忙" in table
    assert User.objects.filter(username="jiaren", resident__isnull=False).exists()
