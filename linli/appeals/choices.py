"""Choices for appeals (诉求). Labels are what users read; values are stable codes used by the API and exports."""

from django.db import models


class QueueTab(models.TextChoices):
    """The tabs of the appeal list (/appeals/?tab=…); also kept in export records."""

    DISPATCH = "dispatch", "待派单"
    UNIT = "unit", "本单位待办"
    OVERDUE = "overdue", "我的超期"
    REPLY = "reply", "待回访"
    ALL = "all", "全部"


class Channel(models.TextChoices):
    VISIT = "visit", "上门走访"
    PHONE = "phone", "电话"
    WALK_IN = "walk_in", "来访"
    MESSAGE = "message", "微信/短信"
    HOTLINE = "hotline", "12345转办"
    RESIDENT = "resident", "居民自助"
    API = "api", "接口"


class Urgency(models.TextChoices):
    URGENT = "urgent", "紧急"
    EXPEDITED = "expedited", "急办"
    NORMAL = "normal", "一般"
    COMPLEX = "complex", "复杂"


class Status(models.TextChoices):
    PENDING_DISPATCH = "pending_dispatch", "待派单"
    PENDING_SIGN = "pending_sign", "待签收"
    IN_PROGRESS = "in_progress", "办理中"
    RESOLVED = "resolved", "待回访"
    CLOSED = "closed", "已结案"
    WITHDRAWN = "withdrawn", "已撤销"
    MERGED = "merged", "已合并"


#: Statuses in which a handling organisation owns the appeal ("no appeal without an owner after dispatch").
OWNED = (Status.PENDING_SIGN, Status.IN_PROGRESS, Status.RESOLVED)
#: Statuses that need no further action.
FINISHED = (Status.CLOSED, Status.WITHDRAWN, Status.MERGED)
OPEN = tuple(s for s in Status.values if s not in FINISHED)


class Outcome(models.TextChoices):
    SOLVED = "solved", "已解决"
    PARTLY = "partly", "部分解决"
    UNSOLVABLE = "unsolvable", "无法解决"
    UNFOUNDED = "unfounded", "不属实"


#: Outcomes that owe the resident an explanation.
NEEDS_EXPLANATION = (Outcome.PARTLY, Outcome.UNSOLVABLE, Outcome.UNFOUNDED)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    NONE = "none", "未评价"


class ReplyMethod(models.TextChoices):
    PHONE = "phone", "电话回访"
    VISIT = "visit", "上门回访"
    MESSAGE = "message", "微信/短信"
    PUBLIC = "public", "公示（匿名反映）"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"


class EventAction(models.TextChoices):
    CREATED = "created", "登记"
    EDITED = "edited", "修改"
    DISPATCHED = "dispatched", "派单"
    SIGNED = "signed", "签收"
    RETURNED = "returned", "退回"
    ASSIST = "assist", "协办"
    PROGRESS = "progress", "办理进展"
    EXTENSION_REQUESTED = "ext_requested", "申请延期"
    EXTENSION_APPROVED = "ext_approved", "同意延期"
    EXTENSION_REFUSED = "ext_refused", "不同意延期"
    RESOLVED = "resolved", "办结"
    REPLIED = "replied", "回访"
    REOPENED = "reopened", "重办"
    ESCALATED = "escalated", "督办"
    WITHDRAWN = "withdrawn", "撤销"
    OVERDUE = "overdue", "超期提醒"
    MERGED = "merged", "合并"
    UNMERGED = "unmerged", "取消合并"


class ProblemItemStatus(models.TextChoices):
    OPEN = "open", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    SOLVED = "solved", "已解决"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/appeals/shell.py)."""

    APPEALS_XLSX = "appeals_xlsx", "诉求清单 Excel"
    PROBLEMS_XLSX = "problems_xlsx", "问题清单 Excel"
    PROBLEMS_PRINT = "problems_print", "打印问题清单"
    APPEAL_SHEET = "appeal_sheet", "打印派单单/回访单"
    API_APPEALS = "api_appeals", "接口读取诉求"
