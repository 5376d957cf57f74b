"""Demo love bank (爱心银行) for 青和居: earning rules, a catalogue, and half a year of history.

The volunteers of the volunteers demo (linli/volunteers/demo.py, built first) get the points of their
confirmed attendances: one award each, keyed `attendance:<id>` and dated at the confirmation, exactly as
`services.sync_attendance_points` posts it, but written in bulk (`_award_attendances`: ~600 awards in a few
statements instead of a dozen each). About 50 other residents earn points for patrols, cleaning and visits
to the elderly and for good deeds; some spend them on rice, oil, haircuts and help at home; one redemption
is cancelled and one award reversed. 陈奶奶 (the demo resident login jumin) has her own history and a
balance. Those movements go through linli.lovebank.services, in date order; the timestamps are then moved
to the planned moments (the services stamp "now"), so statements and monthly totals read like six real
months. The two groups hold different accounts, so every account's running balance follows its dates.
Deterministic from `rng` and `today`; a few hundred service calls, well under a second or two on SQLite.
"""

from __future__ import annotations

import datetime
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.utils import timezone

from linli.accounts.models import User
from linli.core.audit import Actor, actor_of
from linli.lovebank import services
from linli.lovebank.choices import AccountKind, ItemKind, SystemAccount, TransactionKind
from linli.lovebank.models import Account, CatalogueItem, Deed, Entry, Redemption, Transaction
from linli.residents.models import Resident

DEMO_LABEL = "演示数据"  # the actor of what the demo writes, as the history shows it
DAYS = 182
RULES = (("", "其他服务", 1), ("patrol", "治安巡逻", 1), ("cleaning", "环境清洁", 1), ("elderly_visit", "探望老人", 2))
CATALOGUE = (
    ("大米（5公斤）", ItemKind.GOODS, "袋", 20, 30, "武汉本地大米"),
    ("食用油（5升）", ItemKind.GOODS, "桶", 25, 20, ""),
    ("洗衣液", ItemKind.GOODS, "瓶", 8, 40, ""),
    ("理发", ItemKind.SERVICE, "次", 5, None, "每周三上午，社区党群服务中心"),
    ("上门小修（换灯泡、修水龙头）", ItemKind.SERVICE, "次", 10, None, "“江小团”青年志愿者上门"),
    ("陪同就医", ItemKind.SERVICE, "次", 15, None, "妈妈帮帮团志愿者陪同"),
)
ACTIVITIES = (
    ("patrol", "新长征巡逻队夜间巡逻", (2, 3)),
    ("cleaning", "楼道和广场清洁", (1, 2)),
    ("elderly_visit", "探望独居老人", (1, 2)),
)
DEEDS = (
    "帮独居老人买菜送上楼",
    "拾到钱包交还失主",
    "雨天帮邻居收衣服",
    "义务修好楼道灯",
    "照看邻居家留守儿童",
    "清理小区绿化带垃圾",
)


@transaction.atomic
def build_demo_lovebank(
    community, chen: Resident | None, *, rng: random.Random, today: datetime.date, log=lambda line: None
):
    t0 = time.perf_counter()
    now = timezone.now() if today >= timezone.localdate() else _at(today, 18)
    cli = Actor.cli(DEMO_LABEL)
    clerk_user = User.objects.filter(username="shequ").first()
    clerk = actor_of(clerk_user) if clerk_user else cli
    for code, label, per_hour in RULES:
        services.set_earning_rule(community, code, per_hour, label=label, actor=cli)
    items = [
        services.save_item(
            CatalogueItem(community=community, name=n, kind=k, unit=u, price=p, stock=s, description=d, order=i),
            actor=cli,
        )
        for i, (n, k, u, p, s, d) in enumerate(CATALOGUE)
    ]
    volunteers = _award_attendances(community, cli)
    people = list(
        Resident.objects.filter(community=community, status="active")
        .exclude(pk=getattr(chen, "pk", None))
        .exclude(pk__in=volunteers)
        .order_by("id")[:2000]
    )
    people = rng.sample(people, min(50, len(people)))
    events = []  # (moment, callable) run in date order
    for n, person in enumerate(people):
        for k in range(rng.randint(2, 8)):
            code, title, (lo, hi) = rng.choice(ACTIVITIES)
            hours = rng.randint(lo, hi)
            when = now - datetime.timedelta(days=rng.randint(1, DAYS), hours=rng.randint(0, 8))
            events.append((when, "award", (person, code, title, hours, f"demo:activity:{n}:{k}")))
        if rng.random() < 0.4:
            when = now - datetime.timedelta(days=rng.randint(1, DAYS - 10))
            events.append(
                (
                    when + datetime.timedelta(days=rng.randint(3, 10)),
                    "redeem",
                    (person, rng.choice(items), f"demo:redeem:{n}"),
                )
            )
    if chen is not None:
        for k, days in enumerate((150, 120, 90, 60, 30, 9)):
            events.append(
                (
                    now - datetime.timedelta(days=days),
                    "award",
                    (chen, "elderly_visit", "结对探望楼里的独居老人", 2, f"demo:chen:{k}"),
                )
            )
        events.append((now - datetime.timedelta(days=45), "redeem", (chen, items[3], "demo:chen:haircut")))
        events.append((now - datetime.timedelta(days=20), "deed", (chen, "教楼里的孩子写毛笔字", True)))
    for k, description in enumerate(DEEDS):
        person = people[k % len(people)] if people else chen
        events.append((now - datetime.timedelta(days=rng.randint(2, DAYS)), "deed", (person, description, k < 4)))
    events.sort(key=lambda e: e[0])
    moments: dict[str, datetime.datetime] = {}  # source key → when, to date the rows afterwards
    redemptions: list[Redemption] = []
    for when, kind, args in events:
        if kind == "award":
            person, code, title, hours, key = args
            points = services.points_for_hours(community, code, hours)
            services.award(person, points, reason=f"{title}（{hours}小时）", source_key=key, actor=cli)
            moments[key] = when
        elif kind == "redeem":
            person, item, key = args
            account = services.resident_account(person)
            if account.balance >= item.price and (item.stock is None or item.stock > 0):
                redemptions.append(services.redeem(account, item, source_key=key, actor=clerk, collected=True))
                item.refresh_from_db()
                moments[key] = when
        else:
            person, description, approve = args
            deed = services.report_deed(
                community=community,
                subject_name=person.name,
                description=description,
                occurred_on=when.date(),
                account=services.resident_account(person),
                actor=clerk,
            )
            Deed.objects.filter(pk=deed.pk).update(reported_at=when)
            if approve:
                services.approve_deed(deed, actor=clerk, points=5, note="经核实")
                Deed.objects.filter(pk=deed.pk).update(decided_at=when + datetime.timedelta(days=1))
                moments[f"deed:{deed.pk}"] = when + datetime.timedelta(days=1)
    _date(moments)
    # One pending redemption cancelled at the counter, one award booked twice and reversed.
    if people:
        person = max(people, key=lambda p: services.resident_account(p).balance)
        account = services.resident_account(person)
        if account.balance >= items[2].price:
            r = services.redeem(account, items[2], source_key="demo:pending", actor=clerk)
            services.cancel_redemption(r, actor=clerk, reason="居民改换大米")
        wrong = services.award(person, 3, reason="楼道和广场清洁（重复登记）", source_key="demo:duplicate", actor=clerk)
        services.reverse_transaction(wrong, actor=cli, reason="同一次活动登记了两次")
    accounts = len(
        {e.account_id for e in Entry.objects.filter(account__community=community, balance_after__isnull=False)}
    )
    chen_balance = services.resident_account(chen).balance if chen is not None else 0
    log(
        f"       {community.name}：爱心银行{accounts}个积分账户（{len(volunteers)}名志愿者有服务积分）"
        f" {len(redemptions)}次兑换"
        f"（陈奶奶{chen_balance}分，{time.perf_counter() - t0:.1f}秒）"
    )


def _award_attendances(community, cli: Actor) -> set[int]:
    """The points of every confirmed attendance in `community`, as `services.sync_attendance_points` would
    post them one by one (same key, reason, link, amount and entries), in bulk and dated at the confirmation.
    Returns the ids of the residents who got points."""
    from linli.volunteers.choices import AttendanceStatus
    from linli.volunteers.models import Attendance

    attendances = list(
        Attendance.objects.filter(activity__community=community, status=AttendanceStatus.CONFIRMED)
        .exclude(hours=None)
        .select_related("activity", "volunteer")
        .order_by("confirmed_at", "id")
    )
    if not attendances:
        return set()
    residents = {a.volunteer.resident_id for a in attendances} - {None}
    opened = set(
        Account.objects.filter(community=community, kind=AccountKind.RESIDENT, resident__in=residents).values_list(
            "resident_id", flat=True
        )
    )
    Account.objects.bulk_create(
        [Account(community=community, kind=AccountKind.RESIDENT, resident_id=r) for r in sorted(residents - opened)]
    )
    accounts = Account.objects.filter(community=community, kind=AccountKind.RESIDENT, resident__in=residents)
    by_resident = {a.resident_id: a for a in accounts}
    outside = {}  # volunteer id → account (or None without a phone), through the service: a handful of people
    rates = services.earning_rates(community)
    issue = services.system_account(community, SystemAccount.ISSUE)
    link_type = ContentType.objects.get_for_model(Attendance)
    txns, lines = [], []
    for att in attendances:
        v = att.volunteer
        if v.resident_id:
            holder = by_resident[v.resident_id]
        else:
            if v.pk not in outside:
                outside[v.pk] = services.volunteer_account(v)
            holder = outside[v.pk]
        points = services.points_at(rates, att.activity.kind, att.hours)
        if holder is None or points == 0:
            continue
        txns.append(
            Transaction(
                community=community,
                kind=TransactionKind.AWARD,
                reason=services.attendance_reason(att)[:200],
                source_key=f"attendance:{att.pk}",
                link_type=link_type,
                link_id=att.pk,
                actor_label=cli.label[:64],
            )
        )
        lines.append((holder, points, att.confirmed_at))
    Transaction.objects.bulk_create(txns, batch_size=500)
    entries, holders = [], {}
    for txn, (holder, points, _) in zip(txns, lines):
        holder = holders.setdefault(holder.pk, holder)
        holder.balance += points
        pair = [(issue, -points, None), (holder, points, holder.balance)]
        for account, amount, after in sorted(pair, key=lambda line: line[0].pk):  # as _post orders them
            entries.append(Entry(transaction=txn, account=account, amount=amount, balance_after=after))
    Entry.objects.bulk_create(entries, batch_size=1000)
    Account.objects.bulk_update(list(holders.values()), ["balance"], batch_size=500)
    _date({txn.source_key: when for txn, (_, _, when) in zip(txns, lines)})
    return {h.resident_id for h in holders.values() if h.resident_id}


def _date(moments: dict[str, datetime.datetime]) -> None:
    """Move the rows the services stamped "now" to their planned moments, in three statements a batch."""
    keys = list(moments)
    for i in range(0, len(keys), 400):
        batch = keys[i : i + 400]
        txns = Transaction.objects.filter(source_key__in=batch)
        txns.update(created_at=Case(*(When(source_key=k, then=Value(moments[k])) for k in batch)))
        when = Transaction.objects.filter(pk=OuterRef("transaction_id")).values("created_at")[:1]
        Entry.objects.filter(transaction__in=txns).update(created_at=Subquery(when))
        when = Transaction.objects.filter(redemption=OuterRef("pk"), kind="redeem").values("created_at")[:1]
        Redemption.objects.filter(transactions__in=txns).update(created_at=Subquery(when), collected_at=Subquery(when))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def demo_step(demo) -> None:
    """The demo step (shell.py): rules, catalogue, six months of points; 陈奶奶 (jumin) gets a balance."""
    build_demo_lovebank(demo.community, demo.chen, rng=demo.rng("lovebank"), today=demo.today, log=demo.log)
