"""Choices of the three ways of hearing residents (集中议、当面议、座谈议)."""

from django.db import models


class MeetingKind(models.TextChoices):
    COUNCIL = "council", "议事会"
    FORUM = "forum", "恳谈会"
    REPRESENTATIVES = "representatives", "居民代表会议"
    AFFAIRS = "affairs", "民情理事会"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    TEXT = "text", "简答"


class QuestionnaireStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class DoorOutcome(models.TextChoices):
    """What a visit to one household found: the answers, or nobody at home (can be tried again later)."""

    ANSWERED = "answered", "已问"
    NOT_HOME = "not_home", "不在家"


#: The household's state on the building's list: answered, nobody at home at the last visit, not visited yet.
NOT_ASKED = "未问"


class HearingExportKind(models.TextChoices):
    """What the hearing pages let leave the screen, as the export log names it (registered in shell_hearings)."""

    MINUTES = "meeting_minutes", "会议纪要打印"
