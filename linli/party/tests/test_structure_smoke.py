"""The party world builds through the services and the scope rules hold on it (the skeleton's smoke test)."""

import pytest
from django.core.exceptions import ValidationError

from linli.party.choices import OrgKind
from linli.party.models import PairingContact, PartyHousehold, PartyMeeting, PartyMember, PartyOrg
from linli.party.testing import org

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(str(row) for row in qs)


def test_party_work_roles_read_their_area_roster_only(pw):
    assert names(PartyMember.objects.restrict(pw.users["secretary"])) == ["刘在职", "周报到", "李四", "王五"]
    assert "孙七" not in names(PartyMember.objects.restrict(pw.users["street_admin"]))
    for persona in ("staff", "grid_worker_2", "dept_handler", "volunteer", "resident", "nobody"):
        assert not PartyMember.objects.restrict(pw.users[persona]).exists(), persona


def test_a_branch_secretary_reads_their_branch_and_records_its_life(pw):
    secretary = pw.users["grid_worker_1"]
    assert names(PartyMember.objects.restrict(secretary)) == ["刘在职", "李四"]
    assert names(PartyOrg.objects.restrict(secretary, "record")) == ["东一第1网格党支部", "东一第1网格第一党小组"]
    assert not PartyMember.objects.restrict(secretary, "manage").exists()
    assert PartyMeeting.objects.restrict(secretary).get() == pw.meetings["e1"]


def test_household_readers_see_the_centre_and_the_pairing_notes(pw):
    worker = pw.users["grid_worker_1"]
    assert PartyHousehold.objects.restrict(worker).get() == pw.centres["e1"]
    assert PairingContact.objects.restrict(worker).get() == pw.contacts["e1"]
    assert not PartyHousehold.objects.restrict(pw.users["grid_worker_2"]).exists()
    assert pw.centres["e1"].covered.count() == 2


def test_the_tree_refuses_a_level_under_the_wrong_parent(pw):
    with pytest.raises(ValidationError) as error:
        org(OrgKind.GRID_BRANCH, "错挂的支部", pw.orgs["e1_committee"], grid=pw.grids["g1"])
    assert "网格党支部的上级应是社区党组织" in str(error.value)


def test_the_attendance_lists_every_member_of_the_branch(pw):
    rows = dict(pw.meetings["e1"].attendance.values_list("member__name", "status"))
    assert rows == {"李四": "present", "刘在职": "leave"}


def test_service_figures_count_meetings_pairings_and_contacts(pw):
    from linli.party.service import member_figures, unit_figures

    figures = member_figures([pw.members["e1"], pw.members["e1_in_service"]], 2026)
    li, liu = figures[pw.members["e1"].pk], figures[pw.members["e1_in_service"].pk]
    assert (li.pairings, li.contacts, li.meetings_attended, li.attendance_rate) == (1, 1, 1, 100)
    assert (liu.meetings_attended, liu.meetings_expected, liu.attendance_rate) == (0, 1, 0)
    [unit] = unit_figures([pw.units["e1"]], 2026)
    assert unit.total.members == 1 and unit.members[0][0] == pw.members["e1_in_service"]
    assert member_figures([pw.members["e1"]], 2025)[pw.members["e1"].pk].pairings == 0
