"""The dashboards' precomputed daily figures (linli.dashboards.rollup): one row per area node, day and figure.

A figure registered by an app (linli.core.shell.dashboard_figure) is counted for every street, community and grid
in a few grouped queries and kept here, so that a dashboard's trends and its as-of figures read a few hundred
indexed rows instead of scanning the big tables. A zero is not stored: RollupRun says which figures a day has,
so a missing row of a figure that was counted is 0, and of a figure that was not (a stock of a past day that cannot
be counted back) is unknown ("—").
"""

from django.db import models


class Level(models.TextChoices):
    STREET = "street", "街道"
    COMMUNITY = "community", "社区"
    GRID = "grid", "网格"


class DailyFigure(models.Model):
    """A figure's value for one area node and day: a stock at the end of the day, a flow during it."""

    level = models.CharField("层级", max_length=10, choices=Level.choices)
    node_id = models.BigIntegerField("区域编号")
    day = models.DateField("日期")
    key = models.CharField("指标", max_length=48)
    value = models.DecimalField("数值", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "每日指标"
        constraints = [
            models.UniqueConstraint(fields=["level", "node_id", "key", "day"], name="dailyfigure_unique"),
        ]
        # The unique index serves a node's trends (level, node, key, day range); this one a level's comparison
        # on one day (all communities of a street: level, day, key, then the node ids).
        indexes = [models.Index(fields=["level", "day", "key", "node_id"], name="dailyfigure_day_idx")]

    def __str__(self):
        return f"{self.get_level_display()}{self.node_id} {self.day} {self.key}={self.value}"


class RollupRun(models.Model):
    """One day's rollup: which figures it counted and when (the dashboards' “数据截至 …”)."""

    day = models.DateField("日期", unique=True)
    keys = models.JSONField("已统计指标", default=list)
    computed_at = models.DateTimeField("统计时间")
    seconds = models.FloatField("用时（秒）", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "指标统计记录"
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} {len(self.keys)} 项"
