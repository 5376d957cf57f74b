"""The demo's love bank ledger (`linli demo`, shared build): the invariants the services keep hold for the bulk-written
history too, and the demo volunteers' confirmed attendances carry the points sync_attendance_points would give."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Sum

from linli.accounts.models import User
from linli.core.audit import Actor
from linli.lovebank import services
from linli.lovebank.choices import AccountKind, SystemAccount, TransactionKind
from linli.lovebank.models import Account, CatalogueItem, Entry, Transaction
from linli.volunteers.choices import AttendanceStatus
from linli.volunteers.models import Attendance


def test_every_balance_is_the_sum_of_its_entries_and_every_transaction_sums_to_zero(qinghe):
    sums = dict(Entry.objects.values("account").annotate(s=Sum("amount")).values_list("account", "s"))
    for account in Account.objects.filter(community=qinghe).holders():
        assert account.balance == sums.get(account.pk, 0) >= 0, account
    unbalanced = Transaction.objects.annotate(s=Sum("entries__amount"), n=Count("entries")).exclude(s=0, n__gte=2)
    assert not unbalanced.exists()
    # The statement's running balance: each entry's balance_after follows the one before, in date order.
    running = defaultdict(int)
    for account_id, amount, after in (
        Entry.objects.filter(account__community=qinghe, balance_after__isnull=False)
        .order_by("account_id", "transaction__created_at", "id")
        .values_list("account_id", "amount", "balance_after")
    ):
        running[account_id] += amount
        assert after == running[account_id], account_id


def test_each_confirmed_attendance_with_an_account_has_its_one_award(qinghe):
    confirmed = Attendance.objects.filter(activity__community=qinghe, status=AttendanceStatus.CONFIRMED)
    confirmed = list(confirmed.select_related("activity", "volunteer__resident"))
    assert len(confirmed) > 500
    awards = {
        t.source_key: t
        for t in Transaction.objects.filter(community=qinghe, source_key__startswith="attendance:").prefetch_related(
            "entries__account"
        )
    }
    assert len(awards) == len(confirmed)  # every demo volunteer has an account: a resident's or zhiyuan's phone
    issue = services.system_account(qinghe, SystemAccount.ISSUE)
    rates = services.earning_rates(qinghe)
    link_type = ContentType.objects.get_for_model(Attendance)
    for att in confirmed:
        txn = awards[f"attendance:{att.pk}"]
        points = services.points_at(rates, att.activity.kind, att.hours)
        assert points > 0 and (txn.kind, txn.link_type, txn.link_id) == (TransactionKind.AWARD, link_type, att.pk)
        assert txn.reason == services.attendance_reason(att) and txn.created_at == att.confirmed_at
        (out, into) = sorted(txn.entries.all(), key=lambda e: e.amount)
        assert (out.account, out.amount, into.amount) == (issue, -points, points)
        holder = into.account
        v = att.volunteer
        if v.resident_id:
            assert (holder.kind, holder.resident_id) == (AccountKind.RESIDENT, v.resident_id)
        else:
            assert (holder.kind, holder.holder_phone, holder.holder_name) == (AccountKind.OUTSIDE, v.phone, v.name)
    zhiyuan = Account.objects.get(community=qinghe, kind=AccountKind.OUTSIDE, holder_phone="13907181234")
    assert zhiyuan.balance > 0 and zhiyuan.holder_name == User.objects.get(username="zhiyuan").full_name


def test_the_service_finds_nothing_left_to_post_for_the_demo_attendances(qinghe):
    confirmed = Attendance.objects.filter(activity__community=qinghe, status=AttendanceStatus.CONFIRMED)
    sample = list(confirmed.select_related("activity", "volunteer__resident").order_by("id"))[::10]
    before = Transaction.objects.count()
    for att in sample:
        assert services.sync_attendance_points(att, actor=Actor.cli("test")) is None
    assert Transaction.objects.count() == before


def test_the_love_bank_has_a_catalogue_history_and_a_balance_for_chen(qinghe):
    chen = User.objects.get(username="jumin").resident
    account = Account.objects.get(resident=chen)
    assert account.balance > 0 and account.balance == services.ledger_balance(account)
    assert CatalogueItem.objects.filter(community=qinghe).count() >= 5
    assert Account.objects.filter(community=qinghe, kind="resident").count() > 30
    assert Transaction.objects.filter(community=qinghe, reverses__isnull=False).exists()
