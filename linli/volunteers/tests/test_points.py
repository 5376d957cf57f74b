"""爱心银行 points follow confirmed volunteer hours: awarded once, corrected by the difference, never out of step."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from linli.lovebank import services as bank
from linli.lovebank.models import Account, CatalogueItem, Transaction
from linli.testing import SYSTEM
from linli.volunteers import services
from linli.volunteers.tests.helpers import activity, as_, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(world):
    """A two-hour cleaning that ended an hour ago."""
    return activity(world, start=-3, length=2, capacity=5)


def _balance(account_query) -> int:
    account = Account.objects.get(**account_query)
    assert account.balance == bank.ledger_balance(account)
    return account.balance


def test_a_residents_confirmed_hours_earn_points_once(world, ended):
    zhang = world.residents["zhang"]
    record = volunteer(world, name=zhang.name, resident=zhang)
    attendance = services.mark_attendance(ended, record, actor=as_(world, "staff"))
    assert attendance.hours == Decimal("2.00")
    assert _balance({"resident": zhang}) == 2  # 1 point an hour by default
    txn = Transaction.objects.get(source_key=f"attendance:{attendance.pk}")
    assert "楼道清洁" in txn.reason and txn.link_id == attendance.pk
    assert bank.sync_attendance_points(attendance, actor=SYSTEM) is None  # nothing owed twice
    assert Transaction.objects.filter(source_key__startswith="attendance:").count() == 1


def test_the_activity_types_rule_decides_the_points(world, ended):
    bank.set_earning_rule(world.communities["e1"], "cleaning", 3, actor=SYSTEM)
    record = volunteer(world, name="外来志愿者", phone="13912345678")
    services.mark_attendance(ended, record, actor=as_(world, "staff"))
    assert _balance({"holder_phone": "13912345678"}) == 6


def test_a_correction_posts_the_difference_both_ways(world, ended):
    zhang = world.residents["zhang"]
    attendance = services.mark_attendance(ended, volunteer(world, name=zhang.name, resident=zhang), actor=SYSTEM)
    services.correct_hours(attendance, "1", reason="中途离开", actor=as_(world, "staff"))
    assert _balance({"resident": zhang}) == 1
    services.correct_hours(attendance, "2", reason="记错了", actor=as_(world, "staff"))
    assert _balance({"resident": zhang}) == 2
    keys = set(Transaction.objects.values_list("source_key", flat=True))
    assert {f"attendance:{attendance.pk}", f"attendance:{attendance.pk}:2", f"attendance:{attendance.pk}:3"} <= keys


def test_taking_back_spent_points_refuses_the_correction(world, ended):
    zhang = world.residents["zhang"]
    attendance = services.mark_attendance(ended, volunteer(world, name=zhang.name, resident=zhang), actor=SYSTEM)
    soap = CatalogueItem.objects.create(community=world.communities["e1"], name="肥皂", price=2, stock=5)
    bank.redeem(Account.objects.get(resident=zhang), soap, actor=SYSTEM, source_key="counter:1")
    with pytest.raises(ValidationError, match="已兑换"):
        services.correct_hours(attendance, "1", reason="中途离开", actor=as_(world, "staff"))
    attendance.refresh_from_db()
    assert attendance.hours == Decimal("2.00") and _balance({"resident": zhang}) == 0


def test_an_outside_volunteer_without_a_phone_gets_hours_but_no_account(world, ended):
    attendance = services.mark_attendance(ended, volunteer(world, name="没留电话的"), actor=SYSTEM)
    assert attendance.hours == Decimal("2.00")
    assert not Account.objects.filter(kind="outside").exists()
