from django.db import models


class MatterScope(models.TextChoices):
    """Whose matter it is: the households asked, invited and (in a vote) eligible."""

    BUILDING = "building", "一栋楼"
    BUILDINGS = "buildings", "几栋楼"
    GRID = "grid", "一个网格"
    COMMUNITY = "community", "全社区"


class RaisedBy(models.TextChoices):
    STAFF = "staff", "社区工作人员"
    GRID_WORKER = "grid_worker", "网格员"
    ORGANISATION = "organisation", "居民组织"
    RESIDENT = "resident", "居民"


class MatterSource(models.TextChoices):
    """Where a matter came from when it was turned into one with one step."""

    DIRECT = "direct", "直接提出"
    APPEAL = "appeal", "居民诉求"
    DIARY = "diary", "民情日记"
    PROBLEM = "problem", "问题清单"


class MatterStatus(models.TextChoices):
    PROPOSED = "proposed", "待受理"
    HEARING = "hearing", "征求意见"
    VOTING = "voting", "表决中"
    PUBLICITY = "publicity", "公示中"
    DOING = "doing", "落实中"
    DONE = "done", "已办结"
    DECLINED = "declined", "不予立项"


#: A matter in these states is still being worked on (the home block and the list's 进行中 count them).
OPEN_STATUSES = (
    MatterStatus.PROPOSED,
    MatterStatus.HEARING,
    MatterStatus.VOTING,
    MatterStatus.PUBLICITY,
    MatterStatus.DOING,
)

#: Where a matter may go from each status (services.move_matter); PROPOSED leaves only by accept or decline,
#: DONE and DECLINED are final. 表决中 is reachable from every working stage: opening a vote moves the matter there
#: (linli.votes.services.open_vote), also a second vote after a published result or while the matter is being done.
NEXT_STATUSES = {
    MatterStatus.HEARING: (MatterStatus.VOTING, MatterStatus.PUBLICITY, MatterStatus.DOING),
    MatterStatus.VOTING: (MatterStatus.HEARING, MatterStatus.PUBLICITY, MatterStatus.DOING),
    MatterStatus.PUBLICITY: (MatterStatus.HEARING, MatterStatus.VOTING, MatterStatus.DOING),
    MatterStatus.DOING: (MatterStatus.HEARING, MatterStatus.VOTING, MatterStatus.PUBLICITY),
}


class TaskStatus(models.TextChoices):
    OPEN = "open", "待落实"
    DONE = "done", "已完成"


class TurnSource(models.TextChoices):
    """What can be turned into a matter with one step (the URL's kind)."""

    APPEAL = "appeal", "居民诉求"
    DIARY = "diary", "民情日记"
    PROBLEM = "problem", "问题清单事项"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/deliberation/shell.py)."""

    MATTERS = "matters", "议题清单 Excel"
