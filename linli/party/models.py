"""The party organisation beside the area tree (seed 003: 街道大工委 — 社区大党委 — 社区党组织 — 网格党支部 —
党员中心户), its members, the units that work with it (大党委成员单位, 双报到 units), 党员中心户 and the households
they look after, 结对帮扶 pairings with their contact records, 三会一课 meetings with attendance and 民主评议.

Party membership is personal data: who reads which row is decided in linli.party.querysets (party-work roles over
their area, a branch's secretary over their branch). Every change goes through linli.party.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from linli.areas.models import StreetOfCommunity
from linli.core.jobs import BaseImportJob
from linli.core.pagecache import invalidate_on
from linli.core.phone import mask_phone
from linli.party import querysets
from linli.party.choices import (
    Attendance,
    ContactKind,
    LeftReason,
    MeetingKind,
    MemberKind,
    MemberSource,
    MemberStatus,
    OrgForm,
    OrgKind,
    Rating,
    Review,
    UnitKind,
)

USER = settings.AUTH_USER_MODEL


class PartyOrg(models.Model):
    """One party organisation. `street` is always set; `community` from the 社区大党委 down; `grid` for a 网格党支部
    and its 党小组. `secretary` is the account of its 书记 (a 党小组's 组长): it reads the organisation, its
    sub-organisations and their members, and records their meetings (querysets.secretary_q)."""

    kind = models.CharField("层级", max_length=24, choices=OrgKind.choices)
    form = models.CharField("组织形式", max_length=16, choices=OrgForm.choices, blank=True)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级组织"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", verbose_name="街道")
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="社区"
    )
    grid = models.ForeignKey(
        "areas.Grid", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="网格"
    )
    secretary = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_orgs",
        verbose_name="书记账号",
        help_text="书记（组长）的登录账号：可查看本组织及下级组织的党员，记录三会一课。",
    )
    secretary_name = models.CharField("书记（组长）", max_length=64, blank=True)
    phone = models.CharField("联系电话", max_length=24, blank=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("有效", default=True)

    objects = querysets.PartyOrgQuerySet.as_manager()

    audit_fields = ["kind", "form", "name", "parent", "grid", "secretary", "secretary_name", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "党组织"
        ordering = ["street_id", "community_id", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                name="partyorg_level_fields",
                condition=(
                    Q(kind="street_committee", community__isnull=True, grid__isnull=True, parent__isnull=True)
                    | Q(kind__in=["community_committee", "community_org"], community__isnull=False, grid__isnull=True)
                    | Q(kind__in=["grid_branch", "group"], community__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(kind="community_committee", is_active=True),
                name="partyorg_one_committee_per_community",
                violation_error_message="这个社区已经有社区大党委。",
            ),
            models.UniqueConstraint(
                fields=["street"],
                condition=Q(kind="street_committee", is_active=True),
                name="partyorg_one_committee_per_street",
                violation_error_message="这个街道已经有街道大工委。",
            ),
        ]
        indexes = [models.Index(fields=["community", "kind"], name="partyorg_community_kind_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:org_detail", args=[self.pk])


class PartnerUnit(StreetOfCommunity, models.Model):
    """A unit with its own party organisation working with the community: a member unit of the 社区大党委 (驻区单位,
    enterprises, the property company, the owners' committee, the police station) and/or a unit whose in-service
    members register here (双报到, `dual_registered`), which the community confirms (`review`)."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="party_units", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)
    party_org_name = models.CharField("单位党组织", max_length=100, blank=True, help_text="如“区税务局第二党支部”。")
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=24, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    in_committee = models.BooleanField("大党委成员单位", default=False)
    committee_post = models.CharField(
        "大党委职务", max_length=64, blank=True, help_text="单位负责人在社区大党委的兼职，如“兼职委员”。"
    )
    dual_registered = models.BooleanField("双报到单位", default=False)
    registered_on = models.DateField("报到日期", null=True, blank=True)
    review = models.CharField("确认状态", max_length=12, choices=Review.choices, default=Review.CONFIRMED)
    reviewed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField("确认时间", null=True, blank=True)
    service_pledge = models.TextField("共建承诺", blank=True, help_text="单位认领的服务项目、资源清单。")
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.PartnerUnitQuerySet.as_manager()

    audit_fields = [
        "name",
        "kind",
        "party_org_name",
        "contact_name",
        "in_committee",
        "committee_post",
        "dual_registered",
        "registered_on",
        "review",
        "is_active",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "共建单位"
        ordering = ["community_id", "-in_committee", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                condition=Q(is_active=True),
                name="partnerunit_one_name_per_community",
                violation_error_message="本社区已登记同名单位。",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:unit_detail", args=[self.pk])

    def audit_extra(self) -> dict:
        return {"联系电话": mask_phone(self.contact_phone) if self.contact_phone else ""}


class PartyMember(StreetOfCommunity, models.Model):
    """A party member on a community's roster: a resident of the registry (name and phone are the registry's), or
    someone who only serves here (an in-service member living elsewhere: `name`, `phone`). `branch` is the 网格党支部
    (or the community's own organisation) they belong to; `group` their 党小组. A member who registered themselves
    (扫码报到) waits for the community's confirmation (`review`)."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="party_members", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_records",
        verbose_name="居民档案",
    )
    name = models.CharField("姓名", max_length=64)
    phone = models.CharField("联系电话", max_length=24, blank=True, help_text="非本社区居民填写；居民以居民档案为准。")
    branch = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name="所在支部"
    )
    group = models.ForeignKey(
        PartyOrg, on_delete=models.SET_NULL, null=True, blank=True, related_name="group_members", verbose_name="党小组"
    )
    kind = models.CharField("党员类别", max_length=16, choices=MemberKind.choices, default=MemberKind.FULL)
    status = models.CharField("党员状态", max_length=16, choices=MemberStatus.choices, default=MemberStatus.REGISTERED)
    joined_on = models.DateField("入党日期", null=True, blank=True)
    work_unit = models.ForeignKey(
        PartnerUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="工作单位（双报到）",
    )
    work_unit_name = models.CharField("工作单位", max_length=100, blank=True, help_text="单位尚未登记时填写名称。")
    skills = models.CharField("特长", max_length=200, blank=True, help_text="如：法律咨询、医护、维修、书法")
    availability = models.CharField("可服务时间", max_length=200, blank=True, help_text="如：周末上午、工作日晚上")
    #: The records the member's service is counted from (linli.party.service): their volunteer record and their
    #: wish-claimer record in this community.
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="志愿者记录",
    )
    claimer = models.ForeignKey(
        "wishes.Claimer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="心愿认领人记录",
    )
    user = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="party_records", verbose_name="本人账号"
    )
    source = models.CharField("登记方式", max_length=8, choices=MemberSource.choices, default=MemberSource.STAFF)
    review = models.CharField("确认状态", max_length=12, choices=Review.choices, default=Review.CONFIRMED)
    reviewed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField("确认时间", null=True, blank=True)
    review_note = models.CharField("确认意见", max_length=200, blank=True)
    is_active = models.BooleanField("在册", default=True)
    left_on = models.DateField("离开日期", null=True, blank=True)
    left_reason = models.CharField("离开原因", max_length=16, choices=LeftReason.choices, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.PartyMemberQuerySet.as_manager()

    audit_fields = [
        "community",
        "resident",
        "name",
        "branch",
        "group",
        "kind",
        "status",
        "joined_on",
        "work_unit",
        "work_unit_name",
        "skills",
        "availability",
        "review",
        "is_active",
        "left_on",
        "left_reason",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "党员"
        ordering = ["community_id", "branch_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "resident"],
                condition=Q(resident__isnull=False, is_active=True),
                name="partymember_one_per_resident",
                violation_error_message="这位居民已在本社区党员名册中。",
            )
        ]
        indexes = [
            models.Index(fields=["community", "is_active", "status"], name="partymember_status_idx"),
            models.Index(fields=["branch", "is_active"], name="partymember_branch_idx"),
            models.Index(fields=["work_unit", "is_active"], name="partymember_unit_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:member_detail", args=[self.pk])

    @property
    def contact_phone(self) -> str:
        return self.resident.phone if self.resident_id else self.phone

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone) if self.contact_phone else ""

    def audit_extra(self) -> dict:
        return {"联系电话": self.masked_phone}


class PartyHousehold(StreetOfCommunity, models.Model):
    """党员中心户: a member's household that looks after 10–30 neighbouring households (CoveredHousehold), chosen on
    the building diagram and shown there."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="central_households", verbose_name="中心户党员"
    )
    household = models.ForeignKey(
        "areas.Household", on_delete=models.PROTECT, related_name="party_centres", verbose_name="中心户"
    )
    since = models.DateField("设立日期", null=True, blank=True)
    is_active = models.BooleanField("有效", default=True)
    covered = models.ManyToManyField(
        "areas.Household", through="CoveredHousehold", related_name="+", verbose_name="联系户"
    )

    objects = querysets.PartyHouseholdQuerySet.as_manager()

    audit_fields = ["member", "household", "since", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "党员中心户"
        ordering = ["community_id", "household__building__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_active=True),
                name="partyhousehold_one_per_household",
                violation_error_message="这一户已经是党员中心户。",
            )
        ]

    def __str__(self):
        return f"{self.household} 党员中心户"


class CoveredHousehold(models.Model):
    """A household a 党员中心户 looks after. A household is looked after by one 中心户 at a time."""

    centre = models.ForeignKey(PartyHousehold, on_delete=models.CASCADE, related_name="links", verbose_name="中心户")
    household = models.ForeignKey(
        "areas.Household", on_delete=models.CASCADE, related_name="party_cover", verbose_name="联系户"
    )

    class Meta:
        verbose_name = verbose_name_plural = "中心户联系户"
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                name="coveredhousehold_one_centre",
                violation_error_message="这一户已有联系的中心户。",
            )
        ]

    def __str__(self):
        return str(self.household)


class Pairing(StreetOfCommunity, models.Model):
    """结对帮扶: a member paired with a household in need (a care-group household), until ended."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="pairings", verbose_name="结对党员")
    household = models.ForeignKey(
        "areas.Household", on_delete=models.PROTECT, related_name="party_pairings", verbose_name="帮扶户"
    )
    need = models.CharField("帮扶需求", max_length=200, blank=True, help_text="如：独居老人，每周电话问候、代购药品。")
    started_on = models.DateField("结对日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=100, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.PairingQuerySet.as_manager()

    audit_fields = ["member", "household", "need", "started_on", "ended_on", "end_reason"]

    class Meta:
        verbose_name = verbose_name_plural = "结对帮扶"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "household"],
                condition=Q(ended_on__isnull=True),
                name="pairing_one_live_per_member_household",
                violation_error_message="这位党员已与这一户结对。",
            )
        ]

    def __str__(self):
        return f"{self.member} 结对 {self.household}"

    @property
    def is_live(self) -> bool:
        return self.ended_on is None


class PairingContact(models.Model):
    """One contact between a paired member and the household: a short diary-like note."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="contacts", verbose_name="结对")
    kind = models.CharField("方式", max_length=12, choices=ContactKind.choices, default=ContactKind.VISIT)
    contacted_on = models.DateField("日期")
    note = models.CharField("情况", max_length=300)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = querysets.PairingContactQuerySet.as_manager()

    audit_fields = ["kind", "contacted_on", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "帮扶记录"
        ordering = ["-contacted_on", "-id"]

    def __str__(self):
        return f"{self.contacted_on} {self.get_kind_display()}"


class PartyMeeting(models.Model):
    """A 三会一课 meeting or 主题党日 of one organisation (a branch, or a 党小组 for 党小组会)."""

    org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="meetings", verbose_name="党组织")
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField("类型", max_length=12, choices=MeetingKind.choices)
    held_on = models.DateField("日期")
    topic = models.CharField("主题", max_length=200)
    place = models.CharField("地点", max_length=100, blank=True)
    host = models.CharField("主持人", max_length=64, blank=True)
    minutes = models.TextField("会议记录", blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = querysets.PartyMeetingQuerySet.as_manager()

    audit_fields = ["org", "kind", "held_on", "topic", "place", "host"]

    class Meta:
        verbose_name = verbose_name_plural = "三会一课"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["community", "held_on"], name="partymeeting_community_idx")]

    def save(self, *args, **kwargs):
        self.community_id = self.org.community_id
        self.street_id = self.org.street_id
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}：{self.topic}"

    def get_absolute_url(self):
        return reverse("party:meeting_detail", args=[self.pk])


class MeetingAttendance(models.Model):
    """A member's attendance at a meeting: present, or absent with or without leave (and why)."""

    meeting = models.ForeignKey(PartyMeeting, on_delete=models.CASCADE, related_name="attendance", verbose_name="会议")
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="attendance", verbose_name="党员")
    status = models.CharField("出席情况", max_length=8, choices=Attendance.choices, default=Attendance.PRESENT)
    reason = models.CharField("缺席原因", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "参会情况"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="meetingattendance_once")]
        indexes = [models.Index(fields=["member", "status"], name="meetingattendance_member_idx")]

    def __str__(self):
        return f"{self.member} {self.get_status_display()}"


class Appraisal(models.Model):
    """民主评议党员 of one branch for one year."""

    org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="appraisals", verbose_name="党支部")
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    year = models.PositiveSmallIntegerField("年度")
    held_on = models.DateField("评议日期", null=True, blank=True)
    finalised = models.BooleanField("已定稿", default=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人")

    objects = querysets.AppraisalQuerySet.as_manager()

    audit_fields = ["org", "year", "held_on", "finalised"]

    class Meta:
        verbose_name = verbose_name_plural = "民主评议党员"
        ordering = ["-year", "org_id"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="appraisal_one_per_org_year")]

    def save(self, *args, **kwargs):
        self.community_id = self.org.community_id
        self.street_id = self.org.street_id
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.org} {self.year}年民主评议党员"


class AppraisalEntry(models.Model):
    """One member's self-assessment and the branch's rating in an appraisal."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="entries", verbose_name="评议")
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="appraisals", verbose_name="党员")
    self_assessment = models.TextField("个人自评", blank=True)
    rating = models.CharField("评议等次", max_length=12, choices=Rating.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评议结果"
        constraints = [models.UniqueConstraint(fields=["appraisal", "member"], name="appraisalentry_once")]

    def __str__(self):
        return f"{self.member} {self.get_rating_display()}"


class MemberImportJob(BaseImportJob):
    """An existing member roster from Excel (the shared staged import, linli.core.jobs)."""

    community = models.ForeignKey("areas.Community", on_delete=models.CASCADE, related_name="+", verbose_name="社区")

    upload_dir = "imports"

    objects = querysets.MemberImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "党员名册导入"


# Whether a user is a secretary is cached per user (querysets.is_secretary): any save or delete of an organisation.
invalidate_on(querysets.SECRETARIES_GROUP, PartyOrg)
