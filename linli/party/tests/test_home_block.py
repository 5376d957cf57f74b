"""The 党建 home block: party-work roles and secretaries see their communities' or branches' members by status,
党员中心户 coverage, 双报到 and service figures; other staff see nothing of it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.areas.models import Household
from linli.party.choices import MemberStatus, OrgKind
from linli.party.home import party_home
from linli.party.testing import member, org

pytestmark = pytest.mark.django_db


def home_page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_community_secretary_sees_a_row_per_branch(pw, client):
    html = home_page(client, pw.users["secretary"])
    assert 'data-block="party"' in html
    assert "东一第1网格党支部" in html and "东一第2网格党支部" in html
    assert "西一" not in html
    block = party_home(pw.users["secretary"])["party_block"]
    rows = {r.label: r for r in block["rows"]}
    counts = dict((label, n) for label, n, _url in rows["东一第1网格党支部"].counts)
    assert counts["在册"] == 1 and counts["在职"] == 1
    assert rows["东一第1网格党支部"].total == 2 and rows["东一第2网格党支部"].total == 1
    assert block["totals"].total == 3  # 周报到 waits for confirmation: not counted
    assert block["pending_members"] == 1 and block["units"]["dual"] == 1 and block["in_service"] == 1


def test_coverage_counts_the_households_a_centre_looks_after(pw):
    block = party_home(pw.users["secretary"])["party_block"]
    row = {r.label: r for r in block["rows"]}["东一第1网格党支部"]
    # covered: the two households 李四's 中心户 looks after and the 中心户 itself (linli.party.structure.coverage_by)
    assert row.centres == 1 and row.covered == 3
    assert row.households == Household.objects.filter(building__grid=pw.grids["g1"]).count()
    community = Household.objects.filter(building__community=pw.communities["e1"]).count()
    assert (block["totals"].covered, block["totals"].households) == (3, community)


def test_a_branch_secretary_sees_only_their_branch(pw, client):
    html = home_page(client, pw.users["grid_worker_1"])
    assert 'data-block="party"' in html
    assert "东一第1网格党支部" in html and "东一第2网格党支部" not in html and "王五" not in html
    block = party_home(pw.users["grid_worker_1"])["party_block"]
    assert [r.label for r in block["rows"]] == ["东一第1网格党支部"]
    assert not block["manager"] and block["pending_members"] == 0


@pytest.mark.parametrize("persona", ["staff", "grid_worker_2", "volunteer", "resident", "nobody"])
def test_other_staff_see_no_party_block(pw, client, persona):
    assert 'data-block="party"' not in home_page(client, pw.users[persona])


def test_a_reader_of_several_communities_gets_a_row_per_community(pw):
    e2 = pw.communities["e2"]
    committee = org(OrgKind.COMMUNITY_COMMITTEE, "东二社区大党委", pw.orgs["east"], community=e2)
    e2_org = org(OrgKind.COMMUNITY_ORG, "东二社区党委", committee)
    member(e2, "东二党员", phone="13900001111", branch=e2_org)
    block = party_home(pw.users["street_admin"])["party_block"]
    assert block["by_community"]
    assert {r.label: r.total for r in block["rows"]} == {"东一社区": 3, "东二社区": 1}
    assert block["totals"].total == 4
    assert party_home(pw.users["secretary"])["party_block"]["by_community"] is False


def test_the_block_takes_a_fixed_number_of_queries(pw):
    def count(user):
        with CaptureQueriesContext(connection) as queries:
            party_home(user)
        return len(queries)

    user = pw.users["secretary"]
    count(user)  # the first call fills the user's cached role and scope
    before = count(user)
    branch = org(OrgKind.GRID_BRANCH, "东一第3网格党支部", pw.orgs["e1_org"], grid=pw.grids["g2"])
    for n in range(4):
        member(pw.communities["e1"], f"新党员{n}", phone="13900000000", branch=branch, status=MemberStatus.IN_SERVICE)
    # orgs, members, coverage by grid and by community (3 + 3), service (3: no volunteer or claimer linked here),
    # units, pending registrations, this month's compliance (3)
    assert count(user) == before <= 16


def test_the_help_page_explains_party_work(pw, client):
    client.force_login(pw.users["staff"])
    html = client.get(reverse("core:help")).content.decode()
    assert 'id="help-party"' in html and "三会一课" in html and "双报到" in html
