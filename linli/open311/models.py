"""Open311 GeoReport v2 (docs/open311.md): keys for outside systems, and what each one submitted.

ApiKey: a key another system (the city's 12345 platform, a dashboard, a reporting app) presents as
`api_key` when it creates service requests. Only a hash is stored; the key is shown once. A key is
bound to one community (jurisdiction_id may be omitted), to a street (jurisdiction_id names one of its
communities), or, when made on the command line, to nothing (any community, jurisdiction_id required).

Open311Request: the Open311 side of an appeal created through the API (which key, the raw location,
email, media_url and attributes), kept beside the appeal so the appeal model stays the appeals app's.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.open311.querysets import ApiKeyQuerySet

KEY_PREFIX = "o311_"


class ApiKey(models.Model):
    """An Open311 api_key: who may create requests, for which communities, on which channel."""

    name = models.CharField("名称", max_length=64, help_text="对方系统的名称，如“12345热线平台”")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("开头", max_length=12, editable=False)
    street = models.ForeignKey(
        "areas.Street", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="街道"
    )
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="社区"
    )
    hotline = models.BooleanField(
        "12345热线系统", default=False, help_text="勾选后，这个密钥提交的诉求来源记为“12345转办”，否则为“接口”。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked = models.BooleanField("已作废", default=False)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    audit_fields = ["name", "street", "community", "hotline", "revoked"]

    class Meta:
        verbose_name = verbose_name_plural = "Open311密钥"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(street__isnull=True) | Q(community__isnull=True),
                name="open311_apikey_one_scope",
                violation_error_message="密钥只能绑定一个街道或一个社区。",
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return KEY_PREFIX + secrets.token_urlsafe(32)

    @property
    def scope_label(self) -> str:
        if self.community_id:
            return str(self.community)
        if self.street_id:
            return f"{self.street}（全街道）"
        return "全部社区"


class Open311Request(models.Model):
    """What an Open311 client sent with a request that became `appeal` (the appeal holds the rest)."""

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="open311", verbose_name="诉求"
    )
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="requests", verbose_name="密钥")
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    address_string = models.CharField("地址", max_length=200, blank=True)
    email = models.CharField("邮箱", max_length=120, blank=True)
    device_id = models.CharField("设备号", max_length=64, blank=True)
    account_id = models.CharField("账号", max_length=64, blank=True)
    media_url = models.CharField("图片链接", max_length=500, blank=True)
    attributes = models.JSONField("属性", default=dict, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "Open311请求"

    def __str__(self):
        return f"{self.appeal_id} ← {self.api_key_id}"
