from django.db import models


class WishStatus(models.TextChoices):
    OPEN = "open", "待认领"
    CLAIMED = "claimed", "已认领"
    FULFILLED = "fulfilled", "已实现"
    CANCELLED = "cancelled", "已撤销"


class WishCategory(models.TextChoices):
    GOODS = "goods", "物品"
    STUDY = "study", "学习用品"
    REPAIR = "repair", "维修"
    VISIT = "visit", "探访陪伴"
    HEALTH = "health", "健康照护"
    ERRAND = "errand", "代办跑腿"
    OTHER = "other", "其他"


class ClaimerKind(models.TextChoices):
    PARTY_MEMBER = "party_member", "党员"
    ORGANISATION = "organisation", "驻区单位/组织"


class WishEventAction(models.TextChoices):
    CREATED = "created", "登记心愿"
    EDITED = "edited", "修改心愿"
    CLAIMED = "claimed", "认领"
    RELEASED = "released", "取消认领"
    FULFILLED = "fulfilled", "确认实现"
    THANKED = "thanked", "记录感谢"
    CANCELLED = "cancelled", "撤销心愿"
    REMINDED = "reminded", "超期提醒"


class DonationKind(models.TextChoices):
    CLOTHES = "clothes", "衣物"
    SHOES = "shoes", "鞋帽"
    BOOKS = "books", "图书"
    TOYS = "toys", "玩具"
    DAILY = "daily", "生活用品"
    OTHER = "other", "其他"


class Direction(models.TextChoices):
    IN = "in", "捐入"
    OUT = "out", "领取"


#: A wish in these states can still change (be claimed, released, fulfilled or withdrawn).
LIVE_STATUSES = (WishStatus.OPEN, WishStatus.CLAIMED)


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/wishes/shell.py)."""

    WISHES_REPORT = "wishes_report", "心愿统计 Excel"
    API_WISHES = "api_wishes", "接口读取心愿"
