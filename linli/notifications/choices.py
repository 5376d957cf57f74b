from django.db import models


class Kind(models.TextChoices):
    VISITS_OVERDUE = "visits_overdue", "走访逾期"
    VISITS_LATE = "visits_late", "走访严重逾期"
    VISIT_ALERT = "visit_alert", "走访提醒"
    APPEAL = "appeal", "诉求"
    APPEAL_OVERDUE = "appeal_overdue", "诉求超期"
    REVEAL_ALERT = "reveal_alert", "查看身份证号码过多"
    SYSTEM = "system", "系统"
