"""Appeals (诉求): what residents ask for, who must act, and every step until the reply.

Directory: HandlingUnit (承办单位 codes of shared/guide/handling-units.md) and Category (问题类别,
each with a default unit and its deadlines). Per community, UnitBinding says which real
Organisation stands behind a unit; CategoryRoute moves a category to another unit there.

Appeal holds its current state; AppealEvent is the timeline (who, when, what, note), appended by
linli.appeals.services and never edited. Two invariants are database constraints:
an appeal in an owned state has an owning organisation, and a closed appeal has a reply.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.appeals import querysets
from linli.appeals.choices import (
    OWNED,
    Channel,
    EventAction,
    ExtensionStatus,
    Outcome,
    ProblemItemStatus,
    Rating,
    ReplyMethod,
    Status,
    Urgency,
)
from linli.core.choicelabels import ChoiceLabels
from linli.core.pagecache import invalidate_on
from linli.core.phone import mask_phone


class HandlingUnit(models.Model):
    """A kind of handler (承办单位): 社区居委会, 物业服务企业, 水务 ... Codes are fixed, names editable."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=40)
    handles = models.TextField("负责事项", blank=True)
    not_handles = models.TextField("不负责（找别的单位）", blank=True)
    sort = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    objects = querysets.DirectoryQuerySet.as_manager()

    audit_fields = ["code", "name", "handles", "not_handles", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "承办单位"
        ordering = ["sort", "id"]

    def __str__(self):
        return self.name


class Category(models.Model):
    """A kind of problem (问题类别) with its default unit and deadlines (editable per category)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="categories", verbose_name="默认承办单位"
    )
    default_urgency = models.CharField("默认紧急程度", max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    sign_workdays = models.PositiveSmallIntegerField("签收时限（工作日）", default=1)
    urgent_hours = models.PositiveSmallIntegerField("紧急件办结时限（小时）", default=2)
    expedited_hours = models.PositiveSmallIntegerField("急办件办结时限（小时）", default=24)
    normal_workdays = models.PositiveSmallIntegerField("一般件办结时限（工作日）", default=7)
    complex_workdays = models.PositiveSmallIntegerField("复杂件办结时限（工作日）", default=15)
    reply_workdays = models.PositiveSmallIntegerField("办结后回访时限（工作日）", default=2)
    sort = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    objects = querysets.DirectoryQuerySet.as_manager()

    audit_fields = [
        "code",
        "name",
        "unit",
        "default_urgency",
        "sign_workdays",
        "urgent_hours",
        "expedited_hours",
        "normal_workdays",
        "complex_workdays",
        "reply_workdays",
        "is_active",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "问题类别"
        ordering = ["sort", "id"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A real organisation behind a unit: 青和居物业服务中心, 青山区水务局 ... Its handlers sign and resolve."""

    name = models.CharField("机构名称", max_length=80)
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="organisations", verbose_name="单位类型"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", verbose_name="所属街道")
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    address = models.CharField("地址", max_length=120, blank=True)
    note = models.TextField("说明", blank=True)
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="handled_orgs", verbose_name="承办人账号"
    )
    is_active = models.BooleanField("启用", default=True)

    objects = querysets.OrganisationQuerySet.as_manager()

    audit_fields = ["name", "unit", "street", "contact_name", "phone", "address", "note", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "承办机构"
        ordering = ["unit__sort", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="organisation_street_name_unique")]

    def __str__(self):
        return self.name

    def audit_extra(self) -> dict:
        return {"承办人账号": [u.username for u in self.handlers.all()]} if self.pk else {}


class UnitBinding(models.Model):
    """In one community, which organisation handles a unit's appeals (the community's "who handles what")."""

    community = models.ForeignKey("areas.Community", on_delete=models.CASCADE, related_name="+", verbose_name="社区")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.CASCADE, related_name="bindings", verbose_name="承办单位")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bindings", verbose_name="承办机构"
    )
    note = models.CharField("说明", max_length=200, blank=True, help_text="例如：只负责青和居小区内")

    objects = querysets.UnitBindingQuerySet.as_manager()

    audit_fields = ["community", "unit", "organisation", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "承办机构设置"
        constraints = [models.UniqueConstraint(fields=["community", "unit"], name="unitbinding_community_unit_unique")]

    def __str__(self):
        return f"{self.community} {self.unit}：{self.organisation}"


class CategoryRoute(models.Model):
    """In one community, a category goes to another unit than the directory's default."""

    community = models.ForeignKey("areas.Community", on_delete=models.CASCADE, related_name="+", verbose_name="社区")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+", verbose_name="问题类别")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.CASCADE, related_name="+", verbose_name="承办单位")

    objects = querysets.UnitBindingQuerySet.as_manager()

    audit_fields = ["community", "category", "unit"]

    class Meta:
        verbose_name = verbose_name_plural = "类别分派设置"
        constraints = [
            models.UniqueConstraint(fields=["community", "category"], name="categoryroute_community_category_unique")
        ]

    def __str__(self):
        return f"{self.community} {self.category} → {self.unit}"


class Appeal(ChoiceLabels, models.Model):
    """One resident concern, from intake to reply. State changes only through linli.appeals.services."""

    number = models.CharField("编号", max_length=24, unique=True, null=True, editable=False)
    text = models.TextField("诉求内容")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="appeals", verbose_name="问题类别"
    )
    urgency = models.CharField("紧急程度", max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    channel = models.CharField("来源渠道", max_length=12, choices=Channel.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING_DISPATCH)

    # Reporter: a registered resident, a free name and phone, or nobody (anonymous).
    reporter = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name="反映人（居民）",
    )
    reporter_name = models.CharField("反映人", max_length=40, blank=True)
    reporter_phone = models.CharField("反映人电话", max_length=24, blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    #: Issue 14: text the reporter their tracking code and the answer (linli.tracking.notices). A resident who
    #: submits with a verified phone gets them unless they tick “不需要短信通知”; staff tick it when the reporter
    #: agreed on the phone or at the door.
    sms_notify = models.BooleanField("短信通知反映人", default=False)

    # Where: a building/room when known, else a free address; community is always known.
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    grid = models.ForeignKey("areas.Grid", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    building = models.ForeignKey(
        "areas.Building", on_delete=models.SET_NULL, null=True, blank=True, related_name="appeals", verbose_name="楼栋"
    )
    household = models.ForeignKey(
        "areas.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="户室"
    )
    address = models.CharField("地点", max_length=200, blank=True)
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name="来自走访",
    )

    # Who owns it now.
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="承办单位"
    )
    assigned_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="appeals", verbose_name="承办机构"
    )

    received_at = models.DateTimeField("受理时间")
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    replied_at = models.DateTimeField("回访时间", null=True, blank=True)

    # Deadlines of the current round (set at dispatch and resolution) and whether they were met.
    sign_due = models.DateTimeField("签收时限", null=True, blank=True)
    resolve_due = models.DateTimeField("办结时限", null=True, blank=True)
    reply_due = models.DateTimeField("回访时限", null=True, blank=True)
    #: A deadline the source imposes (12345's 办理时限): the resolve deadline of every round is kept no later.
    external_due = models.DateTimeField(
        "来源办理时限", null=True, blank=True, help_text="12345等来源规定的办理时限；办结时限不会晚于它。"
    )
    current_due = models.DateTimeField("当前环节时限", null=True, blank=True, editable=False)
    due_warning = models.CharField("时限提示", max_length=200, blank=True, editable=False)
    signed_late = models.BooleanField("签收超期", null=True, editable=False)
    resolved_late = models.BooleanField("办结超期", null=True, editable=False)
    replied_late = models.BooleanField("回访超期", null=True, editable=False)

    outcome = models.CharField("办理结果", max_length=12, choices=Outcome.choices, blank=True)
    resolution = models.TextField("办理情况", blank=True)
    explanation = models.TextField("向居民的说明", blank=True)
    #: Issue 14: the handler chooses whether the 办理情况 is shown to the reporter on their tracking page (public by
    #: default). Not the same audience as 公开答复 below, which the whole public reads.
    resolution_public = models.BooleanField("办理情况向反映人公开", default=True)
    reply_text = models.TextField("回复内容", blank=True)
    reply_method = models.CharField("回访方式", max_length=12, choices=ReplyMethod.choices, blank=True)
    rating = models.CharField("评价", max_length=12, choices=Rating.choices, blank=True)
    rating_note = models.CharField("评价说明", max_length=200, blank=True)
    #: The two texts written for the public (结果公开, Open311, 12345): staff see them labelled as public when
    #: they write them. Nothing else of an appeal is published (linli.appeals.public).
    public_summary = models.CharField("公开摘要", max_length=200, blank=True)
    public_reply = models.TextField(
        "公开答复",
        blank=True,
        help_text="将在公开页面和12345/Open311接口中公开，请勿填写姓名、电话、门牌号。",
    )

    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0, editable=False)
    supervised = models.BooleanField("督办", default=False, editable=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates", verbose_name="合并到"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = querysets.AppealQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "诉求"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "received_at"], name="appeal_community_status_idx"),
            models.Index(fields=["grid", "status"], name="appeal_grid_status_idx"),
            models.Index(fields=["street", "received_at"], name="appeal_street_received_idx"),
            models.Index(fields=["assigned_org", "status"], name="appeal_org_status_idx"),
            models.Index(fields=["building", "status"], name="appeal_building_status_idx"),
            models.Index(fields=["status", "current_due"], name="appeal_status_due_idx"),
            # 0004_appeal_perf_indexes (bench/appeals.py): a street's figures, a handler's queue in its order
            models.Index(fields=["street", "status", "received_at"], name="appeal_street_status_idx"),
            models.Index(
                fields=["assigned_org", "current_due", "id"],
                condition=Q(status__in=(Status.PENDING_SIGN, Status.IN_PROGRESS)),
                name="appeal_org_working_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=OWNED) | Q(assigned_org__isnull=False, unit__isnull=False),
                name="appeal_owned_has_owner",
                violation_error_message="派单后的诉求必须有承办机构。",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | Q(replied_at__isnull=False),
                name="appeal_closed_has_reply",
                violation_error_message="没有回访记录的诉求不能结案。",
            ),
            # Issue 6 §2 (0005): only a 已合并 appeal points to a main appeal, and never to itself.
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status=Status.MERGED),
                name="appeal_merged_into_only_merged",
                violation_error_message="只有已合并的诉求才有主诉求。",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")),
                name="appeal_not_merged_into_itself",
                violation_error_message="不能把诉求合并到它自己。",
            ),
        ]

    def __str__(self):
        return f"{self.number or '新诉求'} {self.summary}"

    @property
    def summary(self) -> str:
        text = " ".join((self.text or "").split())
        return text if len(text) <= 30 else text[:30] + "…"

    @property
    def reporter_label(self) -> str:
        if self.anonymous:
            return "匿名"
        if self.reporter_id:
            return self.reporter.name
        return self.reporter_name or "（未留姓名）"

    @property
    def reporter_phone_masked(self) -> str:
        return mask_phone(self.reporter_phone)

    @property
    def place_label(self) -> str:
        if self.household_id:
            return str(self.household)
        if self.building_id:
            return f"{self.building.name}{(' ' + self.address) if self.address else ''}"
        return self.address

    @property
    def is_open(self) -> bool:
        from linli.appeals.choices import OPEN

        return self.status in OPEN


class AppealEvent(ChoiceLabels, models.Model):
    """One step on an appeal's timeline. `internal` steps are for staff only (not shown to the reporter)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events", verbose_name="诉求")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人", max_length=80, blank=True)
    action = models.CharField("操作", max_length=16, choices=EventAction.choices)
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices, blank=True)
    org = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="承办机构"
    )
    note = models.TextField("说明", blank=True)
    internal = models.BooleanField("仅内部可见", default=False)
    #: Issue 14: a progress note (办理进展) reaches the reporter's tracking page only when its author chose
    #: 向居民公开; notes are internal by default. Other steps show the reporter a plain-words title only.
    public = models.BooleanField("向居民公开", default=False)

    objects = querysets.AppealEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "诉求办理记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appeal", "at"], name="appealevent_appeal_at_idx")]

    def __str__(self):
        return f"{self.appeal_id} {self.get_action_display()}"


class AppealAssist(models.Model):
    """A second organisation asked to help (协办); its handlers see the appeal and add progress notes."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="assists", verbose_name="诉求")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="协办机构")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="发起人"
    )
    note = models.TextField("协办事项", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "协办"
        constraints = [models.UniqueConstraint(fields=["appeal", "org"], name="appealassist_appeal_org_unique")]

    def __str__(self):
        return f"{self.appeal_id} 协办：{self.org}"


class ExtensionRequest(models.Model):
    """延期: the handler asks for more working days; the community secretary decides."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="extensions", verbose_name="诉求")
    workdays = models.PositiveSmallIntegerField("延长工作日")
    reason = models.TextField("理由")
    status = models.CharField("状态", max_length=12, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"], condition=Q(status="pending"), name="extension_one_pending_per_appeal"
            )
        ]

    def __str__(self):
        return f"{self.appeal_id} 延期{self.workdays}个工作日（{self.get_status_display()}）"


class ProblemList(models.Model):
    """问题清单: a named campaign ("我为群众办实事" 2025) with numbered items."""

    name = models.CharField("清单名称", max_length=80)
    year = models.PositiveSmallIntegerField("年度")
    description = models.TextField("说明", blank=True)
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = querysets.ProblemListQuerySet.as_manager()

    audit_fields = ["name", "year", "description", "community"]

    class Meta:
        verbose_name = verbose_name_plural = "问题清单"
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.name}（{self.year}）"


class ProblemItem(models.Model):
    """One numbered item of a problem list, tracked itself or through linked appeals."""

    problem_list = models.ForeignKey(ProblemList, on_delete=models.CASCADE, related_name="items", verbose_name="清单")
    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("事项", max_length=200)
    status = models.CharField("进展", max_length=12, choices=ProblemItemStatus.choices, default=ProblemItemStatus.OPEN)
    note = models.TextField("进展说明", blank=True)
    # Who answers for it and by when, as for an appeal (unit) and its 办结时限; an open item past its
    # deadline is overdue (is_overdue).
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任单位"
    )
    due_on = models.DateField("完成时限", null=True, blank=True)
    appeals = models.ManyToManyField(Appeal, blank=True, related_name="problem_items", verbose_name="关联诉求")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    audit_fields = ["number", "title", "status", "note", "unit", "due_on"]

    class Meta:
        verbose_name = verbose_name_plural = "清单事项"
        ordering = ["problem_list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["problem_list", "number"], name="problemitem_list_number_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def is_overdue(self, today=None) -> bool:
        """Not solved and past its deadline."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return bool(self.due_on) and self.status != ProblemItemStatus.SOLVED and self.due_on < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


# The queue's filter drop-downs and the dispatch form's units are cached per scope (linli.core.pagecache).
invalidate_on("appeals", Category, HandlingUnit, Organisation, UnitBinding)
# Each handler's organisations are cached per user (querysets.handler_org_ids): any change of a membership
# (Organisation.handlers, either side) or an organisation's deletion (its memberships go without a signal).
invalidate_on(querysets.HANDLERS_GROUP, Organisation)

from linli.appeals.routing.models import RoutingCorrection, RoutingModel  # noqa: E402, F401  (issue 6 routing)
