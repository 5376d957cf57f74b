"""One WishFilterSet for the wish list page and /api/wishes: the same query string gives the same wishes.

The page opens on 待认领 when no status is asked for (the API then lists every status, what the page calls
status=all); with a status, a month and a community the two agree row for row. A value the filter refuses is a Chinese message on the page
and a 422 in the API, never a 500 or a silently different list.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.accounts.choices import TokenScope
from linli.testing import bearer
from linli.wishes import services
from linli.wishes.models import Wish
from linli.wishes.testing import new_wish

pytestmark = pytest.mark.django_db

LIST = "/api/wishes"


@pytest.fixture
def wishes(ww):
    """Open, claimed and cancelled wishes in two months and two communities of the street."""
    e1, e2 = ww.communities["e1"], ww.communities["e2"]
    march = new_wish(e1, title="帮忙修门锁")
    Wish.objects.filter(pk=march.pk).update(created_at=timezone.make_aware(datetime.datetime(2025, 3, 5, 10)))
    services.claim_wish(march, actor=ww.actor("volunteer"))
    e2_open = new_wish(e2, title="想要一台收音机")
    gone = new_wish(e2, title="想学用智能手机")
    services.cancel_wish(gone, actor=ww.actor("street_admin"), reason="已由家人解决")
    return {"march": march, "e2_open": e2_open, "gone": gone}


def page_ids(client, query) -> set[int]:
    response = client.get(reverse("wishes:wish_list"), query)
    assert response.status_code == 200
    assert not response.context["filter_errors"], response.context["filter_errors"]
    return {w.pk for w in response.context["page"]}


def api_ids(client, auth, query) -> set[int]:
    if query.get("status") == "all":  # the API's every status is no status (its schema lists the four)
        query = {k: v for k, v in query.items() if k != "status"}
    response = client.get(LIST, query, **auth)
    assert response.status_code == 200, response.content
    return {w["id"] for w in response.json()["items"]}


@pytest.mark.parametrize(
    "query",
    [
        {"status": "open"},
        {"status": "claimed"},
        {"status": "cancelled"},
        {"status": "all"},
        {"status": "all", "month": "2025-03"},
        {"status": "all", "community": "e2"},
        {"status": "open", "community": "e2"},
        {"status": "claimed", "month": "2025-04"},
    ],
)
def test_the_page_and_the_api_list_the_same_wishes_for_the_same_query(ww, wishes, client, query):
    admin = ww.users["street_admin"]
    if "community" in query:
        query = {**query, "community": ww.communities[query["community"]].pk}
    client.force_login(admin)
    on_page = page_ids(client, query)
    assert on_page == api_ids(client, bearer(admin, scope=TokenScope.READ), query)
    if query == {"status": "all"}:
        assert on_page == {ww.wishes["e1"].pk, *(w.pk for w in wishes.values())}


def test_without_a_status_the_page_shows_open_wishes_and_the_api_all(ww, wishes, client):
    admin = ww.users["street_admin"]
    client.force_login(admin)
    assert page_ids(client, {}) == page_ids(client, {"status": "open"}) == {ww.wishes["e1"].pk, wishes["e2_open"].pk}
    assert api_ids(client, bearer(admin, scope=TokenScope.READ), {}) == page_ids(client, {"status": "all"})


def test_the_page_offers_the_apis_month_and_community_filters(ww, client):
    client.force_login(ww.users["street_admin"])
    body = client.get(reverse("wishes:wish_list"), {"status": "claimed", "month": "2025-03"}).content.decode()
    assert 'name="month"' in body and 'value="2025-03"' in body and "登记月份" in body
    assert 'name="community"' in body and "东二社区" in body
    assert "?status=open&amp;month=2025-03" in body  # the status tabs keep the other filters


def test_a_refused_value_is_a_message_on_the_page_and_a_422_in_the_api(ww, wishes, client):
    admin = ww.users["street_admin"]
    west = ww.communities["w1"].pk
    client.force_login(admin)
    for query, message in [({"month": "2025-13"}, "月份格式应为 YYYY-MM"), ({"community": west}, "选择一个有效的选项")]:
        page = client.get(reverse("wishes:wish_list"), {"status": "all", **query})
        assert page.status_code == 200 and message in page.content.decode()
        assert "筛选条件有误，未按它筛选" in page.content.decode()
        api = client.get(LIST, query, **bearer(admin, scope=TokenScope.READ))
        assert api.status_code == 422 and message in api.json()["detail"][0]["message"]
