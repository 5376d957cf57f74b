from django.db import models


class Outcome(models.TextChoices):
    MET = "met", "见面"
    PHONE = "phone", "电话"
    NOT_HOME = "not_home", "不在家"
    REFUSED = "refused", "拒访"


#: Outcomes that count as a completed visit and restart the resident's interval.
#: A refusal counts: the worker did go, and the resident was seen and asked.
COMPLETED_OUTCOMES = (Outcome.MET, Outcome.PHONE, Outcome.REFUSED)


class Wellbeing(models.TextChoices):
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    ATTENTION = "attention", "需关注"
    URGENT = "urgent", "紧急"


class AlertReason(models.TextChoices):
    NOT_HOME_THRICE = "not_home_3", "连续三次不在家"
    LONG_OVERDUE = "overdue", "逾期超过一个走访周期"
    URGENT = "urgent", "走访发现紧急情况"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/visits/shell.py)."""

    VISITS_XLSX = "visits_xlsx", "走访台账 Excel"
    VISITS_PRINT = "visits_print", "打印走访台账"
    DIARY_XLSX = "diary_xlsx", "民情日记 Excel"
    DIARY_PRINT = "diary_print", "打印民情日记"
    COVERAGE_XLSX = "coverage_xlsx", "走访统计 Excel"
    COVERAGE_PRINT = "coverage_print", "打印走访统计"
