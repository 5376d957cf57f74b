"""The 党建 JSON API: what each caller reads (scope per persona is in tests/test_api_scope_matrix.py), phones
masked for everyone, resident ids only for readers of the resident, minutes and organisation phones for those who
keep them, and every page of the roster logged like an export."""

import pytest

from linli.core.models import ExportRecord
from linli.party.choices import ExportKind
from linli.party.models import PartyOrg
from linli.party.testing import DAY

pytestmark = pytest.mark.django_db


def get(client, user, path, **params):
    client.force_login(user)
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


def by_name(rows):
    return {row["name"]: row for row in rows}


def test_it_masks_every_members_phone_even_for_the_street_office(pw, client):
    rows = by_name(get(client, pw.users["street_admin"], "/api/party/members")["items"])
    assert rows["刘在职"]["phone"] == "139****2233"
    assert rows["李四"]["phone"] == "139****4321"  # the registry's number, masked
    assert "13911112233" not in str(rows) and "13987654321" not in str(rows)
    assert "id_number" not in rows["李四"]


def test_a_branch_secretary_lists_their_branch_and_no_other(pw, client):
    rows = by_name(get(client, pw.users["grid_worker_1"], "/api/party/members")["items"])
    assert set(rows) == {"李四", "刘在职"}
    assert rows["李四"]["branch"] == "东一第1网格党支部"
    assert rows["刘在职"]["work_unit"] == "东一税务所" and rows["刘在职"]["status"] == "in_service"


def test_the_member_list_filters_by_status_and_branch(pw, client):
    user = pw.users["secretary"]
    rows = get(client, user, "/api/party/members", status="in_service")["items"]
    assert {r["name"] for r in rows} == {"刘在职", "周报到"}
    rows = get(client, user, "/api/party/members", branch=pw.orgs["e1_b2"].pk)["items"]
    assert [r["name"] for r in rows] == ["王五"]
    rows = get(client, user, "/api/party/members", review="pending")["items"]
    assert [r["name"] for r in rows] == ["周报到"]


def test_each_page_of_the_roster_is_logged_like_an_export(pw, client):
    get(client, pw.users["secretary"], "/api/party/members", status="in_service", limit=1)
    record = ExportRecord.objects.get(kind=ExportKind.API_MEMBERS)
    assert record.user == pw.users["secretary"] and record.row_count == 1 and record.masked
    assert record.filters["status"] == "in_service" and record.filters["total"] == 2


def test_it_gives_a_resident_id_only_to_readers_of_the_resident(pw, client):
    li = pw.members["e1"]
    assert by_name(get(client, pw.users["secretary"], "/api/party/members")["items"])["李四"]["resident_id"] == (
        li.resident_id
    )
    # A volunteer who is secretary of 东一第2网格党支部 reads its roster, but not the resident registry.
    PartyOrg.objects.filter(pk=pw.orgs["e1_b2"].pk).update(secretary=pw.users["volunteer"])
    rows = by_name(get(client, pw.users["volunteer"], "/api/party/members")["items"])
    assert set(rows) == {"王五"} and rows["王五"]["resident_id"] is None
    detail = get(client, pw.users["volunteer"], f"/api/party/members/{pw.members['e1_b2'].pk}")
    assert detail["resident_id"] is None


def test_a_members_page_carries_their_service_of_the_year(pw, client):
    data = get(client, pw.users["secretary"], f"/api/party/members/{pw.members['e1'].pk}", year=DAY.year)
    service = data["service"]
    assert service["year"] == DAY.year
    assert (service["pairings"], service["contacts"], service["meetings_attended"]) == (1, 1, 1)
    assert service["attendance_rate"] == 100
    assert (
        get(client, pw.users["secretary"], f"/api/party/members/{pw.members['e1'].pk}", year=2000)["service"][
            "meetings_expected"
        ]
        == 0
    )


def test_an_organisations_phone_is_for_party_managers_only(pw, client):
    PartyOrg.objects.filter(pk=pw.orgs["e1"].pk).update(phone="13822223333")
    path = f"/api/party/orgs/{pw.orgs['e1'].pk}"
    assert get(client, pw.users["secretary"], path)["phone"] == "13822223333"
    assert get(client, pw.users["grid_worker_1"], path)["phone"] is None


def test_the_org_list_counts_confirmed_members_and_filters_by_kind(pw, client):
    rows = by_name(get(client, pw.users["secretary"], "/api/party/orgs", kind="grid_branch")["items"])
    assert set(rows) == {"东一第1网格党支部", "东一第2网格党支部"}
    assert rows["东一第1网格党支部"]["member_count"] == 2  # 李四 and 刘在职; 周报到 waits for confirmation
    assert rows["东一第1网格党支部"]["kind_label"] == "网格党支部"


def test_meetings_carry_attendance_counts_and_minutes_for_their_keepers(pw, client):
    from linli.party.models import PartyMeeting

    PartyMeeting.objects.filter(pk=pw.meetings["e1"].pk).update(minutes="研究了十一月走访安排。")
    rows = get(client, pw.users["grid_worker_1"], "/api/party/meetings")["items"]
    assert [r["topic"] for r in rows] == ["东一第1网格十一月支委会"]
    assert (rows[0]["present"], rows[0]["leave"], rows[0]["absent"]) == (1, 1, 0)
    assert rows[0]["minutes"] == "研究了十一月走访安排。"
    detail = get(client, pw.users["secretary"], f"/api/party/meetings/{pw.meetings['e1'].pk}")
    assert [(a["name"], a["status"], a["reason"]) for a in detail["attendance"]] == [
        ("李四", "present", ""),
        ("刘在职", "leave", "出差"),
    ]


def test_the_meeting_list_filters_by_kind_and_dates(pw, client):
    user = pw.users["street_admin"]
    assert get(client, user, "/api/party/meetings", kind="theme_day")["count"] == 0  # 西一's is outside 东街
    assert get(client, user, "/api/party/meetings", held_from=DAY.isoformat(), held_to=DAY.isoformat())["count"] == 1
    assert get(client, user, "/api/party/meetings", held_from="2030-01-01")["count"] == 0


def test_lists_take_a_fixed_number_of_queries(pw, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from linli.party.testing import member

    client.force_login(pw.users["street_admin"])

    def counts():
        out = []
        for path in ("/api/party/orgs", "/api/party/members", "/api/party/meetings"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            out.append(len(queries))
        return out

    counts()  # the first request of a session loads what later ones have cached
    before = counts()
    for n in range(3):
        member(pw.communities["e1"], f"新党员{n}", phone="13900000000", branch=pw.orgs["e1_b2"])
    assert counts() == before and max(before) <= 12
