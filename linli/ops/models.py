"""Records of operations runs (kept forever: they are few, and they are the proof that a purge ran)."""

from django.db import models


class PurgeRun(models.Model):
    """One run of `linli purge-records`: when, by whom, under which retention, how many rows left each table."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor_label = models.CharField("执行者", max_length=64)
    retention_days = models.PositiveIntegerField("保留天数")
    cutoff = models.DateTimeField("清理此前的记录")
    counts = models.JSONField("清理行数", default=dict, help_text="{表: 行数}")

    audit_fields = ["retention_days", "cutoff", "counts"]

    class Meta:
        verbose_name = verbose_name_plural = "过期记录清理"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"清理过期记录 {self.at:%Y-%m-%d %H:%M}（{sum(self.counts.values())} 行）"
