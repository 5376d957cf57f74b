import pytest

from linli.deliberation import services
from linli.deliberation.choices import MatterScope

pytestmark = pytest.mark.django_db


def api(client, user, path, **query):
    client.force_login(user)
    return client.get(f"/api/deliberation{path}", query)


def test_the_list_filters_like_the_page_and_stays_in_scope(dw, client):
    lift = dw.matter(title="加装电梯", scope=MatterScope.BUILDING, buildings=[dw.world.buildings["b2"]])
    dw.matter(title="充电棚")
    dw.matter("w1_staff", community="w1", title="西一的议题")
    rows = api(client, dw.users["secretary"], "/matters").json()["items"]
    assert {r["title"] for r in rows} == {"加装电梯", "充电棚"}
    rows = api(client, dw.users["secretary"], "/matters", grid=dw.world.grids["g2"].pk, status="open").json()["items"]
    assert [r["id"] for r in rows] == [lift.pk] and rows[0]["buildings"] == ["2栋"]
    response = api(client, dw.users["secretary"], "/matters", grid=dw.world.grids["g4"].pk)
    assert response.status_code == 422 and response["Linli-Refusal"] == "rule"
    assert api(client, dw.users["secretary"], "/matters", status="nonsense").status_code == 422


def test_the_detail_has_households_and_tasks_and_no_names(dw, client):
    matter = services.propose_matter(actor=dw.actor("resident"), title="装扶手")
    services.accept_matter(matter, actor=dw.actor("staff"))
    services.add_task(matter, actor=dw.actor("staff"), title="量尺寸", owner=dw.users["staff"], deadline=dw.today)
    data = api(client, dw.users["grid_worker_2"], f"/matters/{matter.pk}").json()
    assert data["households"] == matter.households_in_scope().count() and data["tasks"][0]["title"] == "量尺寸"
    assert data["raised_by_label"] == "居民" and "陈奶奶" not in str(data)
    assert api(client, dw.users["w1_staff"], f"/matters/{matter.pk}").status_code == 404
    assert api(client, dw.users["resident"], f"/matters/{matter.pk}").status_code == 403
