"""便民服务 (linli.hall): the one-stop service hall of a community.

- ServiceMatter: one entry of the 办事指南 (what to bring, where and when, how long, who finally decides), public
  when published (/hall/guide/<community code>/).
- Counter: a window of the hall, the matters it serves, its appointment hours (slot length and places per slot) and
  its walk-in ticket numbers. The counter row is what ticket numbering and slot booking lock.
- Appointment: a resident's (or a named visitor's) place in a counter's slot.
- Ticket: a walk-in number (A001 …) of a counter on one day; no personal data.
- Errand / ErrandEvent: 代办/帮办, staff acting for a resident who cannot come, with dated events until the result
  is handed back; due on the matter's 承诺时限 in working days (linli.workdays).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import StreetOfCommunity
from linli.hall import querysets
from linli.hall.choices import (
    OPEN_ERRAND,
    AppointmentStatus,
    ErrandKind,
    ErrandStatus,
    MatterCategory,
    TicketStatus,
)

USER = settings.AUTH_USER_MODEL


def weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class ServiceMatter(StreetOfCommunity, models.Model):
    """One matter of a community's 办事指南: 居住证明, 城乡居民医保参保登记, 低保申请（转街道）…"""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("事项名称", max_length=64)
    category = models.CharField("类别", max_length=16, choices=MatterCategory.choices, default=MatterCategory.OTHER)
    audience = models.CharField("办理对象", max_length=200, blank=True, help_text="如：本社区常住居民。")
    materials = models.TextField("所需材料", blank=True, help_text="每行一项。")
    place = models.CharField("办理地点", max_length=100, blank=True, help_text="如：党群服务中心一楼2号窗口。")
    hours = models.CharField("办理时间", max_length=100, blank=True, help_text="如：工作日 8:30–12:00，14:00–17:30。")
    time_limit_days = models.PositiveSmallIntegerField(
        "承诺时限（工作日）", default=0, help_text="0 表示当场办结。代办的到期日按它以工作日推算。"
    )
    deciding_office = models.CharField("办理机关", max_length=64, default="本社区", help_text="最终审批的机关。")
    forwarded = models.BooleanField("转报街道", default=False, help_text="社区受理后转街道或上级部门办理。")
    fee = models.CharField("收费", max_length=64, default="免费")
    notes = models.TextField("备注", blank=True)
    link = models.CharField("在线办理/开具地址", max_length=200, blank=True, help_text="如本社区开具的证明页面。")
    published = models.BooleanField("公开", default=True, help_text="公开的事项出现在社区的公开办事指南页面。")
    sort = models.PositiveSmallIntegerField("排序", default=100)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = querysets.ServiceMatterQuerySet.as_manager()

    audit_fields = [
        "name", "category", "audience", "materials", "place", "hours", "time_limit_days", "deciding_office",
        "forwarded", "fee", "notes", "link", "published", "sort",
    ]  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "办事指南事项"
        ordering = ["community_id", "sort", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="hall_matter_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hall:matter_detail", args=[self.pk])

    @property
    def material_list(self) -> list[str]:
        return [line.strip(" -·•") for line in self.materials.splitlines() if line.strip(" -·•")]

    @property
    def time_limit_label(self) -> str:
        return "当场办结" if not self.time_limit_days else f"{self.time_limit_days}个工作日"


class Counter(StreetOfCommunity, models.Model):
    """A window (窗口) of the hall: the matters it serves, who serves there, its appointment slots and its
    walk-in numbers. `last_ticket_on`/`last_ticket_number` are the numbering the locked row hands out."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("窗口名称", max_length=64)
    prefix = models.CharField("号码字母", max_length=1, default="A", help_text="取号的字母，如 A001。")
    matters = models.ManyToManyField(ServiceMatter, blank=True, related_name="counters", verbose_name="办理事项")
    staff = models.ManyToManyField(USER, blank=True, related_name="+", verbose_name="窗口工作人员")
    open_days = models.JSONField("预约日", default=weekdays, help_text="周一为 0。")
    opens_at = models.TimeField("预约开始", default=datetime.time(8, 30))
    closes_at = models.TimeField("预约结束", default=datetime.time(17, 0))
    slot_minutes = models.PositiveSmallIntegerField("每个时段（分钟）", default=30)
    slot_capacity = models.PositiveSmallIntegerField("每个时段可约人数", default=2)
    is_active = models.BooleanField("启用", default=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)
    last_ticket_on = models.DateField(null=True, blank=True, editable=False)
    last_ticket_number = models.PositiveIntegerField(default=0, editable=False)

    objects = querysets.CounterQuerySet.as_manager()

    audit_fields = [
        "name", "prefix", "open_days", "opens_at", "closes_at", "slot_minutes", "slot_capacity", "is_active", "sort",
    ]  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "服务窗口"
        ordering = ["community_id", "sort", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="hall_counter_unique_name"),
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="hall_counter_opens_before_closing",
                violation_error_message="预约开始时间应早于结束时间。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hall:counter_detail", args=[self.pk])


class Appointment(models.Model):
    """A place in a counter's slot starting at `starts_at`, for a resident of the registry or a named visitor."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="appointments", verbose_name="窗口")
    matter = models.ForeignKey(
        ServiceMatter, on_delete=models.PROTECT, related_name="appointments", verbose_name="办理事项"
    )
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    starts_at = models.DateTimeField("预约时段")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="居民"
    )
    name = models.CharField("姓名", max_length=64)
    phone = models.CharField("联系电话", max_length=24, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    note = models.CharField("备注", max_length=200, blank=True)
    booked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    status_at = models.DateTimeField("状态时间", null=True, blank=True)

    objects = querysets.AppointmentQuerySet.as_manager()

    audit_fields = ["counter", "matter", "starts_at", "resident", "name", "status", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "便民服务预约"
        ordering = ["starts_at", "counter_id", "id"]
        indexes = [models.Index(fields=["counter", "starts_at"], name="hall_appt_counter_start")]

    def save(self, *args, **kwargs):
        self.community_id = self.counter.community_id
        self.street_id = self.counter.street_id
        super().save(*args, **kwargs)

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        return f"{start:%m月%d日 %H:%M} {self.counter} {self.matter}（{self.name}）"

    def get_absolute_url(self):
        return reverse("hall:appointment_detail", args=[self.pk])


class Ticket(models.Model):
    """A walk-in number of a counter on a day: A001, A002 … handed out under the counter's row lock; no name."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="tickets", verbose_name="窗口")
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    day = models.DateField("日期")
    number = models.PositiveIntegerField("序号")
    matter = models.ForeignKey(
        ServiceMatter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="办理事项"
    )
    status = models.CharField("状态", max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    taken_at = models.DateTimeField("取号时间", default=timezone.now)
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    served_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="办理人"
    )

    objects = querysets.TicketQuerySet.as_manager()

    audit_fields = ["counter", "day", "number", "matter", "status"]

    class Meta:
        verbose_name = verbose_name_plural = "取号"
        ordering = ["day", "counter_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["counter", "day", "number"], name="hall_ticket_unique_number"),
        ]

    def save(self, *args, **kwargs):
        self.community_id = self.counter.community_id
        self.street_id = self.counter.street_id
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.counter.prefix}{self.number:03d}"

    def __str__(self):
        return f"{self.day:%m月%d日} {self.counter} {self.label}"


class Errand(models.Model):
    """代办/帮办: staff acting for a resident who cannot come (the elderly, the disabled), from 受理 to the result
    handed back. `due_on` is the matter's 承诺时限 in working days after `accepted_on`."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    grid = models.ForeignKey("areas.Grid", on_delete=models.PROTECT, null=True, related_name="+", editable=False)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="hall_errands", verbose_name="居民"
    )
    matter = models.ForeignKey(ServiceMatter, on_delete=models.PROTECT, related_name="errands", verbose_name="事项")
    kind = models.CharField("方式", max_length=8, choices=ErrandKind.choices, default=ErrandKind.PROXY)
    reason = models.CharField("代办原因", max_length=100, blank=True, help_text="如：独居老人行动不便。")
    materials_received = models.TextField("收取材料", blank=True, help_text="每行一项，交还时核对。")
    status = models.CharField("状态", max_length=12, choices=ErrandStatus.choices, default=ErrandStatus.ACCEPTED)
    accepted_on = models.DateField("受理日期")
    due_on = models.DateField("办结期限")
    finished_on = models.DateField("办结/退回日期", null=True, blank=True)
    result = models.CharField("办理结果", max_length=200, blank=True)
    handed_to = models.CharField("结果交给", max_length=64, blank=True)
    handed_on = models.DateField("交还日期", null=True, blank=True)
    handled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="经办人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.ErrandQuerySet.as_manager()

    audit_fields = [
        "resident", "matter", "kind", "reason", "materials_received", "status", "accepted_on", "due_on",
        "finished_on", "result", "handed_to", "handed_on",
    ]  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "代办帮办"
        ordering = ["-accepted_on", "-id"]
        indexes = [models.Index(fields=["community", "status", "due_on"], name="hall_errand_due")]

    def save(self, *args, **kwargs):
        self.community_id = self.resident.community_id
        self.street_id = self.resident.street_id
        self.grid_id = self.resident.grid_id
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.matter}（{self.resident.name}）"

    def get_absolute_url(self):
        return reverse("hall:errand_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ERRAND

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class ErrandEvent(models.Model):
    """A dated step of an errand: 受理, 提交街道, 办结, 退回, 交还 …"""

    errand = models.ForeignKey(Errand, on_delete=models.CASCADE, related_name="events", verbose_name="代办")
    status = models.CharField("状态", max_length=12, choices=ErrandStatus.choices)
    on = models.DateField("日期")
    note = models.CharField("说明", max_length=200, blank=True)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人")
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "代办进展"
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on} {self.get_status_display()}"
