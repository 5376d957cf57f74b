"""Visit records (走访/敲门) and the alerts they raise.

The visit policy itself (interval, next due date) lives on Resident and is kept by
linli.visits.services.recompute_due_dates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from linli.visits import querysets
from linli.visits.choices import COMPLETED_OUTCOMES, AlertReason, Outcome, Wellbeing


class Visit(models.Model):
    """One visit (or attempt) to one resident by one worker on one day."""

    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="visits", verbose_name="居民"
    )
    visited_on = models.DateField("走访日期")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="走访人",
    )
    outcome = models.CharField("走访结果", max_length=12, choices=Outcome.choices)
    wellbeing = models.CharField("身心状况", max_length=12, choices=Wellbeing.choices, blank=True)
    findings = models.TextField("发现情况", blank=True)
    need = models.TextField("居民诉求", blank=True, help_text="走访中发现的需求，之后可转为诉求办理。")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    # Denormalised from the resident at the time of the visit, so that scope is one indexed lookup.
    street = models.ForeignKey(
        "areas.Street", on_delete=models.PROTECT, related_name="+", editable=False, verbose_name="街道"
    )
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="+", editable=False, verbose_name="社区"
    )
    grid = models.ForeignKey("areas.Grid", on_delete=models.PROTECT, related_name="+", null=True, editable=False)
    building = models.ForeignKey("areas.Building", on_delete=models.PROTECT, related_name="+", editable=False)

    objects = querysets.VisitQuerySet.as_manager()

    audit_fields = ["resident", "visited_on", "visitor", "outcome", "wellbeing", "findings", "need"]

    class Meta:
        verbose_name = verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["resident", "visited_on"], name="visit_resident_date_idx"),
            models.Index(fields=["grid", "visited_on"], name="visit_grid_date_idx"),
            models.Index(fields=["community", "visited_on"], name="visit_community_date_idx"),
            # 走访统计's week per worker for a street admin: without it, a scan of every visit (7 million).
            models.Index(fields=["street", "visited_on"], name="visit_street_date_idx"),
            # "Household known" and the last completed visit, read from the index alone.
            models.Index(
                fields=["resident", "visited_on"],
                name="visit_resident_done_idx",
                condition=models.Q(outcome__in=COMPLETED_OUTCOMES),
            ),
        ]

    def __str__(self):
        return f"{self.resident} {self.visited_on:%Y-%m-%d} {self.get_outcome_display()}"

    @property
    def completed(self) -> bool:
        from linli.visits.choices import COMPLETED_OUTCOMES

        return self.outcome in COMPLETED_OUTCOMES


class VisitAlert(models.Model):
    """Something a community secretary must look at: repeated misses, a resident long overdue, or an urgent
    finding on a visit (身心状况 紧急). An open urgent alert also puts the resident first on the grid worker's
    worklist until it is resolved."""

    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="visit_alerts", verbose_name="居民"
    )
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    reason = models.CharField("原因", max_length=16, choices=AlertReason.choices)
    # The visit that raised it (an urgent finding), so that the alert can say what was found.
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="走访记录"
    )
    resolved = models.BooleanField("已处理", default=False)

    objects = querysets.VisitAlertQuerySet.as_manager()

    audit_fields = ["resident", "reason", "resolved"]

    class Meta:
        verbose_name = verbose_name_plural = "走访提醒"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["resident", "resolved"], name="visitalert_resident_idx")]

    def __str__(self):
        return f"{self.resident}：{self.get_reason_display()}"


def _today():
    from django.utils import timezone

    return timezone.localdate()


class FieldNote(models.Model):
    """民情日记: a free note by date, like the paper diary a community secretary carries.

    Tags are kept as one delimited string (",独居,楼道,") so that one tag is an exact, portable
    `contains` lookup on SQLite and PostgreSQL alike. Street/community/grid are denormalised from the
    author's chosen grid, else the first linked building or resident, so that scope is one lookup.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人"
    )
    written_on = models.DateField("日期", default=_today)
    text = models.TextField("内容")
    tags = models.CharField("标签", max_length=200, blank=True, editable=False)
    residents = models.ManyToManyField(
        "residents.Resident", blank=True, related_name="field_notes", verbose_name="相关居民"
    )
    buildings = models.ManyToManyField("areas.Building", blank=True, related_name="+", verbose_name="相关楼栋")
    street = models.ForeignKey(
        "areas.Street", on_delete=models.PROTECT, related_name="+", editable=False, verbose_name="街道"
    )
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="+", editable=False, verbose_name="社区"
    )
    grid = models.ForeignKey(
        "areas.Grid", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name="网格"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = querysets.FieldNoteQuerySet.as_manager()

    audit_fields = ["written_on", "text", "community", "grid"]

    class Meta:
        verbose_name = verbose_name_plural = "民情日记"
        ordering = ["-written_on", "-id"]
        indexes = [
            models.Index(fields=["grid", "written_on"], name="fieldnote_grid_date_idx"),
            models.Index(fields=["community", "written_on"], name="fieldnote_community_date_idx"),
            models.Index(fields=["street", "written_on"], name="fieldnote_street_date_idx"),
        ]

    def __str__(self):
        first_line = (self.text or "").strip().splitlines()[0] if (self.text or "").strip() else ""
        return f"{self.written_on:%Y-%m-%d} {first_line[:30]}"

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @staticmethod
    def join_tags(tags) -> str:
        return f",{','.join(tags)}," if tags else ""

    def audit_extra(self) -> dict:
        return {
            "标签": self.tag_list,
            "相关居民": [r.name for r in self.residents.all()],
            "相关楼栋": [f"{b.community.name}{b.name}" for b in self.buildings.select_related("community")],
        }
