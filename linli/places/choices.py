from django.db import models


class RoomKind(models.TextChoices):
    READING = "reading", "阅览室/图书室"
    ACTIVITY = "activity", "活动室"
    HALL = "hall", "多功能厅"
    MEETING = "meeting", "会议室"
    CLASSROOM = "classroom", "教室"
    SPORTS = "sports", "文体室"
    CARE = "care", "日间照料"
    OTHER = "other", "其他"


class BookerKind(models.TextChoices):
    """Who a room may be booked by (Room.bookable_by) and who a booking is for (Booking.booker_kind)."""

    RESIDENT = "resident", "居民个人"
    ORGANISATION = "organisation", "居民组织/驻区单位"
    TEAM = "team", "志愿服务队"
    STAFF = "staff", "社区工作人员"


class BookingStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "未通过"
    CANCELLED = "cancelled", "已取消"


#: Statuses that hold the room: no two of these overlap in one room (the database enforces it on PostgreSQL).
HOLDING = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class CancelScope(models.TextChoices):
    ONE = "one", "只取消这一次"
    REST = "rest", "取消这一次及以后各次"
    CLOSURE = "closure", "当天闭馆：取消这间功能室当天全部预约"


class ExportKind(models.TextChoices):
    BOOKINGS = "place_bookings", "功能室预约"
    USAGE = "place_usage", "功能室使用统计"
