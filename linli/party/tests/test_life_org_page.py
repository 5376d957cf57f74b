"""The organisational-life section of an organisation's page and the home block's compliance line (linli.party.life)."""

import datetime

import pytest
from django.template.loader import render_to_string

from linli.party.life import home_compliance, org_life
from linli.party.models import PartyOrg

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def test_a_branchs_section_has_its_year_row_last_meetings_and_attendance_rates(pw):
    ctx = org_life(pw.orgs["e1"], pw.users["grid_worker_1"], today=TODAY)
    assert [m.topic for m in ctx["life_meetings"]] == ["东一第1网格十一月支委会"]
    rates = {m.name: f.attendance_rate for m, f in ctx["life_members"]}
    assert rates == {"刘在职": 0, "李四": 100}
    committee = next(c for c in ctx["life_row"].cells(11) if c.kind == "committee")
    assert committee.status == "held"
    html = render_to_string("party/_org_life.html", ctx)
    assert "组织生活" in html and "支委✓" in html and "100%" in html and "记录会议" in html


def test_a_reader_without_the_record_right_gets_no_record_link(pw):
    pw.orgs["e1"].secretary = None
    pw.orgs["e1"].save()
    ctx = org_life(pw.orgs["e1"], pw.users["grid_worker_1"], today=TODAY)
    assert not ctx["life_can_record"] and ctx["life_members"] == [] and ctx["life_meetings"] == []


def test_the_section_is_read_in_a_fixed_number_of_queries(pw, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        org_life(pw.orgs["e1"], pw.users["street_admin"], today=TODAY)


def test_the_home_line_counts_this_months_cells(pw):
    branches = PartyOrg.objects.restrict(pw.users["secretary"]).branches()
    ctx = home_compliance(pw.users["secretary"], branches, today=TODAY)
    totals = ctx["compliance_totals"]
    assert ctx["compliance_branches"] == 3
    assert totals.held == 1  # 东一第1网格's 支部委员会
    assert totals.missing == 0 and totals.due == totals.required - 1
    html = render_to_string("party/_home_compliance.html", ctx)
    assert "已开展 1" in html and "/party/compliance/?year=2026&amp;month=11" in html
