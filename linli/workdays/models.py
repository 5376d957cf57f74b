"""The administrators' holiday table (节假日设置)."""

from django.conf import settings
from django.db import models


class HolidayOverride(models.Model):
    """One day whose status the administrators set by hand: a day off, or a makeup workday (调休上班).

    It is consulted before the chinese-calendar package, so an entry here wins over the package for
    that date: it fills in years the package does not know yet (the State Council publishes next
    year's schedule each autumn, often before the package is upgraded) and corrects it if ever needed.
    """

    date = models.DateField("日期", unique=True, error_messages={"unique": "该日期已设置。"})
    is_workday = models.BooleanField(
        "类型",
        choices=[(False, "放假"), (True, "调休上班")],
        default=False,
        help_text="放假：当天不计入工作日；调休上班：周末但需上班，计入工作日。",
    )
    name = models.CharField("名称", max_length=32, help_text="如：春节、国庆节")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="设置人",
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    audit_fields = ["date", "is_workday", "name"]

    class Meta:
        verbose_name = verbose_name_plural = "节假日设置"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}（{'调休上班' if self.is_workday else '放假'}）"
