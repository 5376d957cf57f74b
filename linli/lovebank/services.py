"""Every change to the love bank: awards, good deeds, redemptions, cancellations and reversals.

Rules kept here and nowhere else:

- Double entry. `_post` writes one Transaction and its entries, refuses anything whose amounts do not
  sum to zero, and moves the cached balances of the holder accounts it touches.
- Never negative. A holder's balance is checked under its row lock (select_for_update) before it moves;
  the DB CHECK on Account.balance is the backstop.
- Once. Every transaction carries a unique `source_key` (the deed, the attendance, the counter form's
  key). A service that finds its key already used returns what that first call made, so a button pressed
  twice or two clerks acting at the same moment give one movement.
- Lock order, to keep concurrent services from deadlocking: the deed or redemption row first, then the
  holder accounts in ascending id, then the catalogue item. System accounts are never locked (their
  balance is the sum of their entries), so that every award and redemption of a community does not queue
  on one row.
- History is never edited: a mistake is undone by `reverse_transaction` (or `cancel_redemption`), a new
  transaction with the opposite entries that references the original, which can be reversed once.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from linli.core.audit import Actor
from linli.core.phone import PhoneError, normalize_phone
from linli.core.services import save_audited
from linli.lovebank.choices import (
    AccountKind,
    DeedStatus,
    ItemKind,
    RedemptionStatus,
    SystemAccount,
    TransactionKind,
)
from linli.lovebank.models import Account, CatalogueItem, Deed, EarningRule, Entry, Redemption, Transaction

#: Points per hour when a community has no rule at all (issue 7: "e.g. 1 point per hour").
DEFAULT_POINTS_PER_HOUR = decimal.Decimal(1)


# --------------------------------------------------------------------------- permission re-checks


def _require(actor: Actor, perm: str, community_id: int | None = None) -> None:
    """The acting user holds `perm` and (for a community row) works in that community; CLI/system may."""
    user = actor.user
    if user is None or user.is_superuser:
        return
    if not user.has_role_perm(perm):
        raise PermissionDenied("您的角色没有这项权限。")
    if community_id is not None and not in_scope(user, community_id):
        raise Http404("不在您的管辖范围内。")


def in_scope(user, community_id: int) -> bool:
    from linli.areas.models import Community

    return Community.objects.restrict(user).filter(pk=community_id).exists()


# --------------------------------------------------------------------------- accounts


def system_account(community, code: str) -> Account:
    """The community's system account `code` (SystemAccount), made on first use."""
    account, _ = Account.objects.get_or_create(community_id=_id(community), kind=AccountKind.SYSTEM, system_code=code)
    return account


def resident_account(resident) -> Account:
    """The resident's account in the community they live in, opened on first use."""
    account, _ = Account.objects.get_or_create(
        community_id=resident.community_id, kind=AccountKind.RESIDENT, resident=resident
    )
    return account


def open_outside_account(community, *, name: str, phone: str, actor: Actor) -> Account:
    """An account for someone who is not in the registry (a volunteer from outside), keyed by phone."""
    _require(actor, "lovebank.add", _id(community))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写姓名。"})
    try:
        phone = normalize_phone(phone)
    except PhoneError as exc:
        raise ValidationError({"phone": str(exc)}) from exc
    if not phone:
        raise ValidationError({"phone": "请填写电话，用来找到这个账户。"})
    account, created = Account.objects.get_or_create(
        community_id=_id(community),
        kind=AccountKind.OUTSIDE,
        holder_phone=phone,
        defaults={"holder_name": name},
    )
    if not created and account.holder_name != name:
        raise ValidationError({"phone": f"这个电话已开户（{account.holder_name}）。"})
    return account


def _holder(target) -> Account:
    """An Account, or a Resident whose account is opened if needed."""
    if isinstance(target, Account):
        if not target.is_holder:
            raise ValidationError("系统账户不能作为积分的持有人。")
        return target
    return resident_account(target)


def _id(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


def _lock_accounts(ids: Iterable[int]) -> dict[int, Account]:
    ids = sorted(set(ids))
    return {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


# --------------------------------------------------------------------------- the ledger


class _Replay(Exception):
    def __init__(self, txn):
        self.txn = txn


def _existing(source_key: str) -> Transaction | None:
    return Transaction.objects.filter(source_key=source_key).first()


def _post(
    community_id: int,
    kind: str,
    lines: list[tuple[Account, int]],
    *,
    reason: str,
    source_key: str,
    actor: Actor,
    link=None,
    **refs,
) -> Transaction:
    """Write one balanced transaction. Holder accounts in `lines` must be locked by the caller (fresh rows)."""
    if not source_key:
        raise ValueError("source_key is required")
    lines = [(a, n) for a, n in lines if n]
    if len(lines) < 2 or sum(n for _, n in lines) != 0:
        raise ValueError(f"unbalanced transaction: {[(a.pk, n) for a, n in lines]}")
    if len({a.pk for a, _ in lines}) != len(lines):
        raise ValueError("one entry per account")
    for account, amount in lines:
        if account.community_id != community_id:
            raise ValueError("entries must stay inside one community")
        if account.is_holder and account.balance + amount < 0:
            raise ValidationError(f"{account.name}的积分不足：现有{account.balance}分，需要{-amount}分。")
    user = actor.account
    try:
        with transaction.atomic():  # a savepoint: a key used meanwhile leaves the caller's transaction usable
            txn = Transaction.objects.create(
                community_id=community_id,
                kind=kind,
                reason=reason[:200],
                source_key=source_key,
                link_type=ContentType.objects.get_for_model(type(link)) if link is not None else None,
                link_id=link.pk if link is not None else None,
                actor=user,
                actor_label=(actor.label or "")[:64],
                **refs,
            )
    except IntegrityError as exc:
        found = _existing(source_key)
        if found is None:
            raise
        raise _Replay(found) from exc
    entries = []
    for account, amount in sorted(lines, key=lambda line: line[0].pk):
        after = None
        if account.is_holder:
            account.balance += amount
            after = account.balance
            Account.objects.filter(pk=account.pk).update(balance=after)
        entries.append(Entry(transaction=txn, account=account, amount=amount, balance_after=after))
    Entry.objects.bulk_create(entries)
    return txn


@transaction.atomic
def award(target, points: int, *, reason: str, source_key: str, actor: Actor, link=None) -> Transaction:
    """Give `points` to a person (an Account, or a Resident whose account is opened) from the community's
    积分发放 account. Called by the volunteers app for attendance (source_key e.g. "attendance:123",
    link the attendance row); calling again with the same key returns the first transaction."""
    if points <= 0:
        raise ValidationError("积分必须大于0。")
    holder = _holder(target)
    _require(actor, "lovebank.add", holder.community_id)
    return _exchange(
        holder,
        SystemAccount.ISSUE,
        points,
        kind=TransactionKind.AWARD,
        reason=reason,
        source_key=source_key,
        actor=actor,
        link=link,
    )


def _exchange(
    holder: Account, system_code: str, amount: int, *, kind, reason, source_key, actor, **refs
) -> Transaction:
    """Move `amount` points between a holder and a system account (> 0: to the holder), once per key:
    the holder's row is locked before the key is looked up, so a second call with it waits and returns."""
    locked = _lock_accounts([holder.pk])[holder.pk]
    found = _existing(source_key)
    if found is not None:
        return found
    other = system_account(locked.community_id, system_code)
    try:
        return _post(
            locked.community_id,
            kind,
            [(other, -amount), (locked, amount)],
            reason=reason,
            source_key=source_key,
            actor=actor,
            **refs,
        )
    except _Replay as replay:
        return replay.txn


def points_for_hours(community, activity_type_code: str, hours) -> int:
    """Points for `hours` of service in an activity of that type: the type's rule, else the community's
    default rule (code ""), else DEFAULT_POINTS_PER_HOUR; rounded half up to whole points."""
    return points_at(earning_rates(community, [activity_type_code, ""]), activity_type_code, hours)


def earning_rates(community, codes: Iterable[str] | None = None) -> dict[str, decimal.Decimal]:
    """The community's points per hour by activity-type code (only `codes` when given), for `points_at`."""
    rules = EarningRule.objects.filter(community_id=_id(community))
    if codes is not None:
        rules = rules.filter(activity_type_code__in=list(codes))
    return dict(rules.values_list("activity_type_code", "points_per_hour"))


def points_at(rates: dict[str, decimal.Decimal], activity_type_code: str, hours) -> int:
    """`points_for_hours` with the community's `earning_rates` already read (for bulk writers)."""
    rate = rates.get(activity_type_code, rates.get("", DEFAULT_POINTS_PER_HOUR))
    value = decimal.Decimal(str(hours)) * rate
    return int(value.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))


def attendance_reason(attendance, *, correction: bool = False) -> str:
    """The reason of the points transaction of a confirmed attendance (sync_attendance_points)."""
    return f"志愿服务：{attendance.activity.title}，{attendance.hours}小时" + ("（时长更正）" if correction else "")


def volunteer_account(volunteer) -> Account | None:
    """The love bank account of a volunteer: the resident's own, else an outside account keyed by the
    volunteer's phone (opened on first use); None for an outside volunteer without a usable phone."""
    if volunteer.resident_id:
        return resident_account(volunteer.resident)
    try:
        phone = normalize_phone(volunteer.phone or "")
    except PhoneError:
        return None
    if not phone:
        return None
    account, _ = Account.objects.get_or_create(
        community_id=volunteer.community_id,
        kind=AccountKind.OUTSIDE,
        holder_phone=phone,
        defaults={"holder_name": volunteer.name},
    )
    return account


def sync_attendance_points(attendance, *, actor: Actor) -> Transaction | None:
    """Make the points given for a confirmed attendance equal to what its hours earn now (the activity type's
    rule, `points_for_hours`). The volunteers services call this inside their own transaction whenever an
    attendance is confirmed or its hours are corrected, so hours and points never disagree: the first call awards,
    a correction posts only the difference (keys attendance:<id>, attendance:<id>:2, ...), a repeated call posts
    nothing. Taking back points already spent is refused with a Chinese message, which refuses the correction."""
    from linli.volunteers.choices import AttendanceStatus

    if attendance.status != AttendanceStatus.CONFIRMED or attendance.hours is None:
        return None
    holder = volunteer_account(attendance.volunteer)
    if holder is None:
        return None
    locked = _lock_accounts([holder.pk])[holder.pk]
    prefix = f"attendance:{attendance.pk}"
    mine = Transaction.objects.filter(community_id=locked.community_id, source_key__startswith=prefix)
    mine = mine.filter(source_key__regex=rf"^{prefix}(:[0-9]+)?$")
    given = Entry.objects.filter(account=locked, transaction__in=mine).aggregate(s=Sum("amount"))["s"] or 0
    activity = attendance.activity
    owed = points_for_hours(activity.community_id, activity.kind, attendance.hours)
    difference = owed - given
    if difference == 0:
        return None
    if difference < 0 and locked.balance < -difference:
        raise ValidationError(
            f"时长改少后要扣回{-difference}分积分，但{locked.name}的积分只剩{locked.balance}分（已兑换），"
            "请先请书记处理积分，再更正时长。"
        )
    count = mine.count()
    return _exchange(
        locked,
        SystemAccount.ISSUE,
        difference,
        kind=TransactionKind.AWARD,
        reason=attendance_reason(attendance, correction=bool(count)),
        source_key=prefix if count == 0 else f"{prefix}:{count + 1}",
        actor=actor,
        link=attendance,
    )


#: More than this per hour is taken for a typing mistake (issue 7 speaks of about 1 point per hour).
MAX_POINTS_PER_HOUR = decimal.Decimal(100)


def _rate(points_per_hour) -> decimal.Decimal:
    """Points per hour as entered, checked: a number, 0..MAX_POINTS_PER_HOUR, at most two decimals."""
    try:
        rate = decimal.Decimal(str(points_per_hour).strip())
    except (decimal.InvalidOperation, ValueError):
        raise ValidationError({"points_per_hour": "请填写数字，如 1 或 1.5。"}) from None
    if not rate.is_finite():
        raise ValidationError({"points_per_hour": "请填写数字，如 1 或 1.5。"})
    if rate < 0:
        raise ValidationError({"points_per_hour": "每小时积分不能是负数。"})
    if rate > MAX_POINTS_PER_HOUR:
        raise ValidationError({"points_per_hour": f"每小时积分不能超过{MAX_POINTS_PER_HOUR}分，请检查是否多输了位数。"})
    if rate != rate.quantize(decimal.Decimal("0.01")):
        raise ValidationError({"points_per_hour": "每小时积分最多保留两位小数。"})
    return rate.quantize(decimal.Decimal("0.01"))


@transaction.atomic
def set_earning_rule(
    community, activity_type_code: str, points_per_hour, *, label: str | None = None, actor: Actor
) -> EarningRule:
    """Set the points per hour that one activity type earns in a community (code "" = the community's default).
    Recorded in the change log. Past awards keep their points: a rule is read when an attendance is confirmed or
    its hours are corrected (sync_attendance_points), never to re-price what was already given."""
    _require(actor, "lovebank.manage", _id(community))
    rate = _rate(points_per_hour)
    code = (activity_type_code or "").strip()
    rule = EarningRule.objects.select_for_update().filter(community_id=_id(community), activity_type_code=code).first()
    if rule is None:
        rule = EarningRule(community_id=_id(community), activity_type_code=code)
    rule.points_per_hour = rate
    if label is not None:
        rule.label = label.strip()[:64]
    try:
        return save_audited(rule, actor)
    except IntegrityError as exc:  # two people created the same type's rule at the same moment
        raise ValidationError("这条规则刚被别人设置，请刷新页面后再改。") from exc


@transaction.atomic
def donate(
    account: Account, points: int, *, source_key: str, actor: Actor, reason: str = "捐给社区爱心银行"
) -> Transaction:
    """A person gives points to the community's own account (社区爱心银行)."""
    if points <= 0:
        raise ValidationError("积分必须大于0。")
    _require(actor, "lovebank.add", account.community_id)
    return _exchange(
        account,
        SystemAccount.BANK,
        -points,
        kind=TransactionKind.DONATE,
        reason=reason,
        source_key=source_key,
        actor=actor,
    )


def _opposite(txn: Transaction, kind: str, *, reason: str, source_key: str, actor: Actor, **refs) -> Transaction:
    """The transaction that undoes `txn` (locked by the caller): the same entries with the opposite sign."""
    if Transaction.objects.filter(reverses=txn).exists():
        raise ValidationError("这笔交易已经冲正过，不能重复冲正。")
    entries = list(txn.entries.all())
    locked = _lock_accounts(e.account_id for e in entries if e.balance_after is not None)
    lines = [(locked.get(e.account_id) or e.account, -e.amount) for e in entries]
    return _post(txn.community_id, kind, lines, reason=reason, source_key=source_key, actor=actor, reverses=txn, **refs)


@transaction.atomic
def reverse_transaction(txn: Transaction, *, actor: Actor, reason: str) -> Transaction:
    """Undo an award, a deed's points or a donation by a new opposite transaction (once). A redemption
    is undone by cancel_redemption, which also puts the stock back; a reversal is not reversed again."""
    txn = Transaction.objects.select_for_update().get(pk=txn.pk)
    _require(actor, "lovebank.reverse", txn.community_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明冲正原因。"})
    if txn.kind in (TransactionKind.REDEEM, TransactionKind.CANCEL):
        raise ValidationError("兑换请用“取消兑换”，这样库存也会退回。")
    if txn.kind == TransactionKind.REVERSAL:
        raise ValidationError("冲正记录不能再冲正；如有错误请重新发放。")
    try:
        return _opposite(
            txn,
            TransactionKind.REVERSAL,
            reason=f"冲正：{reason}",
            source_key=f"reverse:{txn.pk}",
            actor=actor,
            deed_id=txn.deed_id,
        )
    except _Replay as replay:
        return replay.txn


# --------------------------------------------------------------------------- good deeds


@transaction.atomic
def report_deed(
    *,
    community,
    subject_name: str,
    description: str,
    occurred_on,
    actor: Actor,
    account: Account | None = None,
    points: int = 0,
) -> Deed:
    """Staff report a deed in their community; a resident reports one in their own community (for
    themselves, with `account` their own, or naming someone else for staff to find)."""
    user = actor.user
    community_id = _id(community)
    if user is not None and not user.is_superuser and not user.has_role_perm("lovebank.add"):
        if not (user.has_role_perm("lovebank.report") and user.resident_id):
            raise PermissionDenied("您的角色没有这项权限。")
        if user.resident.community_id != community_id:
            raise Http404("只能报告本社区的好人好事。")
        if account is not None and account.resident_id != user.resident_id:
            raise PermissionDenied("只能为自己的账户报告；别人请写姓名，由社区核实。")
        points = 0  # staff decide the points
    else:
        _require(actor, "lovebank.add", community_id)
    if account is not None and account.community_id != community_id:
        raise ValidationError("账户不属于这个社区。")
    if not (subject_name or "").strip() or not (description or "").strip():
        raise ValidationError("请填写做好事的人和事迹。")
    return Deed.objects.create(
        community_id=community_id,
        account=account,
        subject_name=subject_name.strip()[:64],
        description=description.strip(),
        occurred_on=occurred_on,
        points=points or 0,
        reported_by=user if getattr(user, "pk", None) else None,
    )


@transaction.atomic
def approve_deed(deed: Deed, *, actor: Actor, points: int, account: Account | None = None, note: str = "") -> Deed:
    """Approve once and credit the points: the deed row is locked, so a second click or a second clerk
    finds it already approved and nothing more is paid."""
    deed = Deed.objects.select_for_update().get(pk=deed.pk)
    _require(actor, "lovebank.approve", deed.community_id)
    if deed.status == DeedStatus.APPROVED:
        return deed
    if deed.status != DeedStatus.PENDING:
        raise ValidationError("这条好人好事已经审核过了。")
    account = account or deed.account
    if account is None:
        raise ValidationError({"resident": "请选择获得积分的居民。"})
    if account.community_id != deed.community_id or not account.is_holder:
        raise ValidationError({"resident": "积分账户不属于这个社区。"})
    if not points or points <= 0:
        raise ValidationError({"points": "积分必须大于0。"})
    _exchange(
        account,
        SystemAccount.ISSUE,
        points,
        kind=TransactionKind.DEED,
        reason=f"好人好事：{deed.description[:60]}",
        source_key=f"deed:{deed.pk}",
        actor=actor,
        deed=deed,
    )
    deed.account, deed.points, deed.status = account, points, DeedStatus.APPROVED
    deed.decided_by = actor.account
    deed.decided_at, deed.decision_note = timezone.now(), note[:200]
    deed.save()
    return deed


@transaction.atomic
def reject_deed(deed: Deed, *, actor: Actor, note: str) -> Deed:
    deed = Deed.objects.select_for_update().get(pk=deed.pk)
    _require(actor, "lovebank.approve", deed.community_id)
    if deed.status == DeedStatus.REJECTED:
        return deed
    if deed.status != DeedStatus.PENDING:
        raise ValidationError("这条好人好事已经审核通过，如有错误请冲正积分。")
    if not (note or "").strip():
        raise ValidationError({"note": "请写明不通过的原因。"})
    deed.status, deed.decision_note = DeedStatus.REJECTED, note.strip()[:200]
    deed.decided_by = actor.account
    deed.decided_at = timezone.now()
    deed.save()
    return deed


# --------------------------------------------------------------------------- catalogue and redemptions


@transaction.atomic
def save_item(item: CatalogueItem, *, actor: Actor) -> CatalogueItem:
    """Create or edit a catalogue item (stock included: the item row is locked while it changes)."""
    _require(actor, "lovebank.manage", item.community_id)
    if item.pk:
        CatalogueItem.objects.select_for_update().get(pk=item.pk)
    if item.kind == ItemKind.GOODS and item.stock is None:
        raise ValidationError({"stock": "物品请填写库存。"})
    return save_audited(item, actor)


class RepeatRedemption(ValidationError):
    """The same account got the same item in the same quantity a moment ago (see `redeem`): ask before a second."""

    def __init__(self, previous: Redemption, now: datetime.datetime):
        minutes = int((now - previous.created_at).total_seconds() // 60)
        ago = f"{minutes}分钟前" if minutes >= 1 else "不到1分钟前"
        clerk = previous.created_by.full_name or previous.created_by.username if previous.created_by else "系统"
        super().__init__(
            {
                "confirm_repeat": f"该居民{ago}刚兑换过同一物品（{previous.item.name}×{previous.quantity}，"
                f"经办人{clerk}），确认再兑换一次吗？确认请勾选“确认再兑换一次”后再提交。"
            }
        )
        self.previous = previous


def repeat_window() -> datetime.timedelta:
    """How long an identical redemption counts as a possible double submit (LINLI_LOVEBANK_REPEAT_MINUTES)."""
    return datetime.timedelta(minutes=getattr(settings, "LINLI_LOVEBANK_REPEAT_MINUTES", 2))


@transaction.atomic
def redeem(
    account: Account,
    item: CatalogueItem,
    *,
    actor: Actor,
    source_key: str,
    quantity: int = 1,
    collected: bool = False,
    note: str = "",
    confirm_repeat: bool = False,
) -> Redemption:
    """Exchange points for `quantity` of `item`: the points and the stock go in one transaction, or not at
    all. Refused with a message when the item is out of stock or the points are too few. A replayed
    `source_key` (the counter form submitted twice) returns the first redemption.

    Two clerks at two counters have two keys: an identical redemption (same account, item and quantity, not
    cancelled) made within `repeat_window()` is refused with RepeatRedemption unless `confirm_repeat`. The check
    runs with the account row locked, so of two simultaneous submissions the second waits for the first and
    then sees it."""
    _require(actor, "lovebank.add", account.community_id)
    if quantity < 1:
        raise ValidationError({"quantity": "数量至少为1。"})
    locked = _lock_accounts([account.pk]).get(account.pk)
    if locked is None or not locked.is_holder:
        raise ValidationError("请选择居民或持卡人的账户。")
    found = _existing(source_key)
    if found is not None:
        return found.redemption
    if not confirm_repeat:
        now = timezone.now()
        previous = (
            Redemption.objects.filter(
                account=locked, item_id=item.pk, quantity=quantity, created_at__gte=now - repeat_window()
            )
            .exclude(status=RedemptionStatus.CANCELLED)
            .select_related("item", "created_by")
            .order_by("-created_at")
            .first()
        )
        if previous is not None:
            raise RepeatRedemption(previous, now)
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    if item.community_id != locked.community_id:
        raise ValidationError("物品不属于这个社区。")
    if not item.is_active:
        raise ValidationError(f"“{item.name}”已下架。")
    if item.stock is not None and item.stock < quantity:
        if item.stock == 0:
            raise ValidationError(f"“{item.name}”已经兑完了，暂时没有库存。")
        raise ValidationError(f"“{item.name}”库存不足：只剩{item.stock}{item.unit}。")
    points = item.price * quantity
    if locked.balance < points:
        raise ValidationError(
            f"积分不足：兑换{quantity}{item.unit}“{item.name}”需要{points}分，{locked.name}现有{locked.balance}分。"
        )
    now = timezone.now()
    redemption = Redemption.objects.create(
        community_id=locked.community_id,
        account=locked,
        item=item,
        quantity=quantity,
        points=points,
        note=note[:200],
        status=RedemptionStatus.COLLECTED if collected else RedemptionStatus.PENDING,
        collected_at=now if collected else None,
        collected_by=actor.account if collected else None,
        created_by=actor.account,
    )
    spend = system_account(locked.community_id, SystemAccount.SPEND)
    try:
        _post(
            locked.community_id,
            TransactionKind.REDEEM,
            [(locked, -points), (spend, points)],
            reason=f"兑换{item.name}×{quantity}",
            source_key=source_key,
            actor=actor,
            redemption=redemption,
        )
    except _Replay as replay:
        transaction.set_rollback(True)  # drop the redemption row made above; the first one stands
        return replay.txn.redemption
    if item.stock is not None:
        CatalogueItem.objects.filter(pk=item.pk).update(stock=item.stock - quantity)
    return redemption


@transaction.atomic
def collect_redemption(redemption: Redemption, *, actor: Actor) -> Redemption:
    """已领取: the item is handed over (who handed it and when are kept); a second collect changes nothing."""
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    _require(actor, "lovebank.add", redemption.community_id)
    if redemption.status == RedemptionStatus.COLLECTED:
        return redemption
    if redemption.status != RedemptionStatus.PENDING:
        raise ValidationError("这次兑换已取消，不能领取。")
    redemption.status, redemption.collected_at = RedemptionStatus.COLLECTED, timezone.now()
    redemption.collected_by = actor.account
    redemption.save(update_fields=["status", "collected_at", "collected_by"])
    return redemption


@transaction.atomic
def cancel_redemption(redemption: Redemption, *, actor: Actor, reason: str) -> Redemption:
    """Give the points back (a transaction reversing the redemption) and put the stock back; only while
    the item has not been handed over (待领取)."""
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    _require(actor, "lovebank.add", redemption.community_id)
    if redemption.status == RedemptionStatus.CANCELLED:
        return redemption
    if redemption.status != RedemptionStatus.PENDING:
        raise ValidationError("物品已经领取，不能取消兑换。")
    reason = (reason or "").strip() or "取消兑换"
    original = Transaction.objects.select_for_update().get(redemption=redemption, kind=TransactionKind.REDEEM)
    _opposite(
        original,
        TransactionKind.CANCEL,
        reason=f"取消兑换{redemption.item.name}×{redemption.quantity}：{reason}",
        source_key=f"cancel:{redemption.pk}",
        actor=actor,
        redemption=redemption,
    )
    item = CatalogueItem.objects.select_for_update().get(pk=redemption.item_id)
    if item.stock is not None:
        CatalogueItem.objects.filter(pk=item.pk).update(stock=item.stock + redemption.quantity)
    redemption.status, redemption.cancelled_at, redemption.cancel_reason = (
        RedemptionStatus.CANCELLED,
        timezone.now(),
        reason[:200],
    )
    redemption.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    return redemption


# --------------------------------------------------------------------------- checks


def ledger_balance(account: Account) -> int:
    """The balance as the sum of the entries (the cached Account.balance must equal it)."""
    return Entry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0
