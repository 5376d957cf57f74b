"""Ledger invariants under random sequences of awards, redemptions, collections, cancellations,
reversals and donations (hypothesis): balance = sum of entries, never negative, every transaction
sums to zero, reversals net to zero, stock never negative and equal to what was not redeemed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.lovebank import services
from linli.lovebank.choices import RedemptionStatus, TransactionKind
from linli.lovebank.models import Account, CatalogueItem, Entry, Redemption, Transaction
from linli.lovebank.testing import SETUP, make_item

pytestmark = pytest.mark.django_db

PEOPLE = ("zhang", "li", "chen")
STOCK = {"rice": 4, "oil": 2}

ops = st.one_of(
    st.tuples(st.just("award"), st.sampled_from(PEOPLE), st.integers(1, 40), st.integers(0, 5)),
    st.tuples(
        st.just("redeem"),
        st.sampled_from(PEOPLE),
        st.sampled_from(("rice", "oil", "haircut")),
        st.integers(1, 3),
        st.integers(0, 5),
    ),
    st.tuples(st.just("cancel"), st.integers(0, 20)),
    st.tuples(st.just("collect"), st.integers(0, 20)),
    st.tuples(st.just("reverse"), st.integers(0, 40)),
    st.tuples(st.just("donate"), st.sampled_from(PEOPLE), st.integers(1, 30)),
)


def run(op, world, items, n):
    kind = op[0]
    if kind == "award":  # a small key space, so that replays of the same key happen
        _, who, points, key = op
        services.award(world.residents[who], points, reason="服务", source_key=f"a:{who}:{key}", actor=SETUP)
    elif kind == "redeem":
        _, who, item, qty, key = op
        account = services.resident_account(world.residents[who])
        services.redeem(
            account, items[item], quantity=qty, source_key=f"r:{who}:{key}", actor=SETUP, confirm_repeat=True
        )
    elif kind in ("cancel", "collect"):
        rows = list(Redemption.objects.order_by("id"))
        if rows:
            r = rows[op[1] % len(rows)]
            if kind == "cancel":
                services.cancel_redemption(r, actor=SETUP, reason="测试")
            else:
                services.collect_redemption(r, actor=SETUP)
    elif kind == "reverse":
        rows = list(Transaction.objects.order_by("id"))
        if rows:
            services.reverse_transaction(rows[op[1] % len(rows)], actor=SETUP, reason="测试")
    elif kind == "donate":
        _, who, points = op
        account = services.resident_account(world.residents[who])
        services.donate(account, points, source_key=f"d:{n}", actor=SETUP)


def check_invariants():
    for account in Account.objects.all():
        total = Entry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0
        if account.is_holder:
            assert account.balance == total >= 0
            running = 0
            for amount, after in (
                Entry.objects.filter(account=account).order_by("id").values_list("amount", "balance_after")
            ):
                running += amount
                assert after == running >= 0
    unbalanced = Transaction.objects.annotate(s=Sum("entries__amount"), n=Count("entries")).filter(~Q(s=0) | Q(n__lt=2))
    assert not unbalanced.exists()
    for rev in Transaction.objects.filter(reverses__isnull=False):
        pair = Entry.objects.filter(transaction__in=[rev.pk, rev.reverses_id])
        for account_id in pair.values_list("account", flat=True).distinct():
            assert pair.filter(account=account_id).aggregate(s=Sum("amount"))["s"] == 0
    assert Transaction.objects.values("source_key").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    for item in CatalogueItem.objects.exclude(stock=None):
        taken = (
            Redemption.objects.filter(item=item)
            .exclude(status=RedemptionStatus.CANCELLED)
            .aggregate(s=Sum("quantity"))["s"]
            or 0
        )
        assert item.stock >= 0 and item.stock == STOCK[{"大米": "rice", "食用油": "oil"}[item.name]] - taken
    for r in Redemption.objects.all():
        kinds = set(r.transactions.values_list("kind", flat=True))
        assert kinds == (
            {TransactionKind.REDEEM, TransactionKind.CANCEL} if r.status == "cancelled" else {TransactionKind.REDEEM}
        )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(ops, min_size=1, max_size=25))
def test_the_ledger_stays_consistent_whatever_happens(world, steps):
    e1 = world.communities["e1"]
    with transaction.atomic():  # each example starts from the same world and is rolled back
        items = {
            "rice": make_item(e1, "大米", 15, STOCK["rice"]),
            "oil": make_item(e1, "食用油", 10, STOCK["oil"]),
            "haircut": make_item(e1, "理发", 8, None, kind="service"),
        }
        for n, op in enumerate(steps):
            try:
                with transaction.atomic():
                    run(op, world, items, n)
            except ValidationError:
                pass  # refused (too few points, no stock, already reversed...): must change nothing
            check_invariants()
        transaction.set_rollback(True)
