"""The demo's party organisation (linli.party.demo) on the shared demo build: 青和居's five levels, 23 member units,
164 members (40 residents, 122 in-service), 30 党员中心户 covering 10–30 households each, a year of 三会一课 with
exactly two gaps, pairings with contact notes, 民主评议, and service figures drawn from the volunteers and wishes
demo."""

from collections import Counter

from django.db.models import Count, F
from django.utils import timezone

from linli.accounts.models import User
from linli.party.choices import MeetingKind, MemberStatus, OrgKind, Review
from linli.party.demo import _months
from linli.party.models import (
    Appraisal,
    CoveredHousehold,
    Pairing,
    PairingContact,
    PartnerUnit,
    PartyHousehold,
    PartyMeeting,
    PartyMember,
    PartyOrg,
)
from linli.party.service import member_figures


def test_it_builds_qinghes_five_levels(qinghe):
    orgs = PartyOrg.objects.filter(street=qinghe.street)
    kinds = Counter(orgs.values_list("kind", flat=True))
    assert kinds[OrgKind.STREET_COMMITTEE] == kinds[OrgKind.COMMUNITY_COMMITTEE] == kinds[OrgKind.COMMUNITY_ORG] == 1
    assert kinds[OrgKind.GRID_BRANCH] == 15 and kinds[OrgKind.GROUP] == 6
    assert orgs.get(kind=OrgKind.COMMUNITY_ORG).secretary.username == "shuji"
    first = orgs.get(kind=OrgKind.GRID_BRANCH, grid__number=1)
    assert (first.name, first.secretary.username, first.secretary_name) == ("第1网格党支部", "wangge1", "蒋桂梅")
    assert orgs.get(kind=OrgKind.GRID_BRANCH, grid__number=2).secretary.username == "wangge2"
    assert not orgs.filter(kind=OrgKind.GRID_BRANCH, secretary_name="").exists()


def test_its_committee_has_23_member_units_with_the_police_as_a_part_time_member(qinghe):
    units = PartnerUnit.objects.filter(community=qinghe)
    assert units.filter(in_committee=True).count() == 23
    police = units.get(kind="police")
    assert police.committee_post == "兼职委员"
    assert units.filter(kind="property").exists() and units.filter(kind="owners_committee").exists()


def test_it_has_164_members_40_residents_and_the_rest_in_service(qinghe):
    members = PartyMember.objects.filter(community=qinghe, is_active=True)
    confirmed = members.filter(review=Review.CONFIRMED)
    assert confirmed.count() == 164
    residents = confirmed.filter(resident__isnull=False).select_related("resident", "branch")
    assert residents.count() == 40
    assert set(residents.values_list("resident__tags__code", flat=True)) >= {"party_member"}
    assert all(m.branch.grid_id == m.resident.grid_id for m in residents)
    in_service = confirmed.filter(status=MemberStatus.IN_SERVICE)
    assert in_service.count() == 122 and not in_service.filter(work_unit__isnull=True).exists()
    assert in_service.values("work_unit").distinct().count() >= 18
    assert members.filter(review=Review.PENDING, source="self").count() == 3


def test_30_centres_each_look_after_10_to_30_neighbours_in_their_building(qinghe):
    centres = PartyHousehold.objects.filter(community=qinghe, is_active=True).annotate(n=Count("links"))
    assert centres.count() == 30
    assert all(10 <= c.n <= 30 for c in centres)
    assert all(c.member.resident.household_id == c.household_id for c in centres.select_related("member__resident"))
    strays = CoveredHousehold.objects.filter(centre__community=qinghe).exclude(
        household__building_id=F("centre__household__building_id")
    )
    assert not strays.exists()


def _held(qinghe):
    rows = PartyMeeting.objects.filter(community=qinghe).values_list("org__name", "kind", "held_on")
    held = {}
    for name, kind, day in rows:
        held.setdefault((name, kind), set()).add((day.year, day.month))
    return held


def test_a_year_of_meetings_has_exactly_two_gaps_to_show(qinghe):
    months = _months(timezone.localdate())
    quarters = {(m.year, (m.month - 1) // 3) for m in months}
    held = _held(qinghe)
    missing = Counter()
    for branch in PartyOrg.objects.filter(community=qinghe, kind__in=(OrgKind.GRID_BRANCH, OrgKind.COMMUNITY_ORG)):
        for kind in (MeetingKind.COMMITTEE, MeetingKind.THEME_DAY):
            got = held.get((branch.name, kind), set())
            missing[(branch.name, kind)] += sum((m.year, m.month) not in got for m in months)
        for kind in (MeetingKind.GENERAL, MeetingKind.LECTURE):
            got = {(y, (m - 1) // 3) for y, m in held.get((branch.name, kind), set())}
            missing[(branch.name, kind)] += len(quarters - got)
    gaps = {key: n for key, n in missing.items() if n}
    assert gaps == {("第3网格党支部", MeetingKind.COMMITTEE): 1, ("第7网格党支部", MeetingKind.LECTURE): 1}
    groups = PartyOrg.objects.filter(community=qinghe, kind=OrgKind.GROUP).values_list("name", flat=True)
    assert all(len(held[(name, MeetingKind.GROUP)]) == 12 for name in groups)


def test_members_service_is_drawn_from_the_volunteer_and_wish_records(qinghe):
    members = list(PartyMember.objects.filter(community=qinghe).active())
    figures = member_figures(members, timezone.localdate().year)
    assert sum(1 for f in figures.values() if f.volunteer_hours) >= 1
    assert sum(1 for f in figures.values() if f.wishes_claimed) >= 3
    assert sum(1 for f in figures.values() if f.meetings_attended) > 100
    xia = PartyMember.objects.get(community=qinghe, name="夏谋阶")
    assert xia.user == User.objects.get(username="zhiyuan") and xia.volunteer_id and xia.claimer_id
    assert xia.work_unit.name == "青山区税务局" and figures[xia.pk].volunteer_hours > 0


def test_members_are_paired_with_households_in_need_with_contact_notes(qinghe):
    pairings = Pairing.objects.filter(community=qinghe)
    assert pairings.count() >= 40
    tagged = pairings.filter(household__residents__tags__code__in=("living_alone", "empty_nest")).distinct()
    assert tagged.count() == pairings.count()
    assert PairingContact.objects.filter(pairing__community=qinghe).count() >= 2 * pairings.count()


def test_five_branches_appraised_their_members_last_year(qinghe):
    appraisals = Appraisal.objects.filter(community=qinghe, year=timezone.localdate().year - 1, finalised=True)
    assert appraisals.count() == 5
    assert all(a.entries.exclude(rating="").count() == a.entries.count() > 0 for a in appraisals)


def test_the_demo_branch_secretary_reads_only_their_branch(qinghe):
    wangge1 = User.objects.get(username="wangge1")
    seen = PartyMember.objects.restrict(wangge1)
    assert seen.exists()
    assert set(seen.values_list("branch__name", flat=True)) == {"第1网格党支部"}
    assert PartyMember.objects.restrict(User.objects.get(username="shuji")).filter(community=qinghe).count() == 167
