"""ActivityFilterSet: the activity list page and the API filter by the same definition and give the same rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.volunteers.tests.helpers import activity
from linli.volunteers.tests.test_api import LIST, activities, bearer, titles  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

PAGE = "volunteers:activity_list"


def page_titles(response) -> set[str]:
    assert response.status_code == 200
    return {a.title for a in response.context["upcoming"]} | {a.title for a in response.context["page"]}


@pytest.fixture
def more(world, activities):  # noqa: F811  (the fixture imported above)
    activity(world, title="东二演出", kind="performance", community="e2", start=-1, length=3)  # running now
    return activities


def filters_to_try(world):
    today = timezone.localdate()
    return [
        {},
        {"kind": "patrol"},
        {"kind": "performance"},
        {"state": "upcoming"},
        {"state": "ongoing"},
        {"state": "ended"},
        {"state": "cancelled"},
        {"date_from": str(today + datetime.timedelta(days=1))},
        {"date_to": str(today)},
        {"date_from": str(today - datetime.timedelta(days=3)), "date_to": str(today)},
        {"community": world.communities["e1"].pk},
        {"community": world.communities["e2"].pk, "state": "ongoing"},
        {"community": world.communities["e1"].pk, "kind": "patrol", "state": "upcoming"},
    ]


@pytest.mark.parametrize("persona", ["street_admin", "staff"])
def test_the_page_and_the_api_give_the_same_activities_for_the_same_filters(world, client, more, persona):
    client.force_login(world.users[persona])
    api = bearer(world.users[persona])
    seen = set()
    for params in filters_to_try(world):
        if persona == "staff" and params.get("community") == world.communities["e2"].pk:
            continue  # not theirs: refused (see below)
        on_page = page_titles(client.get(reverse(PAGE), params))
        assert on_page == set(titles(client.get(LIST, params, **api))), params
        seen |= on_page
    assert "西一巡逻" not in seen
    assert ("东二演出" in seen) == (persona == "street_admin")


def test_the_filters_narrow_as_labelled(world, client, more):
    client.force_login(world.users["street_admin"])
    assert page_titles(client.get(reverse(PAGE), {"state": "ongoing"})) == {"东二演出"}
    assert page_titles(client.get(reverse(PAGE), {"state": "upcoming"})) == {"夜间巡逻"}
    assert page_titles(client.get(reverse(PAGE), {"state": "cancelled"})) == {"巡河"}
    assert page_titles(client.get(reverse(PAGE), {"state": "ended"})) == {"楼道清洁"}
    assert page_titles(client.get(reverse(PAGE), {"community": world.communities["e2"].pk})) == {"东二演出"}


def test_the_page_offers_the_community_filter_to_a_street_admin_only(world, client, more):
    client.force_login(world.users["street_admin"])
    page = client.get(reverse(PAGE)).content.decode()
    for label in ("社区", "活动类型", "状态", "即将开始", "进行中", "已结束", "开始日期从", "开始日期到"):
        assert label in page, label
    assert 'name="community"' in page and "东二社区" in page
    client.force_login(world.users["staff"])
    page = client.get(reverse(PAGE)).content.decode()
    assert 'name="community"' not in page and 'name="state"' in page


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"state": "rained"}, "state", "的选项无效"),
        ({"kind": "party"}, "kind", "的选项无效"),
        ({"date_from": "2026-13-01"}, "date_from", "有效的日期"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to", "结束日期不能早于开始日期"),
        ({"date_to": "9999-12-31"}, "date_to", "日期请在2000年到2100年之间"),
        ({"date_from": "0001-01-01"}, "date_from", "日期请在2000年到2100年之间"),
        ({"community": "west"}, "community", "的选项无效"),
        ({"community": "99999999999999999999"}, "community", "的选项无效"),
    ],
)
def test_bad_filter_values_get_a_chinese_message_on_the_page_and_422_in_the_api(
    world, client, more, params, field, message
):
    client.force_login(world.users["street_admin"])
    response = client.get(reverse(PAGE), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "筛选条件有误" in body and message in body
    api = client.get(LIST, params)
    assert api.status_code == 422, api.content
    assert field in {d["field"] for d in api.json()["detail"]}


def test_another_communitys_id_is_refused_not_answered_with_nothing(world, client, more):
    client.force_login(world.users["staff"])
    other = {"community": world.communities["w1"].pk}
    assert "筛选条件有误" in client.get(reverse(PAGE), other).content.decode()
    response = client.get(LIST, other)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "community"


def test_a_volunteer_filters_the_activities_of_their_own_community(world, client, more):
    from linli.volunteers.tests.helpers import volunteer

    volunteer(world, name="本人", user=world.users["volunteer"])
    client.force_login(world.users["volunteer"])
    params = {"community": world.communities["e1"].pk, "state": "upcoming"}
    assert page_titles(client.get(reverse(PAGE), params)) == {"夜间巡逻"} == set(titles(client.get(LIST, params)))
