"""Micro-wishes (微心愿) of residents in need, their claimers and claims; donated goods (爱心衣物).

A wish has a public part (title, neutral description, category, target date) that the public list and the
community's public page show, and a private part (who, where, how to reach them, delivery notes) that only
the community's staff and the claimer holding the live claim read. State changes go through
linli.wishes.services, which appends a WishEvent for each.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.areas.models import StreetOfCommunity
from linli.core.phone import mask_phone
from linli.wishes import querysets
from linli.wishes.choices import ClaimerKind, Direction, DonationKind, WishCategory, WishEventAction, WishStatus


class Claimer(StreetOfCommunity, models.Model):
    """Who may claim wishes in a community: a party member (党员, often in service elsewhere: 在职党员双报到)
    or a resident organisation (驻区单位). A linked user account claims from its phone."""

    kind = models.CharField("类型", max_length=16, choices=ClaimerKind.choices, default=ClaimerKind.PARTY_MEMBER)
    name = models.CharField("姓名/单位名称", max_length=100)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    workplace = models.CharField("工作单位/所属组织", max_length=100, blank=True)
    in_service = models.BooleanField(
        "在职党员双报到", default=False, help_text="在职党员到居住地社区报到，参与社区服务。"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wish_claimers",
        verbose_name="登录账号",
        help_text="关联志愿者/党员账号后，本人可以用手机认领心愿。",
    )
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="wish_claimers", verbose_name="报到社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    is_active = models.BooleanField("有效", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.ClaimerQuerySet.as_manager()

    audit_fields = ["kind", "name", "workplace", "in_service", "user", "community", "is_active", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "心愿认领人"
        ordering = ["community_id", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(user__isnull=False),
                name="claimer_one_per_user_community",
                violation_error_message="这个账号已经是本社区的认领人。",
            )
        ]

    def __str__(self):
        return self.name

    def audit_extra(self) -> dict:
        return {"联系电话": mask_phone(self.phone) if self.phone else ""}


class Wish(StreetOfCommunity, models.Model):
    """One micro-wish: public wording for everyone, private delivery details for staff and the claimer."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="wishes", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    # Public part.
    title = models.CharField("心愿", max_length=80, help_text="公开显示，如“一个新书包”。不要写姓名、电话、门牌号。")
    description = models.TextField(
        "公开说明",
        blank=True,
        help_text="中性的描述，如“一位独居老人希望有人帮忙修理门锁”。不要写姓名、电话、门牌号。",
    )
    category = models.CharField("类别", max_length=12, choices=WishCategory.choices, default=WishCategory.GOODS)
    target_date = models.DateField("希望实现日期", null=True, blank=True)
    # Private part: staff and the claimer holding the live claim.
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name="居民档案",
    )
    beneficiary_name = models.CharField("心愿人", max_length=64)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    delivery_notes = models.TextField("送达说明", blank=True, help_text="只有认领人和社区工作人员能看到。")
    # State.
    status = models.CharField("状态", max_length=12, choices=WishStatus.choices, default=WishStatus.OPEN)
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    fulfilled_at = models.DateTimeField("实现时间", null=True, blank=True)
    fulfilment_note = models.TextField("实现情况", blank=True)
    thanks = models.TextField("心愿人的感谢", blank=True)
    thanks_at = models.DateTimeField("感谢时间", null=True, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = querysets.WishQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "微心愿"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "-created_at"], name="wish_community_status_idx"),
            models.Index(fields=["street", "status"], name="wish_street_status_idx"),
            models.Index(fields=["fulfilled_at"], name="wish_fulfilled_idx"),
        ]

    def __str__(self):
        return self.title

    def private_names(self) -> list[str]:
        """Names the public wording must never contain (the anonymiser's list)."""
        names = [self.beneficiary_name]
        if self.resident_id:
            names.append(self.resident.name)
        return [n for n in names if n]


class WishClaim(models.Model):
    """A claimer's promise to fulfil a wish. Live until released; at most one live claim per wish."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="claims", verbose_name="心愿")
    claimer = models.ForeignKey(Claimer, on_delete=models.PROTECT, related_name="claims", verbose_name="认领人")
    claimed_at = models.DateTimeField("认领时间")
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="操作人"
    )
    released_at = models.DateTimeField("取消时间", null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="取消人",
    )
    release_reason = models.CharField("取消原因", max_length=200, blank=True)
    fulfilled = models.BooleanField("已实现", default=False)
    reminded_at = models.DateTimeField(
        "超期提醒时间", null=True, blank=True, help_text="认领超过设定天数仍未实现时，每日巡查提醒一次。"
    )

    objects = querysets.WishClaimQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "心愿认领"
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wish"],
                condition=Q(released_at__isnull=True),
                name="wishclaim_one_live_per_wish",
                violation_error_message="这个心愿已经有人认领了。",
            )
        ]
        indexes = [models.Index(fields=["claimer", "claimed_at"], name="wishclaim_claimer_idx")]

    def __str__(self):
        return f"{self.claimer} 认领 {self.wish}"

    @property
    def is_live(self) -> bool:
        return self.released_at is None


class WishEvent(models.Model):
    """One step in a wish's life: who, when, what, with a note."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="events", verbose_name="心愿")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="操作人"
    )
    actor_label = models.CharField("操作人", max_length=64, blank=True)
    action = models.CharField("操作", max_length=12, choices=WishEventAction.choices)
    claimer = models.ForeignKey(
        Claimer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="认领人"
    )
    note = models.CharField("说明", max_length=500, blank=True)

    objects = querysets.WishEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "心愿记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.wish}"

    @property
    def actor_name(self) -> str:
        return str(self.actor) if self.actor_id else (self.actor_label or "系统")


class DonationStock(StreetOfCommunity, models.Model):
    """How many of one kind of donated goods a community's 爱心衣物 rack holds now; the row is also the lock
    that keeps takes from exceeding what came in."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="donation_stock", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField("物品类别", max_length=12, choices=DonationKind.choices)
    quantity = models.PositiveIntegerField("现有数量", default=0)
    total_in = models.PositiveIntegerField("累计捐入", default=0)
    total_out = models.PositiveIntegerField("累计领取", default=0)

    objects = querysets.DonationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "爱心物品库存"
        ordering = ["community_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["community", "kind"], name="donationstock_one_per_kind"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0) & Q(quantity=models.F("total_in") - models.F("total_out")),
                name="donationstock_balanced",
            ),
        ]

    def __str__(self):
        return f"{self.community} {self.get_kind_display()} {self.quantity}"


class DonationMove(models.Model):
    """One donation in or one take out of the rack, never edited (a mistake is corrected by a new move)."""

    stock = models.ForeignKey(DonationStock, on_delete=models.PROTECT, related_name="moves", verbose_name="库存")
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", editable=False)
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    direction = models.CharField("方向", max_length=4, choices=Direction.choices)
    quantity = models.PositiveIntegerField("数量")
    balance_after = models.PositiveIntegerField("结存")
    donor_name = models.CharField("捐赠人", max_length=100, blank=True, help_text="可不填；匿名捐赠留空。")
    moved_on = models.DateField("日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.DonationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "爱心物品进出"
        ordering = ["-moved_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="donationmove_positive")]
        indexes = [models.Index(fields=["community", "-moved_on"], name="donationmove_community_idx")]

    def __str__(self):
        return f"{self.get_direction_display()} {self.stock.get_kind_display()} {self.quantity}"
