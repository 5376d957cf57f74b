"""The love bank (爱心银行): accounts, a double-entry ledger, the catalogue, redemptions and good deeds.

Every movement of points is one `Transaction` with two or more `Entry` rows whose amounts sum to zero:
a person's points come from the community's 积分发放 account and go to its 兑换支出 account. History
is never edited: a mistake is undone by a new transaction that `reverses` the original (once).
`Account.balance` is a cache of the sum of the account's entries, kept by linli.lovebank.services in
the same transaction under the account's row lock; each entry also keeps the balance after it, so a
statement with a running balance is one indexed read.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from linli.core.phone import mask_phone
from linli.lovebank import querysets
from linli.lovebank.choices import (
    HOLDER_KINDS,
    AccountKind,
    DeedStatus,
    ItemKind,
    RedemptionStatus,
    SystemAccount,
    TransactionKind,
)


class Account(models.Model):
    """One per person per community (a resident, or an outside holder by name and phone), plus the
    community's system accounts. Holders' balances never go below zero; system accounts may."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    kind = models.CharField("类型", max_length=10, choices=AccountKind.choices)
    system_code = models.CharField("系统账户", max_length=10, choices=SystemAccount.choices, blank=True)
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lovebank_accounts",
        verbose_name="居民",
    )
    holder_name = models.CharField("姓名", max_length=64, blank=True, help_text="辖区外人员的姓名")
    holder_phone = models.CharField("电话", max_length=24, blank=True)
    balance = models.IntegerField("余额", default=0, editable=False)
    created_at = models.DateTimeField("开户时间", auto_now_add=True)

    objects = querysets.AccountQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "积分账户"
        ordering = ["community_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="lovebank_holder_balance_not_negative", condition=Q(kind="system") | Q(balance__gte=0)
            ),
            models.CheckConstraint(
                name="lovebank_account_kind_fields",
                condition=(
                    Q(kind="resident", resident__isnull=False, system_code="")
                    | Q(kind="outside", resident__isnull=True, system_code="")
                    | Q(kind="system", resident__isnull=True) & ~Q(system_code="")
                ),
            ),
            models.UniqueConstraint(
                fields=["community", "resident"], condition=Q(kind="resident"), name="lovebank_one_account_per_resident"
            ),
            models.UniqueConstraint(
                fields=["community", "holder_phone"],
                condition=Q(kind="outside"),
                name="lovebank_one_account_per_outside_phone",
            ),
            models.UniqueConstraint(
                fields=["community", "system_code"], condition=Q(kind="system"), name="lovebank_one_system_account"
            ),
        ]

    def __str__(self):
        if self.kind == AccountKind.SYSTEM:
            return self.get_system_code_display()
        return self.name

    def get_absolute_url(self):
        return reverse("lovebank:account_detail", args=[self.pk])

    @property
    def name(self) -> str:
        if self.kind == AccountKind.RESIDENT:
            return self.resident.name
        return self.holder_name or str(self)

    @property
    def is_holder(self) -> bool:
        return self.kind in HOLDER_KINDS

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.resident.phone if self.kind == AccountKind.RESIDENT else self.holder_phone)


class Transaction(models.Model):
    """One movement of points; its entries sum to zero. `source_key` makes it happen once."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    kind = models.CharField("类型", max_length=10, choices=TransactionKind.choices)
    reason = models.CharField("事由", max_length=200)
    source_key = models.CharField(
        "幂等键", max_length=120, unique=True, help_text="同一操作的唯一标识：重复提交或两人同时操作只记一次。"
    )
    # What caused it, when it lives in another app (an activity attendance): a generic link.
    link_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    link_id = models.BigIntegerField(null=True, blank=True)
    link = GenericForeignKey("link_type", "link_id")
    deed = models.ForeignKey("Deed", on_delete=models.PROTECT, null=True, blank=True, related_name="transactions")
    redemption = models.ForeignKey(
        "Redemption", on_delete=models.PROTECT, null=True, blank=True, related_name="transactions"
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name="冲正的原交易",
        help_text="一笔交易只能冲正一次（唯一约束）。",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人", max_length=64, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = querysets.TransactionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "积分交易"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "created_at"], name="lovebank_txn_community_idx"),
            models.Index(fields=["link_type", "link_id"], name="lovebank_txn_link_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reason}"

    @property
    def actor_name(self) -> str:
        return str(self.actor) if self.actor_id else self.actor_label or "系统"


class Entry(models.Model):
    """One line of a transaction: points into (+) or out of (−) one account, and that account's balance after
    it (holders only: system accounts are not locked, so that awards and redemptions do not queue on them)."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", verbose_name="账户")
    amount = models.IntegerField("积分")
    balance_after = models.IntegerField("余额", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = querysets.EntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "积分明细"
        ordering = ["account_id", "id"]
        constraints = [
            models.CheckConstraint(name="lovebank_entry_nonzero", condition=~Q(amount=0)),
            models.UniqueConstraint(fields=["transaction", "account"], name="lovebank_entry_once_per_account"),
        ]
        indexes = [models.Index(fields=["account", "id"], name="lovebank_entry_account_idx")]

    def __str__(self):
        return f"{self.account} {self.amount:+d}"


class EarningRule(models.Model):
    """Points per hour of service for one kind of activity in one community.

    The activity type is a plain code (the volunteers app owns the types); the code "" is the
    community's default for types without a rule of their own.
    """

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    activity_type_code = models.CharField(
        "活动类型编码", max_length=32, blank=True, help_text="留空表示其他类型的默认规则"
    )
    label = models.CharField("说明", max_length=64, blank=True)
    points_per_hour = models.DecimalField("每小时积分", max_digits=6, decimal_places=2)

    objects = querysets.RuleQuerySet.as_manager()

    audit_fields = ["community", "activity_type_code", "label"]

    class Meta:
        verbose_name = verbose_name_plural = "积分规则"
        ordering = ["community_id", "activity_type_code"]
        constraints = [
            models.UniqueConstraint(fields=["community", "activity_type_code"], name="lovebank_one_rule_per_type"),
            models.CheckConstraint(name="lovebank_rule_not_negative", condition=Q(points_per_hour__gte=0)),
        ]

    def __str__(self):
        return f"{self.label or self.activity_type_code or '默认'}：每小时{self.points_per_hour}分"

    def audit_extra(self) -> dict:
        return {"每小时积分": str(self.points_per_hour)}  # a Decimal is not JSON


class CatalogueItem(models.Model):
    """What points buy: goods with stock (rice, oil) or help services (haircut, a repair); stock None = unlimited."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类别", max_length=10, choices=ItemKind.choices, default=ItemKind.GOODS)
    unit = models.CharField("单位", max_length=8, default="份")
    price = models.PositiveIntegerField("所需积分")
    stock = models.PositiveIntegerField("库存", null=True, blank=True, help_text="服务类可留空，表示不限数量。")
    description = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("上架", default=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    objects = querysets.ItemQuerySet.as_manager()

    audit_fields = ["name", "kind", "unit", "price", "stock", "description", "is_active", "order"]

    class Meta:
        verbose_name = verbose_name_plural = "兑换物品"
        ordering = ["community_id", "order", "id"]
        constraints = [
            models.CheckConstraint(name="lovebank_item_stock_not_negative", condition=Q(stock__gte=0) | Q(stock=None)),
            models.CheckConstraint(name="lovebank_item_price_positive", condition=Q(price__gt=0)),
            models.UniqueConstraint(fields=["community", "name"], name="lovebank_item_unique_name"),
        ]

    def __str__(self):
        return self.name


class Redemption(models.Model):
    """Points exchanged for an item: stock and points are taken together when it is made (待领取);
    a cancellation gives both back through a reversing transaction."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="redemptions", verbose_name="账户")
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="redemptions", verbose_name="物品")
    quantity = models.PositiveIntegerField("数量", default=1)
    points = models.PositiveIntegerField("积分")
    status = models.CharField("状态", max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.PENDING)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )
    created_at = models.DateTimeField("兑换时间", auto_now_add=True)
    collected_at = models.DateTimeField("领取时间", null=True, blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发放人",
    )
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)

    objects = querysets.RedemptionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "积分兑换"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(name="lovebank_redemption_quantity", condition=Q(quantity__gte=1))]
        indexes = [models.Index(fields=["community", "status", "created_at"], name="lovebank_redemption_idx")]

    def __str__(self):
        return f"{self.account} 兑换 {self.item}×{self.quantity}"


class Deed(models.Model):
    """A good deed (好人好事) reported by staff or a resident; approved once by staff, it earns points."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="deeds", verbose_name="积分账户"
    )
    subject_name = models.CharField("做好事的人", max_length=64)
    description = models.TextField("事迹")
    occurred_on = models.DateField("日期")
    points = models.PositiveIntegerField("积分", default=0)
    status = models.CharField("状态", max_length=10, choices=DeedStatus.choices, default=DeedStatus.PENDING)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报告人",
    )
    reported_at = models.DateTimeField("报告时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=200, blank=True)

    objects = querysets.DeedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "好人好事"
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="lovebank_deed_status_idx")]

    def __str__(self):
        return f"{self.subject_name}：{self.description[:20]}"

    def get_absolute_url(self):
        return reverse("lovebank:deed_detail", args=[self.pk])
