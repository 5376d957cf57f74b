from django.db import models


class ActivityKind(models.TextChoices):
    PATROL = "patrol", "巡逻"
    CLEANING = "cleaning", "清洁"
    ELDERLY_VISIT = "elderly_visit", "探访老人"
    RIVER_PATROL = "river_patrol", "巡河"
    PERFORMANCE = "performance", "文艺演出"
    OTHER = "other", "其他"


class ActivityStatus(models.TextChoices):
    """Whether an activity takes place; upcoming, ongoing and past follow from its time."""

    OPEN = "open", "正常"
    CANCELLED = "cancelled", "已取消"


class ActivityState(models.TextChoices):
    """Where an activity stands now (a filter of the list page and the API; derived, not stored)."""

    UPCOMING = "upcoming", "即将开始"
    ONGOING = "ongoing", "进行中"
    ENDED = "ended", "已结束"
    CANCELLED = "cancelled", "已取消"


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", "已报名"
    WAITING = "waiting", "候补"
    CANCELLED = "cancelled", "已取消"


#: A volunteer holds at most one sign-up in these states per activity.
LIVE_SIGNUP = (SignUpStatus.CONFIRMED, SignUpStatus.WAITING)


class AttendanceStatus(models.TextChoices):
    CHECKED_IN = "checked_in", "已签到"
    CONFIRMED = "confirmed", "已确认"


class AttendanceMethod(models.TextChoices):
    QR = "qr", "扫码"
    LEADER = "leader", "队长登记"


class ScanKind(models.TextChoices):
    CHECK_IN = "in", "签到"
    CHECK_OUT = "out", "签退"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/volunteers/shell.py)."""

    VOLUNTEER_HOURS_XLSX = "volunteer_hours_xlsx", "志愿服务时长 Excel"
    API_VOLUNTEER_HOURS = "api_volunteer_hours", "接口读取志愿者时长"
