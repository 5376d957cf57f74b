from django.db import models


class VoteRule(models.TextChoices):
    """How a vote passes. The two Civil Code rules are art. 278's wording for owners' decisions:
    participation 三分之二以上 (at least two thirds, 以上 includes the number) of households and of floor area;
    passing 过半数 (more than half) of the participating households and area, or for a major matter (改建、重建,
    筹集或使用维修资金, 改变共有部分用途) 四分之三以上 (at least three quarters)."""

    ORDINARY = "ordinary", "参与表决户数过半同意"
    CIVIL_CODE_GENERAL = "civil_general", "民法典一般事项（双三分之二参与、双过半同意）"
    CIVIL_CODE_MAJOR = "civil_major", "民法典重大事项（双三分之二参与、双四分之三同意）"


class VoteStatus(models.TextChoices):
    DRAFT = "draft", "未开始"
    OPEN = "open", "表决中"
    CLOSED = "closed", "已结束"


class Choice(models.TextChoices):
    FOR = "for", "同意"
    AGAINST = "against", "不同意"
    ABSTAIN = "abstain", "弃权"


class Channel(models.TextChoices):
    PHONE = "phone", "手机投票"
    PAPER = "paper", "纸质表决票"
    DOOR = "door", "网格员上门"


class ExportKind(models.TextChoices):
    TURNOUT = "vote_turnout", "表决参与情况（按楼栋）"
