"""Volunteer teams (志愿服务队), volunteers, activities, sign-ups and attendance with service hours.

Every state change goes through linli.volunteers.services; the rows here carry who and when.
`Attendance.hours` of a confirmed attendance is what other apps (the love bank) read.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.core.phone import mask_phone
from linli.volunteers import querysets
from linli.volunteers.choices import (
    LIVE_SIGNUP,
    ActivityKind,
    ActivityStatus,
    AttendanceMethod,
    AttendanceStatus,
    SignUpStatus,
)

USER = settings.AUTH_USER_MODEL


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


class Volunteer(models.Model):
    """A person who volunteers in one community: a registered resident, or someone from outside (name, phone).

    `user` links the account (role 志愿者) that signs up and scans check-in codes for this person.
    A resident volunteer's phone is the registry's; only outside volunteers keep one here.
    """

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_records",
        verbose_name="居民档案",
    )
    user = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteer_records", verbose_name="账号"
    )
    name = models.CharField("姓名", max_length=64)
    phone = models.CharField("联系电话", max_length=24, blank=True, help_text="社区外志愿者填写；居民以居民档案为准。")
    skills = models.CharField("特长", max_length=200, blank=True, help_text="如：理发、维修、医护、文艺")
    availability = models.CharField("可服务时间", max_length=200, blank=True, help_text="如：周末上午、工作日晚上")
    is_active = models.BooleanField("在册", default=True)
    joined_on = models.DateField("加入日期", default=_today)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.VolunteerQuerySet.as_manager()

    audit_fields = [
        "community",
        "resident",
        "user",
        "name",
        "skills",
        "availability",
        "is_active",
        "joined_on",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "志愿者"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "resident"], condition=Q(resident__isnull=False), name="volunteer_one_per_resident"
            ),
            models.UniqueConstraint(
                fields=["community", "user"], condition=Q(user__isnull=False), name="volunteer_one_per_user"
            ),
        ]
        indexes = [models.Index(fields=["community", "name"], name="volunteer_community_name_idx")]

    def __str__(self):
        return self.name

    def audit_extra(self) -> dict:
        return {"联系电话": self.phone_masked}  # the change log never holds a phone in clear

    @property
    def is_outside(self) -> bool:
        return self.resident_id is None

    @property
    def contact_phone(self) -> str:
        return self.resident.phone if self.resident_id else self.phone

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    def phone_for(self, user) -> str:
        """The phone as `user` may see it: in full with resident.reveal_phone or for oneself, else masked."""
        if user.has_role_perm("resident.reveal_phone") or (self.user_id and self.user_id == user.pk):
            return self.contact_phone
        return self.phone_masked


class Team(models.Model):
    """A volunteer team of one community (新长征志愿服务队, 妈妈帮帮团 ...)."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    name = models.CharField("队名", max_length=64)
    description = models.TextField("简介", blank=True)
    created_at = models.DateTimeField("成立登记时间", auto_now_add=True)

    objects = querysets.TeamQuerySet.as_manager()

    audit_fields = ["community", "name", "description"]

    class Meta:
        verbose_name = verbose_name_plural = "志愿服务队"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="team_unique_name")]

    def __str__(self):
        return self.name


class TeamMembership(models.Model):
    """A volunteer in a team; leaders (队长) run the team's activities: check-in codes and attendance."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name="服务队")
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="memberships", verbose_name="志愿者"
    )
    is_leader = models.BooleanField("队长", default=False)
    joined_on = models.DateField("入队日期", default=_today)

    class Meta:
        verbose_name = verbose_name_plural = "队员"
        ordering = ["-is_leader", "volunteer__name", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="membership_unique")]

    def __str__(self):
        return f"{self.team} {self.volunteer}"


class Activity(models.Model):
    """One volunteer activity: when, where, how many people, the recruitment notice (招募公告)."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities", verbose_name="组织服务队"
    )
    title = models.CharField("活动名称", max_length=100)
    kind = models.CharField("活动类型", max_length=16, choices=ActivityKind.choices)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=100)
    capacity = models.PositiveIntegerField("招募人数")
    notice = models.TextField("招募公告", blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="发布人"
    )
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    status = models.CharField("状态", max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.OPEN)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="取消操作人"
    )
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)

    objects = querysets.ActivityQuerySet.as_manager()

    audit_fields = [
        "community",
        "team",
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "place",
        "capacity",
        "notice",
        "status",
        "cancel_reason",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "志愿活动"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["community", "starts_at"], name="activity_community_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d} {self.title}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == ActivityStatus.CANCELLED

    @property
    def duration_hours(self) -> Decimal:
        from linli.volunteers.hours import span_hours

        return span_hours(self.starts_at, self.ends_at)


class SignUp(models.Model):
    """A volunteer's place on an activity: confirmed, on the waiting list (in order), or cancelled."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups", verbose_name="活动")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="signups", verbose_name="志愿者")
    status = models.CharField("状态", max_length=12, choices=SignUpStatus.choices)
    signed_up_at = models.DateTimeField("报名时间")
    signed_up_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="报名操作人"
    )
    promoted_at = models.DateTimeField("候补转正时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="取消操作人"
    )

    objects = querysets.SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "活动报名"
        ordering = ["signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"], condition=Q(status__in=LIVE_SIGNUP), name="signup_one_live"
            )
        ]
        indexes = [models.Index(fields=["activity", "status", "signed_up_at"], name="signup_activity_status_idx")]

    def __str__(self):
        return f"{self.volunteer} {self.get_status_display()}"


class Attendance(models.Model):
    """Who served on an activity and for how long.

    A QR check-in opens it (已签到); the check-out, or the leader marking attendance, confirms it with its
    hours (已确认). Hours are the overlap of check-in..check-out with the activity's own time; a leader's
    correction is kept in HoursCorrection. The love bank awards points from confirmed rows.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances", verbose_name="活动")
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="attendances", verbose_name="志愿者"
    )
    status = models.CharField("状态", max_length=12, choices=AttendanceStatus.choices)
    method = models.CharField("登记方式", max_length=8, choices=AttendanceMethod.choices)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="签到操作人"
    )
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    checked_out_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="签退操作人"
    )
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=2, default=Decimal("0"))
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="确认人"
    )

    objects = querysets.AttendanceQuerySet.as_manager()

    audit_fields = ["activity", "volunteer", "status", "method", "checked_in_at", "checked_out_at"]

    def audit_extra(self) -> dict:
        return {"服务时长（小时）": str(self.hours)}  # a Decimal is not JSON

    class Meta:
        verbose_name = verbose_name_plural = "服务记录"
        ordering = ["activity", "volunteer__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="attendance_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_non_negative"),
        ]
        indexes = [models.Index(fields=["volunteer", "status"], name="attendance_volunteer_idx")]

    def __str__(self):
        return f"{self.activity} {self.volunteer} {self.hours}小时"

    @property
    def confirmed(self) -> bool:
        return self.status == AttendanceStatus.CONFIRMED


class HoursCorrection(models.Model):
    """A leader's correction of an attendance's hours: before, after, why, who, when (never silent)."""

    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, related_name="corrections", verbose_name="服务记录"
    )
    hours_before = models.DecimalField("原时长", max_digits=5, decimal_places=2)
    hours_after = models.DecimalField("更正后时长", max_digits=5, decimal_places=2)
    reason = models.CharField("更正原因", max_length=200)
    corrected_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="更正人"
    )
    corrected_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "时长更正"
        ordering = ["-corrected_at", "-id"]

    def __str__(self):
        return f"{self.hours_before} → {self.hours_after}"
