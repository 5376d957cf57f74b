"""Residents and care-group tags.

The ID number is never stored in clear: `id_cipher` holds it encrypted (AES-GCM),
`id_hash` a keyed hash for exact lookup and de-duplication, `id_masked`/`id_last4`
what pages may show and search by. Birth date and sex are derived from it.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from linli.areas.querysets import SORT_KEY_LENGTH
from linli.core import crypto
from linli.core.pagecache import invalidate_on
from linli.core.phone import mask_phone
from linli.residents import querysets
from linli.residents.choices import (
    ContactRelation,
    FamilyConsent,
    FamilyLinkStatus,
    Relation,
    ResidenceType,
    ResidentStatus,
    RevealField,
    Sex,
)
from linli.residents.idcard import age_on


class Tag(models.Model):
    """A care group (重点人群) or other label; carries the visit policy for the visits module.

    A tag without a community is global: the whole installation shares it (独居老人, 精神障碍患者…), so
    only a role above every street may change it: a superuser (no street or community role can). A tag
    with a community belongs to that community: its secretary (and the street above) keeps it.
    """

    code = models.SlugField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=32)
    community = models.ForeignKey(
        "areas.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属社区",
        help_text="留空表示全市通用标签（只有系统管理员可以修改）。",
    )
    visit_interval_days = models.PositiveSmallIntegerField(
        "走访周期（天）", null=True, blank=True, help_text="留空表示不需要定期走访。"
    )
    sensitive = models.BooleanField("敏感标签", default=False, help_text="敏感标签只对有权限的角色显示。")
    color = models.CharField("颜色", max_length=16, default="slate", help_text="楼栋图上的颜色")
    order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    objects = querysets.TagQuerySet.as_manager()

    audit_fields = ["code", "name", "community", "visit_interval_days", "sensitive", "color", "order", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "人员标签"
        ordering = ["order", "id"]
        constraints = [
            # One name per community, and one among the global tags; a community tag may not
            # take a global tag's name either (checked by residents.services.save_tag).
            models.UniqueConstraint(fields=["community", "name"], name="tag_unique_name_in_community"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(community__isnull=True), name="tag_unique_global_name"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_global(self) -> bool:
        return self.community_id is None


class Resident(models.Model):
    """A person living (or registered) in a household."""

    name = models.CharField("姓名", max_length=64)
    name_pinyin = models.CharField("姓名全拼", max_length=128, editable=False, default="")
    name_initials = models.CharField("姓名首字母", max_length=32, editable=False, default="")

    id_cipher = models.BinaryField(null=True, editable=False)
    id_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    id_masked = models.CharField("身份证号码", max_length=18, blank=True, default="", editable=False)
    id_last4 = models.CharField(max_length=4, blank=True, default="", editable=False)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)

    phone = models.CharField("联系电话", max_length=24, blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True, default="", editable=False)

    household = models.ForeignKey(
        "areas.Household", on_delete=models.PROTECT, related_name="residents", verbose_name="户"
    )
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices, default=Relation.HEAD)
    residence_type = models.CharField(
        "居住类型", max_length=12, choices=ResidenceType.choices, default=ResidenceType.PERMANENT
    )
    status = models.CharField("状态", max_length=12, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE)
    left_on = models.DateField("迁出/死亡日期", null=True, blank=True)
    hukou_place = models.CharField("户籍地", max_length=128, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="residents", verbose_name="人员标签")

    # Denormalised from the household so that scope and list filters are single indexed
    # lookups; kept in step by the services (moving a building updates them in one statement).
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", editable=False)
    grid = models.ForeignKey("areas.Grid", on_delete=models.PROTECT, related_name="+", null=True, editable=False)
    building = models.ForeignKey("areas.Building", on_delete=models.PROTECT, related_name="+", editable=False)
    # The home's walking order (building number, entrance, floor, room as a number: areas.querysets.home_sort_key),
    # kept by residents.services.place and by the area services that renumber a building or move a room to
    # another floor. The lists sort by (sort_key, id) through the (scope, sort_key, id) indexes: a street's first
    # page reads 30 index entries instead of sorting the street through three joins.
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, default="", editable=False)

    # Visit policy, kept by linli.visits.services.recompute_due_dates in SQL (never by hand):
    # the shortest interval among the resident's active tags, the day that policy began to
    # apply (a virtual first "last visit"), and the resulting next due date.
    visit_interval_days = models.PositiveSmallIntegerField("走访周期（天）", null=True, blank=True, editable=False)
    visit_policy_since = models.DateField("走访起算日", null=True, blank=True, editable=False)
    visit_due_on = models.DateField("下次走访日期", null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = querysets.ResidentQuerySet.as_manager()

    # ID number and phone enter the change log masked only (see audit_extra).
    audit_fields = [
        "name",
        "sex",
        "birth_date",
        "household",
        "relation",
        "residence_type",
        "status",
        "hukou_place",
        "note",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "居民"
        ordering = ["building_id", "household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "id_hash"], condition=~Q(id_hash=""), name="resident_unique_id_in_community"
            ),
        ]
        indexes = [
            models.Index(fields=["grid", "status"], name="resident_grid_idx"),
            models.Index(fields=["community", "status"], name="resident_community_idx"),
            models.Index(fields=["street", "status"], name="resident_street_idx"),
            models.Index(fields=["id_hash"], name="resident_id_hash_idx"),
            # Search within a street (the widest usual scope, ~100,000 people) is a range scan on
            # these; narrower scopes are small enough to filter. opclasses apply on PostgreSQL only.
            models.Index(
                fields=["street", "name"],
                name="resident_street_name_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["street", "name_pinyin"],
                name="resident_street_pinyin_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["street", "name_initials"],
                name="resident_street_initials_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["phone_last4"], name="resident_phone4_idx"),
            models.Index(fields=["id_last4"], name="resident_id4_idx"),
            models.Index(fields=["birth_date"], name="resident_birth_idx"),
            # Today's worklist of a grid / a community / a street is a range scan on these.
            models.Index(fields=["grid", "visit_due_on"], name="resident_grid_due_idx"),
            models.Index(fields=["community", "visit_due_on"], name="resident_community_due_idx"),
            # (the street's: a street admin's due count used to scan a community index city-wide, issue 20)
            models.Index(fields=["street", "visit_due_on"], name="resident_street_due_idx"),
            # The unfiltered list of each scope, in walking order (LIST_ORDERING).
            models.Index(fields=["street", "sort_key", "id"], name="resident_street_order_idx"),
            models.Index(fields=["community", "sort_key", "id"], name="resident_community_order_idx"),
            models.Index(fields=["grid", "sort_key", "id"], name="resident_grid_order_idx"),
            # Active residents per building (the area tree, a community's page): counted off this index alone.
            models.Index(fields=["building"], condition=Q(status="active"), name="resident_active_building_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("residents:resident_detail", args=[self.pk])

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        return age_on(self.birth_date, timezone.localdate())

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def reveal_id_number(self) -> str:
        """Decrypt the ID number. Callers must record the reveal (services.reveal_id_number)."""
        return crypto.decrypt_text(bytes(self.id_cipher)) if self.id_cipher else ""

    def audit_extra(self) -> dict:
        extra = {"身份证号码": self.id_masked, "联系电话": self.phone_masked}
        if self.left_on:  # only once marked (迁出/死亡), so that snapshots of everyone else stay as they were
            extra["迁出/死亡日期"] = self.left_on
        if self.pk:
            extra["人员标签"] = [t.name for t in self.tags.all()]
        return extra


class EmergencyContact(models.Model):
    """Someone to call about a resident (a child, a spouse, a neighbour): the 3×-不在家 and urgent visit alerts
    ask the secretary to call them. The phone is shown like the resident's own: in full only to roles with
    resident.reveal_phone (and to the resident), masked for everyone else, masked in the change log."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="emergency_contacts", verbose_name="居民"
    )
    name = models.CharField("姓名", max_length=64)
    relation = models.CharField("关系", max_length=12, choices=ContactRelation.choices)
    phone = models.CharField("联系电话", max_length=24)
    phone_last4 = models.CharField(max_length=4, blank=True, default="", editable=False)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = querysets.EmergencyContactQuerySet.as_manager()

    audit_fields = ["resident", "name", "relation", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "紧急联系人"
        ordering = ["resident_id", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_relation_display()}）"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def audit_extra(self) -> dict:
        return {"联系电话": self.phone_masked}


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: enough to recognise a row in an audit log, not to identify a person."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if name else "？"


def resident_label(resident) -> str:
    """The masked label an audit row keeps of its resident: 张*（居民#123）."""
    return f"{mask_name(resident.name)}（居民#{resident.pk}）"


class RevealRecord(models.Model):
    """Each time a full ID number (or phone) is shown: who saw whose, when.

    An audit row outlives what it describes: deleting the resident leaves the row with
    `resident` empty and the masked label and id written when the row was made.
    Nothing in Linli deletes these rows (no page, API or admin action).
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="查看人")
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="reveals", verbose_name="居民"
    )
    resident_pk = models.BigIntegerField("居民编号", null=True, blank=True, db_index=True)
    resident_label = models.CharField("居民", max_length=80, blank=True)
    # Which area the resident was in, so that the log stays scoped once the resident is gone.
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="社区"
    )
    field = models.CharField("字段", max_length=12, choices=RevealField.choices)
    reason = models.CharField("用途", max_length=100, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = querysets.RevealRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "查看记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} 查看 {self.subject_label} 的{self.get_field_display()}"

    def save(self, *args, **kwargs):
        if self.resident_id and not self.resident_label:
            self.resident_pk = self.resident_id
            self.resident_label = resident_label(self.resident)
            self.community_id = self.resident.community_id
        super().save(*args, **kwargs)

    @property
    def subject_label(self) -> str:
        """The resident as the log shows them: the masked label, with （已删除） once the row is gone."""
        if self.resident_id is None:
            return f"{self.resident_label or '居民'}（已删除）"
        return self.resident_label


def birth_date_cutoff(age: int, on: datetime.date) -> datetime.date:
    """Latest birth date of someone aged `age` or more on `on` (for age filters in SQL)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February
        return on.replace(year=on.year - age, day=28)


# The tag drop-downs of the resident list are cached per scope (linli.core.pagecache).
invalidate_on("tags", Tag)


class FamilyLink(models.Model):
    """家人帮忙: a family member with their own resident account (`helper`) helps an elderly parent (`elder`): once
    the elder agreed, the helper reads the elder's notices and appeals, read-only, from their own home. Who agreed,
    when and how is kept; either side (or staff) can end it. Changes only through linli.residents.services_family,
    each with a change record."""

    helper = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="helping", verbose_name="帮忙的家人")
    elder = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="helpers", verbose_name="老人")
    relation = models.CharField("关系", max_length=12, choices=ContactRelation.choices)
    status = models.CharField("状态", max_length=12, choices=FamilyLinkStatus.choices, default=FamilyLinkStatus.ASKED)
    asked_at = models.DateTimeField("申请时间", default=timezone.now)
    agreed_at = models.DateTimeField("同意时间", null=True, blank=True)
    agreed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="确认人"
    )
    consent = models.CharField("同意方式", max_length=12, choices=FamilyConsent.choices, blank=True)
    witness = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="见证人"
    )
    ended_at = models.DateTimeField("解除时间", null=True, blank=True)
    ended_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="解除人"
    )

    objects = querysets.FamilyLinkQuerySet.as_manager()

    audit_fields = ["relation", "status", "agreed_at", "agreed_by", "consent", "witness", "ended_at", "ended_by"]

    class Meta:
        verbose_name = verbose_name_plural = "家人帮忙"
        ordering = ["-asked_at", "-id"]
        constraints = [
            # One live link (asked or agreed) per pair; ended ones stay as the record.
            models.UniqueConstraint(
                fields=["helper", "elder"],
                condition=Q(status__in=["asked", "agreed"]),
                name="family_link_one_live_per_pair",
            ),
            models.CheckConstraint(condition=~Q(helper=models.F("elder")), name="family_link_not_self"),
        ]

    def __str__(self):
        return f"{resident_label(self.helper)}帮{resident_label(self.elder)}"

    def audit_extra(self) -> dict:
        return {"帮忙的家人": resident_label(self.helper), "老人": resident_label(self.elder)}
