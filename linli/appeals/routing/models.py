"""Stored routing models (versioned, one active) and dispatchers' corrections (training data).

Imported at the bottom of linli/appeals/models.py so they belong to the appeals app and its migrations.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class RoutingModel(models.Model):
    """One trained version of the routing classifier. The pickled model lives in the database so it survives
    deploys and every process loads the same one; exactly one row is active, and activating an earlier row
    is the rollback."""

    version = models.PositiveIntegerField("版本", unique=True)
    created_at = models.DateTimeField("训练时间", auto_now_add=True)
    algorithm = models.CharField("算法", max_length=30)
    metrics = models.JSONField("留出集评估", default=dict, blank=True)
    trained_on = models.JSONField("训练数据量", default=dict, blank=True)
    is_active = models.BooleanField("启用", default=False)
    artifact = models.BinaryField("模型数据")

    class Meta:
        app_label = "appeals"
        verbose_name = "分派模型"
        verbose_name_plural = "分派模型"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="routing_one_active_model")
        ]

    def __str__(self):
        return f"分派模型 v{self.version}" + ("（启用中）" if self.is_active else "")


class RoutingCorrection(models.Model):
    """A dispatcher chose another unit than the suggested one: the text with the chosen unit becomes a
    training example at the next retrain. Unit codes are kept as text, not foreign keys, so a correction
    outlives a renamed or retired unit and a community's own new unit can be learnt."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.CASCADE, related_name="+", verbose_name="社区", null=True, blank=True
    )
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="诉求"
    )
    text = models.TextField("诉求内容")
    suggested = models.CharField("建议单位代码", max_length=30, blank=True)
    chosen = models.CharField("选定单位代码", max_length=30)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        app_label = "appeals"
        verbose_name = "分派纠正"
        verbose_name_plural = "分派纠正"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.suggested or '-'} → {self.chosen}"
