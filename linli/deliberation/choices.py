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
