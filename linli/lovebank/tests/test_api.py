"""The love bank API: scoped accounts with masked phones, statements, the catalogue, idempotent redemptions."""

from __future__ import annotations

import pytest

from linli.lovebank.models import Account, CatalogueItem, Redemption, Transaction
from linli.lovebank.testing import add_lovebank
from linli.testing import bearer

pytestmark = pytest.mark.django_db

JSON = {"content_type": "application/json"}
REDEEM = "/api/lovebank/redemptions"


@pytest.fixture
def bank(world):
    return add_lovebank(world)


def messages(response) -> list[str]:
    return [d["message"] for d in response.json()["detail"]]


def redeem(client, auth, account, item, key="k-0000000001", **extra):
    body = {"account": account.pk, "item": item.pk, "key": key, **extra}
    return client.post(REDEEM, body, **JSON, **auth)


def test_the_account_list_is_scoped_and_masks_phones(bank, client):
    response = client.get("/api/lovebank/accounts", **bearer(bank.users["staff"]))
    assert response.status_code == 200
    items = response.json()["items"]
    assert [a["name"] for a in items] == ["陈奶奶"]
    assert items[0]["phone"] == "137****0001" and items[0]["balance"] == 50 and items[0]["community_name"] == "东一社区"
    street = client.get("/api/lovebank/accounts", **bearer(bank.users["street_admin"])).json()["items"]
    assert [a["name"] for a in street] == ["陈奶奶", "赵六"]  # by balance; 孙七 is in another street
    assert all("****" in a["phone"] for a in street)
    only = client.get("/api/lovebank/accounts", {"q": "0001"}, **bearer(bank.users["street_admin"])).json()
    assert [a["name"] for a in only["items"]] == ["陈奶奶"]


def test_a_statement_has_the_running_balance_and_is_scoped(bank, client):
    auth = bearer(bank.users["staff"])
    chen = bank.accounts["chen"]
    assert redeem(client, auth, chen, bank.items["haircut"]).status_code == 201
    response = client.get(f"/api/lovebank/accounts/{chen.pk}/statement", **auth)
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [(r["reason"], r["amount"], r["balance_after"]) for r in rows] == [
        ("兑换理发×1", -10, 40),
        ("测试发放", 50, 50),
    ]
    assert rows[0]["kind_label"] == "积分兑换" and rows[0]["reversed"] is False
    zhao = bank.accounts["zhao"]
    for path in (f"/api/lovebank/accounts/{zhao.pk}", f"/api/lovebank/accounts/{zhao.pk}/statement"):
        missing = client.get(path, **auth)
        assert missing.status_code == 404 and missing.json()["detail"] == "找不到这个积分账户，或不在您的管辖范围内。"
    system = Account.objects.filter(kind="system", community=bank.communities["e1"]).first()
    assert client.get(f"/api/lovebank/accounts/{system.pk}", **auth).status_code == 404


def test_the_catalogue_lists_the_items_in_scope(bank, client):
    items = client.get("/api/lovebank/items", **bearer(bank.users["staff"])).json()
    assert {i["name"]: i["stock"] for i in items} == {"大米": 3, "理发": None}
    street = client.get(
        "/api/lovebank/items", {"community": bank.communities["e2"].pk}, **bearer(bank.users["street_admin"])
    )
    assert [i["name"] for i in street.json()] == ["食用油"]


def test_a_redemption_posted_twice_with_one_key_spends_once(bank, client):
    auth = bearer(bank.users["staff"])
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    first = redeem(client, auth, chen, rice, quantity=2)
    assert first.status_code == 201, first.content
    assert first.json()["points"] == 40 and first.json()["balance"] == 10 and first.json()["status"] == "pending"
    again = redeem(client, auth, chen, rice, quantity=2)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    header = client.post(
        REDEEM,
        {"account": chen.pk, "item": rice.pk, "quantity": 2},
        **JSON,
        **auth,
        HTTP_IDEMPOTENCY_KEY="k-0000000001",
    )
    assert header.status_code == 200 and header.json()["id"] == first.json()["id"]
    assert Redemption.objects.count() == 1 and Transaction.objects.filter(kind="redeem").count() == 1
    chen.refresh_from_db()
    assert chen.balance == 10 and CatalogueItem.objects.get(pk=rice.pk).stock == 1
    other = redeem(client, auth, chen, bank.items["haircut"])  # the same key for something else
    assert other.status_code == 422 and messages(other) == ["这个幂等键已用于另一笔兑换，请为新的兑换生成新的键。"]


def test_a_redemption_without_a_key_is_refused_rather_than_risk_a_double_spend(bank, client):
    auth = bearer(bank.users["staff"])
    body = {"account": bank.accounts["chen"].pk, "item": bank.items["rice"].pk}
    response = client.post(REDEEM, body, **JSON, **auth)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "key"
    bad = client.post(REDEEM, {**body, "key": "短"}, **JSON, **auth)
    assert bad.status_code == 422 and messages(bad) == ["幂等键应为8到64位字母、数字或 _.:- 。"]
    assert not Redemption.objects.exists()


def test_refusals_are_422_in_chinese_and_change_nothing(bank, client):
    auth = bearer(bank.users["staff"])
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    poor = redeem(client, auth, chen, rice, quantity=3)
    assert poor.status_code == 422
    assert messages(poor) == ["积分不足：兑换3袋“大米”需要60分，陈奶奶现有50分。"]
    CatalogueItem.objects.filter(pk=rice.pk).update(stock=0)
    empty = redeem(client, auth, chen, rice, key="k-0000000002")
    assert empty.status_code == 422 and messages(empty) == ["“大米”已经兑完了，暂时没有库存。"]
    invalid = client.post(
        REDEEM, {"account": chen.pk, "item": rice.pk, "quantity": 0, "key": "k-0000000003"}, **JSON, **auth
    )
    assert invalid.status_code == 422 and messages(invalid) == ["不能小于1。"]
    chen.refresh_from_db()
    assert chen.balance == 50 and not Redemption.objects.exists() and not Transaction.objects.filter(kind="redeem")


def test_other_communities_rows_are_404_and_roles_without_the_permission_403(bank, client):
    auth = bearer(bank.users["staff"])
    assert redeem(client, auth, bank.accounts["zhao"], bank.items["oil"]).status_code == 404
    assert redeem(client, auth, bank.accounts["chen"], bank.items["oil"]).status_code == 404  # 东二's item
    street = bearer(bank.users["street_admin"])
    mixed = redeem(client, street, bank.accounts["chen"], bank.items["oil"])
    assert mixed.status_code == 422 and messages(mixed) == ["物品不属于这个社区。"]
    for persona in ("grid_worker_1", "volunteer", "dept_handler", "resident"):
        auth = bearer(bank.users[persona])
        for path in (
            "/api/lovebank/accounts",
            f"/api/lovebank/accounts/{bank.accounts['chen'].pk}/statement",
            "/api/lovebank/items",
        ):
            denied = client.get(path, **auth)
            assert denied.status_code == 403 and denied.json()["detail"] == "您的角色没有这项权限。"
        assert redeem(client, auth, bank.accounts["chen"], bank.items["rice"]).status_code == 403
    assert not Redemption.objects.exists()
    assert client.get("/api/lovebank/accounts").status_code == 401


def test_the_openapi_schema_lists_the_love_bank_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/lovebank/accounts",
        "/api/lovebank/accounts/{account_id}/statement",
        "/api/lovebank/items",
        "/api/lovebank/redemptions",
    ):
        assert path in paths, path
