"""大屏: the display screens of a community's or street's service centre, and the entries of the 好人好事墙 that staff
took off the wall.

A screen is opened by a display device that has no staff session: its long random link (`key`) is shown once when
the screen is made or its link renewed; only the key's hash is kept (as linli.accounts API tokens). The page of a
key shows only its own node's aggregate figures (linli.bigscreen.figures) and the wall (linli.bigscreen.wall).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from linli.bigscreen import querysets
from linli.bigscreen.choices import DEFAULT_PANELS, Panel, WallKind

USER = settings.AUTH_USER_MODEL
ROTATE_MIN, ROTATE_MAX = 5, 600


class Screen(models.Model):
    """One display screen of a community (or of the whole street when `community` is empty)."""

    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", verbose_name="街道")
    community = models.ForeignKey(
        "areas.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="社区",
        help_text="留空表示整个街道的大屏。",
    )
    name = models.CharField("名称", max_length=64, help_text="如“党群服务中心一楼大厅”")
    panels = models.JSONField("轮播内容", default=list)
    rotate_seconds = models.PositiveSmallIntegerField(
        "每屏停留（秒）", default=20, help_text=f"{ROTATE_MIN}–{ROTATE_MAX}秒"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField("链接开头", max_length=12, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="设置人"
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)
    key_issued_at = models.DateTimeField("链接生成时间", null=True, blank=True)
    stopped_at = models.DateTimeField("停用时间", null=True, blank=True)
    stopped_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="停用人"
    )
    last_seen_at = models.DateTimeField("最近一次取数", null=True, blank=True)

    objects = querysets.ScreenQuerySet.as_manager()

    audit_fields = ["name", "street", "community", "rotate_seconds", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "社区大屏"
        ordering = ["street_id", "community_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                name="bigscreen_rotate_range",
                condition=Q(rotate_seconds__gte=ROTATE_MIN, rotate_seconds__lte=ROTATE_MAX),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bigscreen:screen_detail", args=[self.pk])

    def audit_extra(self) -> dict:
        return {"轮播内容": "、".join(self.panel_labels), "显示链接": f"{self.key_prefix}…" if self.key_prefix else ""}

    @property
    def level(self) -> str:
        return "community" if self.community_id else "street"

    @property
    def node(self):
        return self.community if self.community_id else self.street

    @property
    def panel_list(self) -> list[str]:
        """The panels in order, unknown codes (a panel since removed) left out; all of them when none is set."""
        chosen = [p for p in (self.panels or []) if p in Panel.values]
        return chosen or list(DEFAULT_PANELS)

    @property
    def panel_labels(self) -> list[str]:
        return [Panel(p).label for p in self.panel_list]

    @property
    def state(self) -> str:
        return "使用中" if self.is_active else "已停用"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class WallHidden(models.Model):
    """An entry of the 好人好事墙 that staff took off the screens (moderation); deleting the row puts it back."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    kind = models.CharField("来源", max_length=10, choices=WallKind.choices)
    object_id = models.BigIntegerField("记录编号")
    summary = models.CharField("内容", max_length=200, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    hidden_at = models.DateTimeField("隐藏时间", auto_now_add=True)

    objects = querysets.WallHiddenQuerySet.as_manager()

    audit_fields = ["community", "kind", "object_id", "summary", "reason"]

    class Meta:
        verbose_name = verbose_name_plural = "好人好事墙隐藏记录"
        ordering = ["-hidden_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="bigscreen_hidden_once")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.summary[:30]}"


class WallConsent(models.Model):
    """One person's consent to have their name on the 好人好事墙 — one setting per person, whatever record of theirs
    (volunteer, love-bank account) an entry comes from. A registered resident is keyed by `resident`; a person
    outside the registry by their only record (`volunteer` of an outside volunteer, or `account` of an outside
    account holder). No row: no consent. Set only through linli.bigscreen.services.set_wall_consent (change
    records); volunteers 0003 and lovebank 0003 kept it twice until bigscreen 0002 (see docs/bigscreen.md)."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="居民"
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="志愿者"
    )
    account = models.ForeignKey(
        "lovebank.Account", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="积分账户"
    )
    consent = models.BooleanField("同意在好人好事墙展示姓名", default=False)
    updated_at = models.DateTimeField("记录时间", auto_now=True)

    audit_fields = ["community", "resident", "volunteer", "account", "consent"]

    class Meta:
        verbose_name = verbose_name_plural = "好人好事墙展示姓名同意"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(resident__isnull=False, volunteer__isnull=True, account__isnull=True)
                    | Q(resident__isnull=True, volunteer__isnull=False, account__isnull=True)
                    | Q(resident__isnull=True, volunteer__isnull=True, account__isnull=False)
                ),
                name="bigscreen_consent_one_person",
            ),
            models.UniqueConstraint(
                fields=["resident"], condition=Q(resident__isnull=False), name="bigscreen_consent_resident"
            ),
            models.UniqueConstraint(
                fields=["volunteer"], condition=Q(volunteer__isnull=False), name="bigscreen_consent_volunteer"
            ),
            models.UniqueConstraint(
                fields=["account"], condition=Q(account__isnull=False), name="bigscreen_consent_account"
            ),
        ]

    def __str__(self):
        return f"{'同意' if self.consent else '不同意'}展示姓名"
