"""人民调解: mediators and mediation rooms, cases with their parties, sessions, agreement and follow-ups, and the
顺顺吧 reception log.

Case details are confidential (linli.mediation.querysets). State changes go through linli.mediation.services,
each with an actor and a change record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from linli.areas.models import StreetOfCommunity
from linli.core.pagecache import invalidate_on
from linli.core.phone import mask_phone
from linli.mediation import querysets
from linli.mediation.choices import (
    AgreementKind,
    CaseSource,
    CaseStatus,
    CaseType,
    FollowUpResult,
    MediatorKind,
    PartyRole,
    ReceptionHandling,
    Referral,
    Urgency,
)

# Migration 0001 names the mixin as this module's attribute.
_StreetOfCommunity = StreetOfCommunity


class Mediator(StreetOfCommunity, models.Model):
    """A person who mediates: a 人民调解员, a party member, a building captain or a volunteer. A linked account
    reads the details of the cases they mediate, whatever its role."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="mediators", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("姓名", max_length=40)
    kind = models.CharField("身份", max_length=20, choices=MediatorKind.choices, default=MediatorKind.PEOPLE)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediator_records",
        verbose_name="登录账号",
        help_text="关联账号后，调解员本人可以查看和记录自己承办的案件。",
    )
    is_active = models.BooleanField("在任", default=True)

    objects = querysets.MediatorQuerySet.as_manager()

    audit_fields = ["community", "name", "kind", "user", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "调解员"
        ordering = ["community_id", "name", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    def audit_extra(self) -> dict:
        return {"联系电话": mask_phone(self.phone) if self.phone else ""}

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class MediationRoom(StreetOfCommunity, models.Model):
    """A named mediation room (“唐太富调解室”, the 顺顺吧) and its members."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="mediation_rooms", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("名称", max_length=60, help_text="如“唐太富调解室”“顺顺吧”。")
    description = models.TextField("简介", blank=True)
    members = models.ManyToManyField(Mediator, blank=True, related_name="rooms", verbose_name="成员")
    is_active = models.BooleanField("启用", default=True)

    objects = querysets.MediatorQuerySet.as_manager()

    audit_fields = ["community", "name", "description", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "调解室"
        ordering = ["community_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="mediationroom_unique_name",
                violation_error_message="本社区已有同名调解室。",
            )
        ]

    def __str__(self):
        return self.name


class Case(StreetOfCommunity, models.Model):
    """One mediation case (调解案件), numbered per community and year: 青和居调〔2026〕12号."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="mediation_cases", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    year = models.PositiveSmallIntegerField("年度", editable=False)
    seq = models.PositiveIntegerField("序号", editable=False)
    number = models.CharField("案件编号", max_length=60, editable=False)
    case_type = models.CharField("纠纷类型", max_length=16, choices=CaseType.choices)
    source = models.CharField("来源", max_length=12, choices=CaseSource.choices, default=CaseSource.WALK_IN)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True, editable=False)
    urgency = models.CharField("紧急程度", max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    account = models.TextField("纠纷简要情况", help_text="简要写明纠纷经过和当事人的要求。")
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    mediators = models.ManyToManyField(Mediator, blank=True, related_name="cases", verbose_name="调解员")
    room = models.ForeignKey(
        MediationRoom, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases", verbose_name="调解室"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="转介人",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="受理人",
    )
    received_on = models.DateField("受理日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    referral = models.CharField("调解不成的去向", max_length=12, choices=Referral.choices, blank=True)
    outcome_note = models.TextField("结果说明", blank=True)
    referral_appeal_id = models.PositiveBigIntegerField("转办诉求编号", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = querysets.CaseQuerySet.as_manager()

    audit_fields = [
        "community",
        "case_type",
        "source",
        "urgency",
        "account",
        "status",
        "room",
        "received_on",
        "closed_on",
        "referral",
        "outcome_note",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "调解案件"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["community", "status"], name="mcase_community_status"),
            models.Index(fields=["street", "received_on"], name="mcase_street_received"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "seq"], name="mcase_one_number"),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=Q(source_id__isnull=False),
                name="mcase_one_per_source",
                violation_error_message="这条记录已经转成调解案件了。",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("mediation:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (CaseStatus.RECEIVED, CaseStatus.MEDIATING, CaseStatus.REOPENED)

    def audit_extra(self) -> dict:
        return {"调解员": [m.name for m in self.mediators.all()]} if self.pk else {}


class Party(models.Model):
    """A party to a case: a resident from the registry, or an outside person by name and phone."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties", verbose_name="案件")
    role = models.CharField("身份", max_length=12, choices=PartyRole.choices, default=PartyRole.APPLICANT)
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediation_parties",
        verbose_name="居民档案",
    )
    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    address = models.CharField("住址", max_length=120, blank=True)

    objects = querysets.CasePartQuerySet.as_manager()

    audit_fields = ["case", "role", "resident", "name", "address"]

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        ordering = ["case_id", "role", "id"]

    def __str__(self):
        return f"{self.get_role_display()}：{self.name}"

    def audit_extra(self) -> dict:
        return {"联系电话": self.masked_phone}

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class Session(models.Model):
    """One mediation session (调解会): when, where, who took part and what was said."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions", verbose_name="案件")
    held_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=80, blank=True)
    participants = models.CharField("参加人员", max_length=300, blank=True)
    notes = models.TextField("调解记录", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.CasePartQuerySet.as_manager()

    audit_fields = ["case", "held_at", "place", "participants", "notes"]

    class Meta:
        verbose_name = verbose_name_plural = "调解会"
        ordering = ["case_id", "held_at", "id"]

    def __str__(self):
        return f"{self.case} {self.held_at:%Y-%m-%d %H:%M}"


def _scan_path(instance, filename):
    return f"mediation/agreements/{instance.case_id}/{filename}"


class Agreement(models.Model):
    """The outcome of a settled case: a written 人民调解协议书 (printable A4, the signed scan attached) or an
    oral agreement recorded."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="agreement", verbose_name="案件")
    kind = models.CharField("协议形式", max_length=8, choices=AgreementKind.choices, default=AgreementKind.WRITTEN)
    facts = models.TextField("纠纷主要事实、争议事项")
    terms = models.TextField("经调解，自愿达成协议如下")
    performance = models.CharField("履行方式", max_length=200, blank=True)
    deadline = models.DateField("履行期限", null=True, blank=True)
    signed_on = models.DateField("签订日期", null=True, blank=True)
    scan = models.FileField("签字扫描件", upload_to=_scan_path, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.CasePartQuerySet.as_manager()

    audit_fields = ["case", "kind", "facts", "terms", "performance", "deadline", "signed_on"]

    class Meta:
        verbose_name = verbose_name_plural = "调解协议"

    def __str__(self):
        return f"{self.case} 协议"

    def audit_extra(self) -> dict:
        return {"签字扫描件": "已上传" if self.scan else "未上传"}


class FollowUp(models.Model):
    """A follow-up (回访) of an agreement: due on a date, then performed / partly / not performed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="协议")
    due_on = models.DateField("回访日期")
    done_on = models.DateField("实际回访日期", null=True, blank=True)
    result = models.CharField("履行情况", max_length=16, choices=FollowUpResult.choices, blank=True)
    note = models.TextField("回访情况", blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="回访人",
    )

    objects = querysets.FollowUpQuerySet.as_manager()

    audit_fields = ["agreement", "due_on", "done_on", "result", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "协议回访"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"], name="mfollowup_due")]

    def __str__(self):
        return f"{self.agreement.case} 回访 {self.due_on}"


class Reception(StreetOfCommunity, models.Model):
    """One visitor heard at the 顺顺吧 (even when no case is opened: 倾听疏导)."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="mediation_receptions", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    room = models.ForeignKey(
        MediationRoom,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="receptions",
        verbose_name="接待点",
    )
    received_on = models.DateField("日期")
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediation_receptions",
        verbose_name="居民档案",
    )
    visitor_name = models.CharField("来访人", max_length=40)
    topic = models.CharField("反映事项", max_length=200)
    handling = models.CharField(
        "处理方式", max_length=12, choices=ReceptionHandling.choices, default=ReceptionHandling.LISTENED
    )
    minutes = models.PositiveSmallIntegerField("时长（分钟）", null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="接待人"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="receptions", verbose_name="调解案件"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.ReceptionQuerySet.as_manager()

    audit_fields = ["community", "received_on", "resident", "visitor_name", "topic", "handling", "minutes", "case"]

    class Meta:
        verbose_name = verbose_name_plural = "顺顺吧接待记录"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["community", "received_on"], name="mreception_community_day")]

    def __str__(self):
        return f"{self.received_on} {self.visitor_name}"


invalidate_on(querysets.MEDIATORS_GROUP, Mediator)
