"""The compliance page and its export: whose branches, statuses in words (not colour only), links, speed."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from linli.core.models import ExportRecord
from linli.party.choices import OrgKind
from linli.party.services import record_meeting
from linli.party.testing import org
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

URL = reverse("party:compliance")


def test_the_street_sees_every_communitys_branches_grouped_with_totals(pw, client):
    client.force_login(pw.users["street_admin"])
    html = client.get(URL + "?year=2026&month=11").content.decode()
    assert "东一第1网格党支部" in html and "东一第2网格党支部" in html and "东一社区党委" in html
    assert "西一" not in html
    assert "已开展" in html and "✓" in html  # 东一第1网格's 支部委员会 on 10 November
    assert "<h2>东一社区</h2>" in html


def test_a_branch_secretary_sees_their_branch_only_and_a_link_to_record_what_is_missing(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    html = client.get(URL + "?year=2026&month=11").content.decode()
    assert "东一第1网格党支部" in html and "东一第2网格党支部" not in html
    add = reverse("party:meeting_add") + f"?org={pw.orgs['e1'].pk}&amp;kind=theme_day"
    assert add in html
    held = reverse("party:meeting_list") + f"?org={pw.orgs['e1'].pk}&amp;kind=committee&amp;held_from=2026-11-01"
    assert held in html


def test_the_year_view_shows_every_month_with_short_kind_names(pw, client):
    client.force_login(pw.users["secretary"])
    html = client.get(URL + "?year=2026").content.decode()
    assert "全年" in html and "12月" in html and "支委✓" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=2026&month=13", "月份应为1至12之间的数字"),
        ("?year=99999&month=1", "年度应为2000至2100之间的数字"),
        ("?year=²&month=²", "年度应为2000至2100之间的数字"),
        ("?year=2026&month=-1", "月份应为1至12之间的数字"),
    ],
)
def test_odd_years_and_months_are_a_chinese_message_not_a_500(pw, client, query, message):
    client.force_login(pw.users["street_admin"])
    response = client.get(URL + query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert client.get(reverse("party:compliance_export") + query).status_code == 200


def test_the_page_reads_a_fixed_number_of_queries_for_many_branches(pw, client, django_assert_max_num_queries):
    client.force_login(pw.users["street_admin"])
    with django_assert_max_num_queries(20) as few:
        client.get(URL + "?year=2026&month=11")
    for n in range(8):
        branch = org(OrgKind.GRID_BRANCH, f"加测支部{n}", pw.orgs["e1_org"], grid=pw.grids["g1"])
        org(OrgKind.GROUP, f"加测小组{n}", branch)
        record_meeting(branch, actor=SYSTEM, kind="lecture", held_on=datetime.date(2026, 10, 3), topic="党课")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(URL + "?year=2026").content.decode()
    assert "加测支部7" in html


def test_the_export_is_a_workbook_of_the_users_branches_and_is_logged(pw, client):
    client.force_login(pw.users["street_admin"])
    response = client.get(reverse("party:compliance_export") + "?year=2026&month=11")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:4] == ["社区", "党组织", "书记", "支部党员大会"]
    branch = next(r for r in rows if r[1] == "东一第1网格党支部")
    assert branch[4] == "已开展"
    assert not any("西一" in str(v) for r in rows for v in r)
    record = ExportRecord.objects.get(kind="party_compliance")
    assert record.user == pw.users["street_admin"] and record.row_count == 3


def test_a_branch_secretary_may_not_export(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    assert client.get(reverse("party:compliance_export")).status_code == 403
    assert "导出Excel" not in client.get(URL).content.decode()
