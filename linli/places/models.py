"""Function rooms (功能室) of a community's service centre and their bookings.

No two holding bookings (待审核/已确认) of one room overlap. On PostgreSQL an exclusion constraint over the room and
the time range enforces it (migration 0002, btree_gist); on every database linli.places.booking.create_booking first
takes the room's row (an UPDATE of Room.bookings_changed_at: a row lock on PostgreSQL, SQLite's write lock) and then
checks, so two requests cannot both see the slot free.

A recurring booking (BookingSeries) is stored as its rule (RFC 5545 RRULE text read by dateutil) plus one Booking per
occurrence: every occurrence is an ordinary booking that the constraint guards, and cancelling one occurrence is
cancelling one row (the series keeps the dates it skipped in `skipped`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from linli.areas.models import StreetOfCommunity
from linli.places import querysets
from linli.places.choices import BookerKind, BookingStatus, RoomKind

USER = settings.AUTH_USER_MODEL


def all_bookers() -> list[str]:
    return list(BookerKind.values)


def every_day() -> list[int]:
    return [0, 1, 2, 3, 4, 5, 6]


class Room(StreetOfCommunity, models.Model):
    """A function room: 图书室, 书法室, 棋牌室, 四点半学校教室, 多功能厅 ... with what it holds and when it is open."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=RoomKind.choices, default=RoomKind.ACTIVITY)
    location = models.CharField("位置", max_length=100, blank=True, help_text="如：党群服务中心二楼东侧。")
    capacity = models.PositiveSmallIntegerField("容纳人数")
    equipment = models.CharField("设施设备", max_length=300, blank=True, help_text="如：投影仪、音响、书画桌 12 张。")
    description = models.TextField("使用说明", blank=True)
    opens_at = models.TimeField("开放时间", default="08:30")
    closes_at = models.TimeField("关闭时间", default="20:30")
    #: Weekdays it is open, Monday = 0.
    open_days = models.JSONField("开放日", default=every_day)
    bookable_by = models.JSONField("可预约对象", default=all_bookers, help_text="BookerKind 的取值。")
    needs_approval = models.BooleanField("预约需审核", default=False)
    manager = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="管理人"
    )
    sort = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    #: Touched by every booking change: the row that booking.create_booking locks (see the module docstring).
    bookings_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.RoomQuerySet.as_manager()

    audit_fields = [
        "community", "name", "kind", "location", "capacity", "equipment", "description", "opens_at", "closes_at",
        "open_days", "bookable_by", "needs_approval", "manager", "sort", "is_active",
    ]  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "功能室"
        ordering = ["community_id", "sort", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="room_unique_name"),
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="room_opens_before_closing",
                violation_error_message="开放时间应早于关闭时间。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("places:room_detail", args=[self.pk])


class BookingSeries(models.Model):
    """A recurring booking: every Tuesday 14:00–16:00 until June; the 秧歌队 every weekday morning.

    `rule` is an RFC 5545 RRULE (dateutil.rrule) over the dates from `first_date` to `until`; each date gets one
    Booking from `start_time` to `end_time`. Dates that clashed with an existing booking when the series was made,
    and that the booker agreed to skip, are in `skipped` (ISO dates)."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="series", verbose_name="功能室")
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    rule = models.CharField("重复规则", max_length=200)
    first_date = models.DateField("开始日期")
    until = models.DateField("结束日期")
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    purpose = models.CharField("用途", max_length=200)
    expected_attendance = models.PositiveSmallIntegerField("预计人数", default=1)
    booker_kind = models.CharField("预约方", max_length=16, choices=BookerKind.choices)
    booker_name = models.CharField("预约人/组织", max_length=100)
    contact_phone = models.CharField("联系电话", max_length=24, blank=True)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="居民"
    )
    team = models.ForeignKey(
        "volunteers.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="志愿服务队"
    )
    skipped = models.JSONField("跳过的日期", default=list, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.BookingSeriesQuerySet.as_manager()

    audit_fields = [
        "room", "rule", "first_date", "until", "start_time", "end_time", "purpose", "expected_attendance",
        "booker_kind", "booker_name", "skipped",
    ]  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "周期预约"
        ordering = ["-first_date", "-id"]

    def save(self, *args, **kwargs):
        self.community_id = self.room.community_id
        self.street_id = self.room.street_id
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.room}·{self.purpose}"


class Booking(models.Model):
    """One use of a room from `starts_at` to `ends_at` (aware datetimes), by a resident, an organisation, a volunteer
    team or the staff. Holding statuses (linli.places.choices.HOLDING) never overlap in one room."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings", verbose_name="功能室")
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name="周期预约",
    )
    starts_at = models.DateTimeField("开始")
    ends_at = models.DateTimeField("结束")
    status = models.CharField("状态", max_length=12, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED)
    purpose = models.CharField("用途", max_length=200)
    expected_attendance = models.PositiveSmallIntegerField("预计人数", default=1)
    attendance = models.PositiveSmallIntegerField("实到人数", null=True, blank=True)
    no_show = models.BooleanField("爽约", default=False, help_text="预约了但没有来，也没有取消。")
    booker_kind = models.CharField("预约方", max_length=16, choices=BookerKind.choices)
    booker_name = models.CharField("预约人/组织", max_length=100)
    contact_phone = models.CharField("联系电话", max_length=24, blank=True)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="居民"
    )
    team = models.ForeignKey(
        "volunteers.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="志愿服务队"
    )
    booked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    cancel_reason = models.CharField("取消/不通过原因", max_length=200, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    objects = querysets.BookingQuerySet.as_manager()

    audit_fields = [
        "room", "series", "starts_at", "ends_at", "status", "purpose", "expected_attendance", "attendance", "no_show",
        "booker_kind", "booker_name", "cancel_reason",
    ]  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "功能室预约"
        ordering = ["starts_at", "room_id", "id"]
        indexes = [models.Index(fields=["room", "starts_at"], name="booking_room_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="booking_starts_before_end",
                violation_error_message="开始时间应早于结束时间。",
            ),
        ]

    def save(self, *args, **kwargs):
        self.community_id = self.room.community_id
        self.street_id = self.room.street_id
        super().save(*args, **kwargs)

    def __str__(self):
        from django.utils import timezone

        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.room} {start:%m月%d日 %H:%M}–{end:%H:%M} {self.booker_name}（{self.purpose}）"
