"""Races only a real database settles (PostgreSQL row locks): many clerks and buttons at the same moment."""

import pytest
from django.db import connection
from django.db.models import Count, Sum

from linli.core.testing_db import race
from linli.lovebank import services
from linli.lovebank.choices import DeedStatus
from linli.lovebank.models import Account, CatalogueItem, Deed, Entry, Redemption, Transaction
from linli.lovebank.testing import SETUP, add_lovebank, give, make_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 50


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers are tested on PostgreSQL")


def assert_ledger_consistent():
    for account in Account.objects.holders():
        assert account.balance == services.ledger_balance(account) >= 0
    assert not Transaction.objects.annotate(s=Sum("entries__amount")).exclude(s=0).exists()
    assert not Entry.objects.values("transaction", "account").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_fifty_clerks_redeeming_against_one_account_and_a_low_stock_item_oversell_nothing(world):
    e1 = world.communities["e1"]
    give(world.residents["chen"], 100, "start")  # enough for 10 at 10 points
    account = services.resident_account(world.residents["chen"])
    item = make_item(e1, "大米", 10, 6)  # only 6 bags
    results, refusals, failures = race(
        THREADS,
        lambda i: services.redeem(account, item, source_key=f"clerk:{i}", actor=SETUP, confirm_repeat=True).pk,
    )
    assert failures == []
    assert len(results) == 6 and len(set(results)) == 6
    assert len(refusals) == THREADS - 6 and all("兑完" in m for m in refusals)
    item.refresh_from_db()
    account.refresh_from_db()
    assert item.stock == 0 and account.balance == 40
    assert Redemption.objects.count() == 6
    assert_ledger_consistent()


def test_fifty_redemptions_against_too_few_points_never_overdraw(world):
    e1 = world.communities["e1"]
    give(world.residents["chen"], 35, "start")  # enough for 3 at 10 points
    account = services.resident_account(world.residents["chen"])
    item = make_item(e1, "食用油", 10, 20)
    results, refusals, failures = race(
        THREADS,
        lambda i: services.redeem(account, item, source_key=f"clerk:{i}", actor=SETUP, confirm_repeat=True).pk,
    )
    assert failures == [] and len(results) == 3
    assert all("积分不足" in m for m in refusals)
    item.refresh_from_db()
    account.refresh_from_db()
    assert (item.stock, account.balance) == (17, 5)
    assert_ledger_consistent()


def test_fifty_presses_of_the_same_counter_button_make_one_redemption(world):
    give(world.residents["chen"], 100, "start")
    account = services.resident_account(world.residents["chen"])
    item = make_item(world.communities["e1"], "大米", 10, 6)
    results, refusals, failures = race(
        THREADS, lambda i: services.redeem(account, item, source_key="counter:same", actor=SETUP).pk
    )
    assert failures == [] and refusals == []
    assert len(set(results)) == 1
    assert Redemption.objects.count() == 1 and Transaction.objects.filter(source_key="counter:same").count() == 1
    item.refresh_from_db()
    assert item.stock == 5
    assert_ledger_consistent()


def test_two_clerks_approving_and_cancelling_at_once_act_once(world):
    add_lovebank(world)
    deed = world.deeds["e1"]
    zhang = services.resident_account(world.residents["zhang"])
    results, _, failures = race(10, lambda i: services.approve_deed(deed, actor=SETUP, points=5 + i, account=zhang).pk)
    assert failures == []
    assert Deed.objects.get(pk=deed.pk).status == DeedStatus.APPROVED
    assert Transaction.objects.filter(deed=deed).count() == 1
    chen = world.accounts["chen"]
    redemption = services.redeem(chen, world.items["rice"], source_key="k", actor=SETUP)
    _, _, failures = race(10, lambda i: services.cancel_redemption(redemption, actor=SETUP, reason="取消").pk)
    assert failures == []
    assert Transaction.objects.filter(redemption=redemption).count() == 2
    assert CatalogueItem.objects.get(pk=world.items["rice"].pk).stock == 3
    txn = give(chen, 7, "oops")
    _, refusals, failures = race(10, lambda i: services.reverse_transaction(txn, actor=SETUP, reason="错发").pk)
    assert failures == [] and len(refusals) == 9
    assert_ledger_consistent()


def test_awards_and_redemptions_of_different_people_run_side_by_side(world):
    """System accounts are not locked: 50 people earning and spending at once neither deadlock nor queue."""
    people = [world.residents[k] for k in ("zhang", "li", "chen", "wang")]
    item = make_item(world.communities["e1"], "理发", 1, None, kind="service")

    def work(i):
        resident = people[i % len(people)]
        services.award(resident, 3, reason="巡逻", source_key=f"a:{i}", actor=SETUP)
        if resident.community_id == item.community_id:
            account = services.resident_account(resident)
            services.redeem(account, item, source_key=f"r:{i}", actor=SETUP, confirm_repeat=True)
        return i

    results, refusals, failures = race(THREADS, work)
    assert failures == [] and refusals == [] and len(results) == THREADS
    assert_ledger_consistent()


def test_twenty_api_posts_with_one_idempotency_key_make_one_redemption(world):
    from django.test import Client

    from linli.accounts.models import ApiToken

    bank = add_lovebank(world)
    _, key = ApiToken.issue(bank.users["staff"], "测试", scope="write")
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    body = {"account": chen.pk, "item": rice.pk, "key": "retry-0000000001"}

    def post(i):
        response = Client().post(
            "/api/lovebank/redemptions", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        return response.status_code, response.json()["id"]

    results, refusals, failures = race(20, post)
    assert failures == [] and refusals == []
    assert len({rid for _, rid in results}) == 1 and {code for code, _ in results} <= {200, 201}
    assert Redemption.objects.count() == 1
    chen.refresh_from_db()
    assert chen.balance == 30 and CatalogueItem.objects.get(pk=rice.pk).stock == 2
    assert_ledger_consistent()


def test_two_clerks_redeeming_the_same_item_for_one_resident_at_once_make_one_and_ask_the_other(world):
    """Two counters, two keys, one moment: the account row lock makes the second wait and then see the first."""
    give(world.residents["chen"], 100, "start")
    account = services.resident_account(world.residents["chen"])
    item = make_item(world.communities["e1"], "大米", 10, 6)
    results, refusals, failures = race(
        2, lambda i: services.redeem(account, item, source_key=f"counter:desk{i}", actor=SETUP).pk
    )
    assert failures == []
    assert len(results) == 1
    assert len(refusals) == 1 and "刚兑换过同一物品" in refusals[0]
    assert Redemption.objects.count() == 1
    item.refresh_from_db()
    account.refresh_from_db()
    assert (item.stock, account.balance) == (5, 90)
    assert_ledger_consistent()
