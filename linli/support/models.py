"""帮扶与共建 (linli.support): the directory of resident units and organisations (名录: 驻区单位, 社会组织, 业委会,
物业, 好商家) with what each contributes (共建项目), pairings of households in need with helpers other than party
members (volunteers, units, other people: the party app keeps member pairings, linli.party.Pairing), their contact
records, and the assistance households receive (帮扶记录).

Who reads which row is decided in linli.support.querysets; every change goes through linli.support.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from linli.areas.models import StreetOfCommunity
from linli.core.phone import mask_phone
from linli.support import querysets
from linli.support.choices import (
    AssistanceKind,
    AssistanceSource,
    ContactKind,
    ContributionKind,
    HelperKind,
    OrganisationKind,
)

USER = settings.AUTH_USER_MODEL


class Organisation(StreetOfCommunity, models.Model):
    """A unit or organisation of the community's directory. Where it already appears elsewhere in Linli it is
    linked (a volunteer team, a wish claimer, an appeals 承办机构, a party 共建单位), so its page shows what it did
    there. A 好商家 has an offer to residents and the year it was awarded the badge."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(
        "类型", max_length=16, choices=OrganisationKind.choices, default=OrganisationKind.RESIDENT_UNIT
    )
    name = models.CharField("名称", max_length=100)
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=24, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    description = models.TextField("简介", blank=True)
    offer = models.CharField(
        "惠民服务", max_length=200, blank=True, help_text="好商家对居民的优惠，如“老人理发九折”“爱心银行积分兑换”。"
    )
    merchant_year = models.PositiveSmallIntegerField("好商家评定年度", null=True, blank=True)
    team = models.ForeignKey(
        "volunteers.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="志愿服务队"
    )
    claimer = models.ForeignKey(
        "wishes.Claimer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="心愿认领人"
    )
    handling_org = models.ForeignKey(
        "appeals.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="诉求承办机构",
    )
    partner_unit = models.ForeignKey(
        "party.PartnerUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="共建单位"
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.OrganisationQuerySet.as_manager()

    audit_fields = [
        "kind",
        "name",
        "contact_name",
        "address",
        "offer",
        "merchant_year",
        "team",
        "claimer",
        "handling_org",
        "partner_unit",
        "is_active",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "驻区单位与组织"
        ordering = ["community_id", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="support_org_unique_name",
                violation_error_message="本社区名录里已有同名单位。",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("support:organisation_detail", args=[self.pk])

    def audit_extra(self) -> dict:
        return {"联系电话": self.phone_masked}

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    def phone_for(self, user) -> str:
        return self.contact_phone if user.has_role_perm("resident.reveal_phone") else self.phone_masked

    @property
    def is_merchant(self) -> bool:
        return self.kind == OrganisationKind.MERCHANT


class Contribution(models.Model):
    """共建项目: what an organisation contributes (goods, money, a service, a venue, jobs), from when to when."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contributions", verbose_name="单位"
    )
    title = models.CharField("项目", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=ContributionKind.choices, default=ContributionKind.SERVICE)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.ContributionQuerySet.as_manager()

    audit_fields = ["title", "kind", "started_on", "ended_on", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "共建项目"
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return self.title


class HelpPairing(StreetOfCommunity, models.Model):
    """结对帮扶 with a helper who is not a party member: a volunteer of the community, a unit of the directory or
    another person (name and phone). Member pairings are linli.party.Pairing; the household page and the figures
    per grid show both."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    household = models.ForeignKey(
        "areas.Household", on_delete=models.PROTECT, related_name="help_pairings", verbose_name="帮扶户"
    )
    helper_kind = models.CharField("帮扶人类型", max_length=16, choices=HelperKind.choices)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_pairings",
        verbose_name="志愿者",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="pairings", verbose_name="单位"
    )
    helper_name = models.CharField("帮扶人姓名", max_length=64, blank=True)
    helper_phone = models.CharField("帮扶人电话", max_length=24, blank=True)
    need = models.CharField("帮扶需求", max_length=200, blank=True, help_text="如：独居老人，每周电话问候、代购药品。")
    started_on = models.DateField("结对日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=100, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.HelpPairingQuerySet.as_manager()

    audit_fields = [
        "household",
        "helper_kind",
        "volunteer",
        "organisation",
        "helper_name",
        "need",
        "started_on",
        "ended_on",
        "end_reason",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "结对帮扶（志愿者/单位）"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(helper_kind=HelperKind.VOLUNTEER, volunteer__isnull=False, organisation__isnull=True)
                    | Q(helper_kind=HelperKind.ORGANISATION, organisation__isnull=False, volunteer__isnull=True)
                    | Q(helper_kind=HelperKind.PERSON, volunteer__isnull=True, organisation__isnull=True)
                ),
                name="help_pairing_helper_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["household", "ended_on"], name="help_pairing_household_idx")]

    def __str__(self):
        return f"{self.helper} 结对 {self.household}"

    def get_absolute_url(self):
        return reverse("support:pairing_detail", args=[self.pk])

    def audit_extra(self) -> dict:
        return {"帮扶人电话": mask_phone(self.helper_phone)}

    @property
    def helper(self) -> str:
        if self.helper_kind == HelperKind.VOLUNTEER and self.volunteer_id:
            return self.volunteer.name
        if self.helper_kind == HelperKind.ORGANISATION and self.organisation_id:
            return self.organisation.name
        return self.helper_name

    @property
    def is_live(self) -> bool:
        return self.ended_on is None


class HelpContact(models.Model):
    """One contact between the helper and the household: a short diary-like note."""

    pairing = models.ForeignKey(HelpPairing, on_delete=models.CASCADE, related_name="contacts", verbose_name="结对")
    kind = models.CharField("方式", max_length=12, choices=ContactKind.choices, default=ContactKind.VISIT)
    contacted_on = models.DateField("日期")
    note = models.CharField("情况", max_length=300)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    audit_fields = ["kind", "contacted_on", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "结对联系记录"
        ordering = ["-contacted_on", "-id"]

    def __str__(self):
        return f"{self.contacted_on} {self.get_kind_display()}"


class Assistance(StreetOfCommunity, models.Model):
    """帮扶记录: goods, money or a service a household received, when, from which source (a donation, the love
    bank, a unit, a government programme, its pairing helper), handed over by whom."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    household = models.ForeignKey(
        "areas.Household", on_delete=models.PROTECT, related_name="assistance", verbose_name="受助户"
    )
    given_on = models.DateField("日期")
    kind = models.CharField("类型", max_length=12, choices=AssistanceKind.choices)
    description = models.CharField("内容", max_length=200, help_text="如：米面油一套、慰问金、上门理发。")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    quantity = models.PositiveIntegerField("数量", null=True, blank=True)
    source = models.CharField("来源", max_length=12, choices=AssistanceSource.choices)
    donation = models.ForeignKey(
        "wishes.DonationMove",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="捐赠物资出库",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="assistance", verbose_name="单位"
    )
    programme = models.CharField("项目名称", max_length=64, blank=True, help_text="如：临时救助、慈善助学、节日慰问。")
    pairing = models.ForeignKey(
        HelpPairing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistance",
        verbose_name="结对",
    )
    given_by = models.CharField("发放人", max_length=64, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.AssistanceQuerySet.as_manager()

    audit_fields = [
        "household",
        "given_on",
        "kind",
        "description",
        "amount",
        "quantity",
        "source",
        "organisation",
        "programme",
        "pairing",
        "given_by",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "帮扶记录"
        ordering = ["-given_on", "-id"]
        indexes = [
            models.Index(fields=["community", "given_on"], name="assistance_community_day_idx"),
            models.Index(fields=["household", "given_on"], name="assistance_household_day_idx"),
        ]

    def __str__(self):
        return f"{self.given_on} {self.household} {self.description}"

    @property
    def source_text(self) -> str:
        label = self.get_source_display()
        if self.source == AssistanceSource.UNIT and self.organisation_id:
            return f"{label}：{self.organisation.name}"
        if self.source == AssistanceSource.PROGRAMME and self.programme:
            return f"{label}：{self.programme}"
        return label
