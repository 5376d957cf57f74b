"""The love bank's services: double entry, never negative, once per key, reversals, deeds, redemptions."""

import datetime
import decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import Http404

from linli.core.audit import actor_of
from linli.lovebank import services
from linli.lovebank.choices import DeedStatus, RedemptionStatus, SystemAccount, TransactionKind
from linli.lovebank.models import Account, Entry, Transaction
from linli.lovebank.testing import SETUP, add_lovebank, give, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(world):
    return add_lovebank(world)


def balance(account):
    account.refresh_from_db()
    assert account.balance == services.ledger_balance(account)
    return account.balance


def staff(bank, who="staff"):
    return actor_of(bank.users[who])


def test_an_award_is_two_entries_that_sum_to_zero_and_opens_the_residents_account(world):
    txn = give(world.residents["zhang"], 12, "attendance:1")
    account = Account.objects.get(resident=world.residents["zhang"])
    assert account.community == world.communities["e1"]
    assert sorted(txn.entries.values_list("amount", flat=True)) == [-12, 12]
    issue = services.system_account(world.communities["e1"], SystemAccount.ISSUE)
    assert services.ledger_balance(issue) == -12
    assert balance(account) == 12


def test_the_same_source_key_awards_once(world):
    first = give(world.residents["zhang"], 5, "attendance:7")
    again = give(world.residents["zhang"], 5, "attendance:7")
    assert again.pk == first.pk
    assert Transaction.objects.filter(source_key="attendance:7").count() == 1
    assert balance(Account.objects.get(resident=world.residents["zhang"])) == 5


def test_an_award_can_link_to_what_caused_it(world):
    txn = services.award(
        world.residents["zhang"], 3, reason="巡逻", source_key="attendance:9", actor=SETUP, link=world.buildings["b1"]
    )
    assert Transaction.objects.get(pk=txn.pk).link == world.buildings["b1"]


def test_points_for_hours_follow_the_type_rule_then_the_default_rule_then_one_an_hour(world):
    e1 = world.communities["e1"]
    assert services.points_for_hours(e1, "patrol", 2.5) == 3  # no rule: 1 an hour, half up
    services.set_earning_rule(e1, "", 2, actor=SETUP)
    assert services.points_for_hours(e1, "patrol", 2) == 4
    services.set_earning_rule(e1, "patrol", decimal.Decimal("1.5"), label="治安巡逻", actor=SETUP)
    assert services.points_for_hours(e1, "patrol", 3) == 5  # 4.5 rounds half up
    assert services.points_for_hours(world.communities["e2"], "patrol", 3) == 3


def test_a_redemption_takes_points_and_stock_together(bank):
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    r = services.redeem(chen, rice, quantity=2, actor=staff(bank), source_key="k1")
    rice.refresh_from_db()
    assert (r.points, r.status, rice.stock, balance(chen)) == (40, RedemptionStatus.PENDING, 1, 10)
    spend = services.system_account(bank.communities["e1"], SystemAccount.SPEND)
    assert services.ledger_balance(spend) == 40


def test_too_few_points_or_no_stock_is_refused_with_a_clear_message_and_changes_nothing(bank):
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    with pytest.raises(ValidationError, match="积分不足：兑换3袋“大米”需要60分，陈奶奶现有50分"):
        services.redeem(chen, rice, quantity=3, actor=staff(bank), source_key="k1")
    with pytest.raises(ValidationError, match="库存不足：只剩3袋"):
        services.redeem(chen, rice, quantity=4, actor=staff(bank), source_key="k2")
    give(chen, 100, "more")
    services.redeem(chen, rice, quantity=3, actor=staff(bank), source_key="k3")
    with pytest.raises(ValidationError, match="已经兑完了"):
        services.redeem(chen, rice, actor=staff(bank), source_key="k4")
    rice.refresh_from_db()
    assert rice.stock == 0 and balance(chen) == 90


def test_a_double_submitted_redemption_happens_once(bank):
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    a = services.redeem(chen, rice, actor=staff(bank), source_key="counter:abc")
    b = services.redeem(chen, rice, actor=staff(bank), source_key="counter:abc")
    rice.refresh_from_db()
    assert a.pk == b.pk and rice.stock == 2 and balance(chen) == 30


def test_a_service_item_has_no_stock_to_run_out_of(bank):
    chen, haircut = bank.accounts["chen"], bank.items["haircut"]
    for i in range(5):  # five haircuts in a row, each confirmed as meant (not a double submit)
        services.redeem(chen, haircut, actor=staff(bank), source_key=f"h{i}", confirm_repeat=True)
    assert balance(chen) == 0
    with pytest.raises(ValidationError, match="积分不足"):
        services.redeem(chen, haircut, actor=staff(bank), source_key="h5", confirm_repeat=True)


def test_cancelling_gives_points_and_stock_back_once_and_keeps_history(bank):
    chen, rice = bank.accounts["chen"], bank.items["rice"]
    r = services.redeem(chen, rice, actor=staff(bank), source_key="k1")
    services.cancel_redemption(r, actor=staff(bank), reason="换成理发")
    services.cancel_redemption(r, actor=staff(bank), reason="又点了一次")
    rice.refresh_from_db()
    r.refresh_from_db()
    assert (r.status, rice.stock, balance(chen)) == (RedemptionStatus.CANCELLED, 3, 50)
    kinds = list(Transaction.objects.filter(redemption=r).order_by("id").values_list("kind", flat=True))
    assert kinds == [TransactionKind.REDEEM, TransactionKind.CANCEL]
    cancel = Transaction.objects.get(redemption=r, kind=TransactionKind.CANCEL)
    assert cancel.reverses.kind == TransactionKind.REDEEM


def test_collecting_keeps_who_handed_the_item_over_and_a_second_collect_changes_nothing(bank):
    r = services.redeem(bank.accounts["chen"], bank.items["rice"], actor=staff(bank), source_key="k1")
    assert (r.collected_at, r.collected_by) == (None, None)
    services.collect_redemption(r, actor=staff(bank, "secretary"))
    r.refresh_from_db()
    first = r.collected_at
    assert r.status == RedemptionStatus.COLLECTED and r.collected_by == bank.users["secretary"]
    services.collect_redemption(r, actor=staff(bank))
    r.refresh_from_db()
    assert (r.collected_at, r.collected_by) == (first, bank.users["secretary"])


def test_a_redemption_handed_over_at_once_is_collected_by_its_clerk(bank):
    r = services.redeem(bank.accounts["chen"], bank.items["rice"], actor=staff(bank), source_key="k1", collected=True)
    assert r.collected_by == r.created_by == bank.users["staff"]


def test_a_collected_redemption_cannot_be_cancelled(bank):
    r = services.redeem(bank.accounts["chen"], bank.items["rice"], actor=staff(bank), source_key="k1", collected=True)
    assert r.status == RedemptionStatus.COLLECTED
    with pytest.raises(ValidationError, match="已经领取"):
        services.cancel_redemption(r, actor=staff(bank), reason="x")


def test_a_reversal_is_a_new_opposite_transaction_and_happens_once(bank):
    zhang = bank.residents["zhang"]
    txn = give(zhang, 8, "mistake")
    secretary = actor_of(bank.users["secretary"])
    rev = services.reverse_transaction(txn, actor=secretary, reason="重复登记")
    assert rev.reverses_id == txn.pk
    assert Entry.objects.filter(transaction__in=[txn, rev]).aggregate(s=Sum("amount"))["s"] == 0
    with pytest.raises(ValidationError, match="已经冲正过"):
        services.reverse_transaction(txn, actor=secretary, reason="again")
    with pytest.raises(ValidationError, match="不能再冲正"):
        services.reverse_transaction(rev, actor=secretary, reason="again")
    assert balance(Account.objects.get(resident=zhang)) == 0


def test_points_already_spent_cannot_be_reversed_below_zero(bank):
    chen = bank.accounts["chen"]
    txn = Transaction.objects.get(source_key="setup:chen")
    services.redeem(chen, bank.items["rice"], actor=staff(bank), source_key="k1")
    with pytest.raises(ValidationError, match="积分不足"):
        services.reverse_transaction(txn, actor=actor_of(bank.users["secretary"]), reason="错发")
    assert balance(chen) == 30


def test_only_secretaries_and_the_street_reverse_and_a_redemption_is_cancelled_not_reversed(bank):
    txn = Transaction.objects.get(source_key="setup:chen")
    with pytest.raises(PermissionDenied):
        services.reverse_transaction(txn, actor=staff(bank), reason="x")
    r = services.redeem(bank.accounts["chen"], bank.items["rice"], actor=staff(bank), source_key="k1")
    with pytest.raises(ValidationError, match="取消兑换"):
        services.reverse_transaction(r.transactions.get(), actor=actor_of(bank.users["secretary"]), reason="x")


def test_a_deed_is_approved_once_and_pays_once(bank):
    deed = bank.deeds["e1"]
    zhang = services.resident_account(bank.residents["zhang"])
    services.approve_deed(deed, actor=staff(bank), points=5, account=zhang)
    services.approve_deed(deed, actor=staff(bank, "secretary"), points=50, account=zhang)
    deed.refresh_from_db()
    assert (deed.status, deed.points, balance(zhang)) == (DeedStatus.APPROVED, 5, 5)
    assert Transaction.objects.filter(deed=deed).count() == 1
    with pytest.raises(ValidationError, match="审核通过"):
        services.reject_deed(deed, actor=staff(bank), note="x")


def test_a_rejected_deed_pays_nothing_and_needs_a_reason(bank):
    deed = bank.deeds["e1"]
    with pytest.raises(ValidationError):
        services.reject_deed(deed, actor=staff(bank), note=" ")
    services.reject_deed(deed, actor=staff(bank), note="核实不是本人")
    with pytest.raises(ValidationError, match="审核过了"):
        services.approve_deed(deed, actor=staff(bank), points=5, account=bank.accounts["chen"])
    assert not Transaction.objects.filter(deed=deed).exists()


def test_a_resident_reports_deeds_in_their_own_community_for_their_own_account_only(bank):
    resident = actor_of(bank.users["resident"])
    own = services.report_deed(
        community=bank.communities["e1"],
        subject_name="陈奶奶",
        description="给楼道浇花",
        occurred_on=datetime.date(2026, 11, 30),
        points=99,
        account=bank.accounts["chen"],
        actor=resident,
    )
    assert own.points == 0 and own.reported_by == bank.users["resident"]  # staff decide the points
    with pytest.raises(PermissionDenied):
        services.report_deed(
            community=bank.communities["e1"],
            subject_name="赵六",
            description="x",
            occurred_on=datetime.date(2026, 11, 30),
            account=bank.accounts["zhao"],
            actor=resident,
        )
    with pytest.raises(Http404):
        services.report_deed(
            community=bank.communities["e2"],
            subject_name="赵六",
            description="x",
            occurred_on=datetime.date(2026, 11, 30),
            actor=resident,
        )


def test_staff_cannot_act_on_another_communitys_accounts(bank):
    with pytest.raises(Http404):
        services.redeem(bank.accounts["zhao"], bank.items["oil"], actor=staff(bank), source_key="k1")
    with pytest.raises(Http404):
        services.award(bank.accounts["sun"], 5, reason="x", source_key="k2", actor=staff(bank))
    with pytest.raises(PermissionDenied):
        services.award(
            bank.accounts["chen"], 5, reason="x", source_key="k3", actor=actor_of(bank.users["grid_worker_1"])
        )
    with pytest.raises(ValidationError, match="不属于这个社区"):
        services.redeem(bank.accounts["chen"], bank.items["oil"], actor=SETUP, source_key="k4")


def test_donated_points_go_to_the_communitys_bank_account(bank):
    chen = bank.accounts["chen"]
    services.donate(chen, 20, source_key="d1", actor=staff(bank))
    services.donate(chen, 20, source_key="d1", actor=staff(bank))
    bank_account = services.system_account(bank.communities["e1"], SystemAccount.BANK)
    assert balance(chen) == 30 and services.ledger_balance(bank_account) == 20


def test_outside_holders_are_keyed_by_phone(bank):
    e1 = bank.communities["e1"]
    a = services.open_outside_account(e1, name="刘志愿", phone="139 0000 1111", actor=staff(bank))
    assert a.holder_phone == "13900001111" and a.phone_masked == "139****1111"
    assert services.open_outside_account(e1, name="刘志愿", phone="13900001111", actor=staff(bank)) == a
    with pytest.raises(ValidationError, match="已开户"):
        services.open_outside_account(e1, name="别人", phone="13900001111", actor=staff(bank))
    give(a, 10, "outside")
    assert balance(a) == 10


def test_the_database_refuses_a_negative_holder_balance_and_oversold_stock(bank):
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=bank.accounts["chen"].pk).update(balance=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(transaction__source_key="setup:chen").update(amount=0)
    rice = bank.items["rice"]
    with pytest.raises((IntegrityError, ValidationError)):
        with transaction.atomic():
            type(rice).objects.filter(pk=rice.pk).update(stock=-1)


def test_a_goods_item_needs_stock(bank):
    with pytest.raises(ValidationError):
        make_item(bank.communities["e1"], "鸡蛋", 5, None)
