"""四点半学校 (after-school care): a community's school, its terms and sessions, the children enrolled (with a
waiting list), their guardians, the daily sign-in and sign-out, and the overrides when someone not authorised
collects a child.

Children's data is the most sensitive in Linli (PIPL art. 28 and 31: minors under 14). Who reads it is decided in
linli.afterschool.querysets: the school's own staff (named here, any role) and users with afterschool.view over the
community (the secretary). Every change goes through linli.afterschool.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.afterschool import querysets
from linli.afterschool.choices import CHILD_AGE_LIMIT, LIVE_ENROLMENT, EnrolmentStatus, Priority
from linli.areas.models import StreetOfCommunity
from linli.core.phone import mask_phone

USER = settings.AUTH_USER_MODEL


def school_days() -> list[int]:
    return [0, 1, 2, 3, 4]


class School(StreetOfCommunity, models.Model):
    """A community's 四点半学校: where children wait after school until a guardian collects them."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("名称", max_length=64)
    room = models.ForeignKey(
        "places.Room", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="功能室"
    )
    room_name = models.CharField(
        "教室", max_length=64, blank=True, help_text="不在功能室登记里时填写，如：党群服务中心三楼。"
    )
    opens_at = models.TimeField("开门时间", default="16:30")
    closes_at = models.TimeField("放学接走时间", default="18:30", help_text="过了这个时间还没接走的孩子列入“未接走”。")
    staff = models.ManyToManyField(USER, blank=True, related_name="afterschool_schools", verbose_name="学校工作人员")
    head_teacher = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="负责人"
    )
    is_active = models.BooleanField("开办中", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.SchoolQuerySet.as_manager()

    audit_fields = ["community", "name", "room", "room_name", "head_teacher", "opens_at", "closes_at", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "四点半学校"
        ordering = ["community_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="afterschool_school_unique_name"),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")),
                name="afterschool_school_opens_first",
                violation_error_message="开门时间应早于接走时间。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def place(self) -> str:
        return str(self.room) if self.room_id else self.room_name

    def audit_extra(self) -> dict:
        return {"学校工作人员": [str(u) for u in self.staff.all()]} if self.pk else {}


class Term(models.Model):
    """A term (学期): from `starts_on` to `ends_on`, on `weekdays`, for `capacity` children under `age_limit`."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="terms", verbose_name="学校")
    name = models.CharField("学期", max_length=64, help_text="如：2026年春季学期。")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    capacity = models.PositiveSmallIntegerField("名额")
    weekdays = models.JSONField("上课日", default=school_days, help_text="周一 = 0。")
    age_limit = models.PositiveSmallIntegerField("年龄上限", default=CHILD_AGE_LIMIT, help_text="报名时未满这个年龄。")
    team = models.ForeignKey(
        "volunteers.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="辅导志愿服务队",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.TermQuerySet.as_manager()

    audit_fields = ["school", "name", "starts_on", "ends_on", "capacity", "weekdays", "age_limit", "team"]

    class Meta:
        verbose_name = verbose_name_plural = "学期"
        ordering = ["school_id", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")),
                name="afterschool_term_dates",
                violation_error_message="开始日期不能晚于结束日期。",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="afterschool_term_capacity"),
        ]

    def __str__(self):
        return f"{self.school}·{self.name}"


class Session(models.Model):
    """One afternoon of a term. A tutored session is a volunteers Activity (`activity`): tutors sign up and their
    attendance is recorded there, so their hours reach the volunteer record and the love bank."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="sessions", verbose_name="学期")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="sessions", editable=False)
    date = models.DateField("日期")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    topic = models.CharField("内容", max_length=100, blank=True, help_text="如：作业辅导、书法、手工。")
    activity = models.OneToOneField(
        "volunteers.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="afterschool_session",
        verbose_name="志愿活动",
    )
    tutors = models.ManyToManyField("volunteers.Volunteer", blank=True, related_name="+", verbose_name="辅导志愿者")

    objects = querysets.SessionQuerySet.as_manager()

    audit_fields = ["term", "date", "starts_at", "ends_at", "topic"]

    class Meta:
        verbose_name = verbose_name_plural = "课次"
        ordering = ["date", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "date"], name="afterschool_session_one_a_day"),
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="afterschool_session_times",
                violation_error_message="开始时间应早于结束时间。",
            ),
        ]
        indexes = [models.Index(fields=["school", "date"], name="afterschool_session_day")]

    def save(self, *args, **kwargs):
        self.school_id = self.term.school_id
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.school} {self.date:%m月%d日}"


class Enrolment(models.Model):
    """A child (a resident of the registry) in a term: 在读, 候补 (waiting, ordered by priority then application)
    or 退出."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="enrolments", verbose_name="学期")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments", editable=False)
    child = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="afterschool_enrolments", verbose_name="孩子"
    )
    status = models.CharField("状态", max_length=12, choices=EnrolmentStatus.choices)
    priority = models.CharField("优先情形", max_length=16, choices=Priority.choices, default=Priority.OTHER)
    #: PRIORITY_RANK of `priority`: the waiting list is ordered by (rank, applied_at, id).
    priority_rank = models.PositiveSmallIntegerField(default=3, editable=False)
    applied_at = models.DateTimeField("报名时间")
    enrolled_at = models.DateTimeField("入读时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("退出时间", null=True, blank=True)
    notes = models.CharField("备注", max_length=300, blank=True, help_text="如：过敏、需按时吃药（只写照看需要的）。")
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="登记人"
    )

    objects = querysets.EnrolmentQuerySet.as_manager()

    audit_fields = ["term", "child", "status", "priority", "notes"]

    class Meta:
        verbose_name = verbose_name_plural = "报名"
        ordering = ["term_id", "priority_rank", "applied_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "child"], condition=Q(status__in=LIVE_ENROLMENT), name="afterschool_enrolment_once"
            )
        ]
        indexes = [models.Index(fields=["term", "status", "priority_rank", "applied_at"], name="afterschool_waiting")]

    def save(self, *args, **kwargs):
        from linli.afterschool.choices import PRIORITY_RANK

        self.school_id = self.term.school_id
        self.priority_rank = PRIORITY_RANK.get(self.priority, 3)
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.child.name}（{self.term.name}）"

    @property
    def is_enrolled(self) -> bool:
        return self.status == EnrolmentStatus.ENROLLED


class Guardian(models.Model):
    """Someone who may come for the child: a resident of the registry (the household's members are proposed) or a
    person named with phone and relation. Only `authorised` guardians may collect."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="guardians", verbose_name="报名")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="居民"
    )
    name = models.CharField("姓名", max_length=64)
    phone = models.CharField("联系电话", max_length=24, blank=True)
    relation = models.CharField("与孩子关系", max_length=16, help_text="如：母亲、爷爷、外婆、邻居。")
    authorised = models.BooleanField("可以接孩子", default=True)
    id_check = models.CharField("核验说明", max_length=100, blank=True, help_text="如：已核对身份证后四位 1234。")
    is_active = models.BooleanField("有效", default=True)
    added_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    added_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.GuardianQuerySet.as_manager()

    audit_fields = ["enrolment", "resident", "name", "relation", "authorised", "id_check", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "监护人"
        ordering = ["-authorised", "id"]

    def __str__(self):
        return f"{self.name}（{self.relation}）"

    def audit_extra(self) -> dict:
        return {"联系电话": mask_phone(self.phone)}  # the change log never holds a phone in clear


class Attendance(models.Model):
    """A child's afternoon: signed in, and signed out to an authorised guardian or under a recorded override."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances", verbose_name="课次")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendances", verbose_name="报名")
    signed_in_at = models.DateTimeField("签到时间")
    signed_in_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="签到人"
    )
    signed_out_at = models.DateTimeField("接走时间", null=True, blank=True)
    signed_out_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="签退人"
    )
    collected_by = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="接走的监护人"
    )

    objects = querysets.AttendanceQuerySet.as_manager()

    audit_fields = ["session", "enrolment", "signed_in_at", "signed_out_at", "collected_by"]

    class Meta:
        verbose_name = verbose_name_plural = "签到记录"
        ordering = ["session_id", "signed_in_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="afterschool_attendance_once")]

    def __str__(self):
        return f"{self.enrolment.child.name} {self.session.date:%m月%d日}"

    @property
    def is_here(self) -> bool:
        return self.signed_out_at is None


class ReleaseOverride(models.Model):
    """A child released to someone who is not an authorised guardian: who collected, why, and the user holding
    afterschool.override who approved it. Recorded with the sign-out, never silent (the approver is told)."""

    attendance = models.OneToOneField(
        Attendance, on_delete=models.CASCADE, related_name="override", verbose_name="签到记录"
    )
    name = models.CharField("接走人姓名", max_length=64)
    phone = models.CharField("接走人电话", max_length=24)
    relation = models.CharField("与孩子关系", max_length=16)
    reason = models.CharField("原因", max_length=200)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="批准人")
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    at = models.DateTimeField("时间")

    audit_fields = ["attendance", "name", "relation", "reason", "approved_by", "at"]

    class Meta:
        verbose_name = verbose_name_plural = "特批接走"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.relation}）"

    def audit_extra(self) -> dict:
        return {"接走人电话": mask_phone(self.phone)}
