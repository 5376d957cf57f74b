"""One FilterSet per love bank list: the accounts page and /api/lovebank/accounts (AccountFilterSet), the
catalogue page and /api/lovebank/items (CatalogueItemFilterSet) give the same rows for the same query string;
another community is a message on the page and a 422 in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.accounts.choices import TokenScope
from linli.lovebank.testing import add_lovebank
from linli.testing import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(world):
    return add_lovebank(world)


def same_rows(client, user, page_name, api_path, query, rows_of):
    client.force_login(user)
    page = client.get(reverse(page_name), query)
    assert page.status_code == 200 and not page.context["filter_errors"]
    api = client.get(api_path, query, **bearer(user, scope=TokenScope.READ))
    assert api.status_code == 200, api.content
    data = api.json()  # the accounts are paginated ({"items": …}), the catalogue is a plain list
    on_page = [row.pk for row in rows_of(page.context)]
    assert on_page == [row["id"] for row in (data["items"] if isinstance(data, dict) else data)]
    return on_page


@pytest.mark.parametrize("query", [{}, {"q": "0001"}, {"q": "陈"}, {"community": "e1"}, {"community": "e2"}])
def test_the_accounts_page_and_api_list_the_same_accounts(bank, client, query):
    if "community" in query:
        query = {"community": bank.communities[query["community"]].pk}
    rows = same_rows(
        client,
        bank.users["street_admin"],
        "lovebank:account_list",
        "/api/lovebank/accounts",
        query,
        lambda c: c["page"],
    )
    if query.get("community") == bank.communities["e1"].pk:
        assert rows == [bank.accounts["chen"].pk]


@pytest.mark.parametrize("community", [None, "e1", "e2"])
def test_the_catalogue_page_and_api_list_the_same_items(bank, client, community):
    query = {"community": bank.communities[community].pk} if community else {}
    rows = same_rows(
        client, bank.users["street_admin"], "lovebank:item_list", "/api/lovebank/items", query, lambda c: c["items"]
    )
    expected = {None: {"rice", "haircut", "oil"}, "e1": {"rice", "haircut"}, "e2": {"oil"}}[community]
    assert set(rows) == {bank.items[k].pk for k in expected}


def test_the_pages_offer_the_community_filter_of_the_api(bank, client):
    client.force_login(bank.users["street_admin"])
    for name in ("lovebank:account_list", "lovebank:item_list"):
        body = client.get(reverse(name)).content.decode()
        assert 'name="community"' in body and "东二社区" in body and "西一社区" not in body, name


@pytest.mark.parametrize(
    ("page_name", "api_path"),
    [("lovebank:account_list", "/api/lovebank/accounts"), ("lovebank:item_list", "/api/lovebank/items")],
)
def test_another_community_is_a_message_on_the_page_and_a_422_in_the_api(bank, client, page_name, api_path):
    user = bank.users["street_admin"]
    west = {"community": bank.communities["w1"].pk}
    client.force_login(user)
    page = client.get(reverse(page_name), west)
    assert page.status_code == 200 and "筛选条件有误，未按它筛选：选择一个有效的选项" in page.content.decode()
    api = client.get(api_path, west, **bearer(user, scope=TokenScope.READ))
    assert api.status_code == 422 and api.json()["detail"][0]["field"] == "community"
