from django.db import models


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "在读"
    WAITING = "waiting", "候补"
    WITHDRAWN = "withdrawn", "退出"


#: Statuses that hold a child's place in a term (one of these per child and term).
LIVE_ENROLMENT = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


class Priority(models.TextChoices):
    """Why a child comes first on the waiting list: 留守儿童, then children of working parents, then the others;
    within a group, who applied first."""

    LEFT_BEHIND = "left_behind", "留守儿童"
    WORKING_PARENTS = "working_parents", "双职工家庭"
    OTHER = "other", "其他"


#: The waiting list's order by priority (lower first).
PRIORITY_RANK = {Priority.LEFT_BEHIND: 1, Priority.WORKING_PARENTS: 2, Priority.OTHER: 3}

#: The registry tag of 留守儿童 (linli/residents/defaults.py).
LEFT_BEHIND_TAG = "left_behind_child"

#: PIPL art. 28 and 31: under 14, a child's data needs a guardian's consent and the strictest care.
CHILD_AGE_LIMIT = 14

WEEKDAYS = [(0, "周一"), (1, "周二"), (2, "周三"), (3, "周四"), (4, "周五"), (5, "周六"), (6, "周日")]


class ExportKind(models.TextChoices):
    ROSTER = "afterschool_roster", "四点半学校花名册"
    ATTENDANCE = "afterschool_attend", "四点半学校签到记录"
