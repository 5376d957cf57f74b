"""The read-only volunteers API: activities (filters, detail counts) and hours, scoped, phones masked."""

import datetime

import pytest

from linli.testing import SYSTEM, bearer
from linli.volunteers import services
from linli.volunteers.tests.helpers import activity, volunteer
from linli.volunteers.tests.test_records import served

pytestmark = pytest.mark.django_db

LIST = "/api/volunteers/activities"
HOURS = "/api/volunteers/hours"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["title"] for a in response.json()["items"]]


@pytest.fixture
def activities(world):
    patrol = activity(world, title="夜间巡逻", kind="patrol", start=24, capacity=1)
    cleaning = activity(world, title="楼道清洁", kind="cleaning", start=-48)
    rained = activity(world, title="巡河", kind="river_patrol", start=48)
    services.cancel_activity(rained, actor=SYSTEM, reason="下雨")
    other = activity(world, title="西一巡逻", kind="patrol", community="w1", start=24)
    for name in ("甲", "乙", "丙"):
        services.sign_up(patrol, volunteer(world, name=name), actor=SYSTEM)
    return {"patrol": patrol, "cleaning": cleaning, "rained": rained, "other": other}


def test_staff_list_their_communitys_activities_with_counts_and_states(world, client, activities):
    response = client.get(LIST, **bearer(world.users["staff"]))
    assert titles(response) == ["巡河", "夜间巡逻", "楼道清洁"]  # newest first; 西一 is not theirs
    rows = {a["title"]: a for a in response.json()["items"]}
    assert (rows["夜间巡逻"]["confirmed"], rows["夜间巡逻"]["waiting"], rows["夜间巡逻"]["state"]) == (1, 2, "upcoming")
    assert (rows["巡河"]["state"], rows["巡河"]["cancel_reason"]) == ("cancelled", "下雨")
    assert rows["楼道清洁"]["state"] == "ended" and rows["楼道清洁"]["kind_label"] == "清洁"


def test_activities_filter_by_type_state_date_and_community(world, client, activities):
    client.force_login(world.users["street_admin"])
    assert titles(client.get(LIST, {"kind": "patrol"})) == ["夜间巡逻"]
    assert titles(client.get(LIST, {"state": "cancelled"})) == ["巡河"]
    assert titles(client.get(LIST, {"state": "upcoming"})) == ["夜间巡逻"]
    today = datetime.date.today()
    assert titles(client.get(LIST, {"date_to": str(today)})) == ["楼道清洁"]
    assert titles(client.get(LIST, {"community": world.communities["e2"].pk})) == []
    bad = client.get(LIST, {"state": "rained", "date_from": "2026-13-01"})
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["detail"]} == {"state", "date_from"}
    backwards = client.get(LIST, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert backwards.status_code == 422 and "不能早于" in backwards.json()["detail"][0]["message"]


def test_activity_detail_has_sign_up_counts_and_other_communities_get_404(world, client, activities):
    client.force_login(world.users["secretary"])
    detail = client.get(f"{LIST}/{activities['patrol'].pk}").json()
    assert (detail["confirmed"], detail["waiting"], detail["attended"], detail["checked_in"]) == (1, 2, 0, 0)
    rained = client.get(f"{LIST}/{activities['rained'].pk}").json()
    assert rained["state"] == "cancelled" and rained["cancelled_at"]
    missing = client.get(f"{LIST}/{activities['other'].pk}")
    assert missing.status_code == 404 and "不在您的管辖范围内" in missing.json()["detail"]
    assert client.get(f"{LIST}/{2**70}").status_code == 404


def test_a_volunteer_sees_the_activities_of_their_own_communities_only(world, client, activities):
    client.force_login(world.users["volunteer"])
    assert titles(client.get(LIST)) == []  # not registered anywhere yet
    volunteer(world, name="本人", user=world.users["volunteer"])
    assert "夜间巡逻" in titles(client.get(LIST))
    assert client.get(f"{LIST}/{activities['other'].pk}").status_code == 404


@pytest.mark.parametrize("persona", ["grid_worker_1", "dept_handler", "resident"])
def test_roles_without_the_permission_get_403(world, client, activities, persona):
    client.force_login(world.users[persona])
    for path in (LIST, f"{LIST}/{activities['patrol'].pk}", HOURS):
        response = client.get(path)
        assert response.status_code == 403 and response.json()["detail"] == "您的角色没有这项权限。", path


def test_unauthenticated_requests_get_401(client):
    assert client.get(LIST).status_code == 401


def test_hours_summary_is_scoped_and_masks_phones(world, client):
    xia = volunteer(world, name="夏谋阶", phone="13911112222")
    served(world, xia, year=2025, kind="patrol", hours=2)
    served(world, xia, year=2025, kind="cleaning", hours="1.5")
    west = volunteer(world, name="西一的", community="w1", phone="13733334444")
    served(world, west, year=2025, hours=5)
    client.force_login(world.users["staff"])  # staff may see full phones on pages; the API masks them
    data = client.get(HOURS, {"year": 2025}).json()
    assert (data["start"], data["end"], data["total"], data["count"]) == ("2025-01-01", "2025-12-31", "3.50", 2)
    [row] = data["volunteers"]
    assert row["name"] == "夏谋阶" and row["phone"] == "139****2222" and "13911112222" not in str(data)
    assert {k["kind"]: k["hours"] for k in row["by_kind"]} == {"patrol": "2.00", "cleaning": "1.50"}
    ranged = client.get(HOURS, {"date_from": "2025-06-01", "date_to": "2025-06-30"}).json()
    assert ranged["total"] == "3.50"
    assert client.get(HOURS, {"date_from": "2025-06-01"}).status_code == 422
    assert client.get(HOURS, {"year": 1999}).status_code == 422


def test_a_volunteer_gets_only_their_own_hours(world, client):
    mine = volunteer(world, name="本人", user=world.users["volunteer"], phone="13955556666")
    served(world, mine, year=2025, hours=2)
    served(world, volunteer(world, name="别人"), year=2025, hours=3)
    client.force_login(world.users["volunteer"])
    rows = client.get(HOURS, {"year": 2025}).json()["volunteers"]
    assert [(r["name"], r["phone"]) for r in rows] == [("本人", "139****6666")]


def test_the_openapi_schema_lists_the_volunteer_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/volunteers/activities", "/api/volunteers/activities/{activity_id}", "/api/volunteers/hours"):
        assert set(paths[path]) == {"get"}, path  # read-only
