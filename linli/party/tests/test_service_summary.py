"""党员服务汇总 and its export: scoped like the roster, filtered by one FilterSet, totals at the top, masked and logged
export, a fixed number of queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from linli.core.models import ExportRecord
from linli.party.choices import ExportKind

pytestmark = pytest.mark.django_db


def rows_of(response):
    return [name for name, _ in response.context["page"]]


def names(response):
    return sorted(m.name for m, _ in response.context["page"])


def test_the_community_secretary_sees_the_communitys_confirmed_members(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:service_summary"), {"year": 2026})
    assert names(response) == ["刘在职", "李四", "王五"]  # 周报到 waits for confirmation
    assert response.context["total"].members == 3 and response.context["total"].pairings == 1


def test_a_branch_secretary_sees_their_branch_only(client, pw):
    client.force_login(pw.users["grid_worker_1"])
    response = client.get(reverse("party:service_summary"))
    assert names(response) == ["刘在职", "李四"]
    assert client.get(reverse("party:service_export")).status_code == 403


def test_the_street_sees_its_communities_and_filters_them(client, pw):
    client.force_login(pw.users["street_admin"])
    response = client.get(reverse("party:service_summary"))
    assert "孙七" not in names(response)
    branch = client.get(reverse("party:service_summary"), {"branch": pw.orgs["e1_b2"].pk})
    assert names(branch) == ["王五"]
    unit = client.get(reverse("party:service_summary"), {"work_unit": pw.units["e1"].pk})
    assert names(unit) == ["刘在职"]
    wrong = client.get(reverse("party:service_summary"), {"branch": pw.orgs["w1"].pk, "year": "二〇二六"})
    assert "找不到这个支部" in wrong.content.decode() and "请填写年份" in wrong.content.decode()


def test_members_are_sorted_by_what_was_asked(client, pw):
    client.force_login(pw.users["secretary"])
    by_contacts = client.get(reverse("party:service_summary"), {"sort": "contacts", "year": 2026})
    assert [m.name for m, _ in by_contacts.context["page"]][0] == "李四"
    by_name = client.get(reverse("party:service_summary"), {"sort": "name"})
    assert [m.name for m, _ in by_name.context["page"]] == sorted(["刘在职", "李四", "王五"])


def test_the_export_is_masked_and_logged(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:service_export"), {"year": 2026, "status": "in_service"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][1] == "刘在职" and values[1][5] == "139****2233"
    assert values[2][0] == "合计"
    assert "13911112233" not in str(values)
    record = ExportRecord.objects.get(kind=ExportKind.SERVICE)
    assert record.user == pw.users["secretary"] and record.row_count == 1 and record.masked
    assert record.filters["year"] == 2026 and record.filters["status"] == "in_service"


def test_staff_and_other_roles_get_403(client, pw):
    for persona in ("staff", "grid_worker_2", "volunteer", "resident"):
        client.force_login(pw.users[persona])
        assert client.get(reverse("party:service_summary")).status_code == 403, persona
        assert client.get(reverse("party:service_export")).status_code == 403, persona


def test_the_summary_takes_a_fixed_number_of_queries(client, pw, django_assert_max_num_queries):
    from linli.party.testing import member

    for n in range(8):
        member(pw.communities["e1"], f"报到党员{n}", phone=f"1390000000{n}", branch=pw.orgs["e1"])
    client.force_login(pw.users["street_admin"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("party:service_summary"))
    assert len(response.context["page"]) == 11


@pytest.mark.usefixtures("cached_reports")
def test_the_totals_are_reused_per_scope_and_say_when_they_were_computed(client, pw, settings):
    from django.utils import timezone

    client.force_login(pw.users["secretary"])
    first = client.get(reverse("party:service_summary"), {"year": 2026})
    computed_at = first.context["computed_at"]
    assert f"数据更新于 {timezone.localtime(computed_at):%H:%M}" in first.content.decode()
    again = client.get(reverse("party:service_summary"), {"year": 2026})
    assert again.context["computed_at"] == computed_at  # reused within LINLI_FIGURES_CACHE_SECONDS
    # another scope (a branch secretary) and another filter never get the community's totals
    client.force_login(pw.users["grid_worker_1"])
    branch = client.get(reverse("party:service_summary"), {"year": 2026})
    assert names(branch) == ["刘在职", "李四"] and branch.context["total"].members == 2
    client.force_login(pw.users["secretary"])
    sorted_by_name = client.get(reverse("party:service_summary"), {"year": 2026, "sort": "name"})
    assert [m.name for m, _ in sorted_by_name.context["page"]] == sorted(["刘在职", "李四", "王五"])
    assert first.context["total"].members == 3
