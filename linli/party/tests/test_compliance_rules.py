"""The 三会一课 rules across month, quarter and year boundaries (linli.party.compliance)."""

import datetime

import pytest

from linli.party import compliance
from linli.party.choices import MeetingKind as K
from linli.party.choices import OrgKind
from linli.party.models import PartyOrg
from linli.party.services import record_meeting
from linli.party.testing import org
from linli.testing import SYSTEM

D = datetime.date


def meet(branch, kind, day):
    return record_meeting(branch, actor=SYSTEM, kind=kind, held_on=day, topic=f"{kind} {day}")


def cell(branch, kind, year, month, today):
    [row] = compliance.table([PartyOrg.objects.get(pk=branch.pk)], year, today)
    return next(c for c in row.cells(month) if c.kind == kind)


def test_quarterly_kinds_have_calendar_quarters_and_monthly_kinds_months():
    assert compliance.period_span(K.GENERAL, 2026, 9) == (D(2026, 7, 1), D(2026, 9, 30))
    assert compliance.period_span(K.LECTURE, 2026, 10) == (D(2026, 10, 1), D(2026, 12, 31))
    assert compliance.period_span(K.COMMITTEE, 2026, 12) == (D(2026, 12, 1), D(2026, 12, 31))
    assert compliance.period_span(K.THEME_DAY, 2024, 2) == (D(2024, 2, 1), D(2024, 2, 29))
    assert compliance.period_label(K.GENERAL, 2026, 11) == "2026年第4季度"


def test_an_open_period_is_due_then_soon_in_its_last_seven_days_then_missing():
    start, end = D(2026, 12, 1), D(2026, 12, 31)
    assert compliance.status_of(False, start, end, D(2026, 12, 23)) == compliance.DUE
    assert compliance.status_of(False, start, end, D(2026, 12, 24)) == compliance.SOON
    assert compliance.status_of(False, start, end, D(2026, 12, 31)) == compliance.SOON
    assert compliance.status_of(False, start, end, D(2027, 1, 1)) == compliance.MISSING
    assert compliance.status_of(False, start, end, D(2026, 11, 30)) == compliance.FUTURE
    assert compliance.status_of(True, start, end, D(2027, 1, 1)) == compliance.HELD


@pytest.mark.django_db
def test_a_general_meeting_on_30_september_counts_for_q3_not_q4(pw):
    meet(pw.orgs["e1"], K.GENERAL, D(2026, 9, 30))
    today = D(2026, 10, 15)
    assert [cell(pw.orgs["e1"], K.GENERAL, 2026, m, today).status for m in (7, 8, 9)] == ["held"] * 3
    assert cell(pw.orgs["e1"], K.GENERAL, 2026, 10, today).status == compliance.DUE
    assert cell(pw.orgs["e1"], K.GENERAL, 2026, 6, today).status == compliance.MISSING


@pytest.mark.django_db
def test_a_lecture_on_1_january_does_not_count_for_the_quarter_before(pw):
    meet(pw.orgs["e1"], K.LECTURE, D(2027, 1, 1))
    today = D(2027, 1, 5)
    assert cell(pw.orgs["e1"], K.LECTURE, 2026, 12, today).status == compliance.MISSING
    assert cell(pw.orgs["e1"], K.LECTURE, 2027, 1, today).status == compliance.HELD
    assert cell(pw.orgs["e1"], K.LECTURE, 2027, 3, today).status == compliance.HELD


@pytest.mark.django_db
def test_decembers_committee_meeting_closes_the_year(pw):
    branch = pw.orgs["e1"]  # its committee met on 10 November (the party world)
    assert cell(branch, K.COMMITTEE, 2026, 11, D(2026, 12, 20)).status == compliance.HELD
    assert cell(branch, K.COMMITTEE, 2026, 12, D(2026, 12, 23)).status == compliance.DUE
    assert cell(branch, K.COMMITTEE, 2026, 12, D(2026, 12, 24)).status == compliance.SOON
    assert cell(branch, K.COMMITTEE, 2026, 12, D(2027, 1, 1)).status == compliance.MISSING
    meet(branch, K.COMMITTEE, D(2026, 12, 31))
    assert cell(branch, K.COMMITTEE, 2026, 12, D(2027, 1, 1)).status == compliance.HELD
    assert cell(branch, K.COMMITTEE, 2027, 1, D(2027, 1, 2)).status == compliance.DUE


@pytest.mark.django_db
def test_a_branch_established_mid_quarter_owes_that_quarter_but_not_the_periods_before(pw):
    branch = org(
        OrgKind.GRID_BRANCH, "新成立支部", pw.orgs["e1_org"], grid=pw.grids["g2"], established_on=D(2026, 8, 15)
    )
    today = D(2026, 11, 20)
    assert cell(branch, K.GENERAL, 2026, 6, today).status == compliance.NOT_APPLICABLE
    assert cell(branch, K.GENERAL, 2026, 7, today).status == compliance.MISSING  # Q3 contains 15 August
    assert cell(branch, K.COMMITTEE, 2026, 7, today).status == compliance.NOT_APPLICABLE
    assert cell(branch, K.COMMITTEE, 2026, 8, today).status == compliance.MISSING


@pytest.mark.django_db
def test_a_group_meeting_counts_for_its_branch_when_every_group_held_one(pw):
    today = D(2026, 11, 20)
    assert cell(pw.orgs["e1"], K.GROUP, 2026, 11, today).status == compliance.DUE
    meet(pw.orgs["e1_group"], K.GROUP, D(2026, 11, 3))
    held = cell(pw.orgs["e1"], K.GROUP, 2026, 11, today)
    assert (held.status, held.detail) == (compliance.HELD, "1/1个党小组")
    org(OrgKind.GROUP, "东一第1网格第二党小组", pw.orgs["e1"])
    half = cell(pw.orgs["e1"], K.GROUP, 2026, 11, today)
    assert (half.status, half.detail) == (compliance.DUE, "1/2个党小组")


@pytest.mark.django_db
def test_a_branch_without_groups_is_not_asked_for_group_meetings(pw):
    assert cell(pw.orgs["e1_b2"], K.GROUP, 2026, 11, D(2026, 12, 5)).status == compliance.NOT_REQUIRED
    assert cell(pw.orgs["e1_org"], K.GROUP, 2026, 11, D(2026, 12, 5)).label == "无需开展"


@pytest.mark.django_db
def test_a_meeting_of_another_branch_or_kind_does_not_count(pw):
    meet(pw.orgs["e1_b2"], K.LECTURE, D(2026, 10, 9))
    meet(pw.orgs["e1"], K.THEME_DAY, D(2026, 10, 9))
    assert cell(pw.orgs["e1"], K.LECTURE, 2026, 10, D(2026, 11, 1)).status == compliance.DUE
    assert cell(pw.orgs["e1_b2"], K.LECTURE, 2026, 10, D(2026, 11, 1)).status == compliance.HELD


@pytest.mark.django_db
def test_the_table_reads_a_fixed_number_of_queries_whatever_the_branches(pw, django_assert_num_queries):
    for n in range(6):
        b = org(OrgKind.GRID_BRANCH, f"支部{n}", pw.orgs["e1_org"], grid=pw.grids["g1"])
        org(OrgKind.GROUP, f"小组{n}", b)
        meet(b, K.COMMITTEE, D(2026, 3, 2))
    branches = list(PartyOrg.objects.branches())
    with django_assert_num_queries(2):
        rows = compliance.table(branches, 2026, D(2026, 12, 5))
    assert len(rows) == len(branches) > 8
