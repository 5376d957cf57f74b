"""Hearing residents on a matter, in the three ways the communities use (民事民议):

- 集中议: a Meeting (议事会、恳谈会、居民代表会议、民情理事会) with its participants (residents from the registry or
  named guests), minutes, decisions and scanned pages or photos (linli.attachments);
- 当面议: a Questionnaire of a few questions that grid workers ask door to door, one DoorAnswer per household
  (unique in the database; the last visit wins) and every visit kept as a DoorVisit;
- 座谈议: a TableTalk, a short record of a table set up at a building: who came and what they said.

Every change goes through linli.deliberation.services_hearings (actor + change record).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from linli.deliberation import querysets_hearings as qs
from linli.deliberation.choices_hearings import DoorOutcome, MeetingKind, QuestionKind, QuestionnaireStatus

__all__ = ["DoorAnswer", "DoorVisit", "Meeting", "MeetingParticipant", "Question", "Questionnaire", "TableTalk"]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Meeting(models.Model):
    """集中议: a residents' meeting on a matter, scheduled (participants are told) and then minuted."""

    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="meetings", verbose_name="议题"
    )
    kind = models.CharField("会议类型", max_length=16, choices=MeetingKind.choices, default=MeetingKind.COUNCIL)
    held_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=100)
    attendance = models.PositiveIntegerField("到会人数", null=True, blank=True, help_text="开完会再填。")
    minutes = models.TextField("会议纪要", blank=True)
    decisions = models.TextField("议定事项", blank=True, help_text="每行一条。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = qs.HearingQuerySet.as_manager()

    audit_fields = ["matter", "kind", "held_at", "place", "attendance", "minutes", "decisions"]

    class Meta:
        verbose_name = verbose_name_plural = "议事会议"
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["matter", "held_at"], name="meeting_matter_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.held_at:%Y-%m-%d}）" if self.held_at else self.get_kind_display()

    def get_absolute_url(self):
        return reverse("deliberation:meeting_detail", args=[self.pk])

    @property
    def decision_list(self) -> list[str]:
        return _lines(self.decisions)

    def audit_extra(self) -> dict:
        if not self.pk:
            return {}
        return {"参会人": [str(p) for p in self.participants.all()]}


class MeetingParticipant(models.Model):
    """Someone invited to a meeting: a resident from the registry, or a named guest (a 驻区单位, the property
    company, a deputy) with their role or organisation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name="会议")
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings_attended",
        verbose_name="居民",
    )
    name = models.CharField("姓名", max_length=64)
    role = models.CharField("身份/单位", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "参会人"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "resident"],
                condition=models.Q(resident__isnull=False),
                name="meeting_participant_once",
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.role}）" if self.role else self.name


class Questionnaire(models.Model):
    """当面议: a few questions asked door to door, over the households in the matter's scope."""

    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="questionnaires", verbose_name="议题"
    )
    title = models.CharField("问卷标题", max_length=100)
    intro = models.TextField("开场说明", blank=True, help_text="入户时先念给居民听的话。")
    status = models.CharField(
        "状态", max_length=8, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = qs.QuestionnaireQuerySet.as_manager()

    audit_fields = ["matter", "title", "intro", "status"]

    class Meta:
        verbose_name = verbose_name_plural = "入户问卷"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("deliberation:questionnaire_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == QuestionnaireStatus.OPEN

    def audit_extra(self) -> dict:
        if not self.pk:
            return {}
        return {"问题": [f"{q.order}. {q.text}" for q in self.questions.all()]}


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", verbose_name="问卷"
    )
    order = models.PositiveSmallIntegerField("序号")
    text = models.CharField("问题", max_length=200)
    kind = models.CharField("题型", max_length=8, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    options = models.TextField("选项", blank=True, help_text="单选题每行一个选项。")

    class Meta:
        verbose_name = verbose_name_plural = "问题"
        ordering = ["questionnaire_id", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "order"], name="question_order_unique")]

    def __str__(self):
        return self.text

    @property
    def option_list(self) -> list[str]:
        return _lines(self.options)

    @property
    def key(self) -> str:
        """The key of this question's answer in DoorAnswer.answers (JSON object keys are strings)."""
        return str(self.pk)


class DoorAnswer(models.Model):
    """One household's current answer to a questionnaire: the last visit wins (its history is in DoorVisit).

    One row per household and questionnaire, enforced by the database, so that two grid workers at the same
    door (or a double tap) never count a household twice.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="answers", verbose_name="问卷"
    )
    household = models.ForeignKey("areas.Household", on_delete=models.PROTECT, related_name="+", verbose_name="户")
    outcome = models.CharField("结果", max_length=10, choices=DoorOutcome.choices)
    #: question id (as text) -> the chosen option or the short answer
    answers = models.JSONField("回答", default=dict, blank=True)
    respondent = models.ForeignKey(
        "residents.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="受访人"
    )
    visits = models.PositiveSmallIntegerField("上门次数", default=1)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="走访人"
    )
    visited_at = models.DateTimeField("走访时间")

    objects = qs.DoorAnswerQuerySet.as_manager()

    audit_fields = ["questionnaire", "household", "outcome", "answers", "respondent"]

    class Meta:
        verbose_name = verbose_name_plural = "入户回答"
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "household"],
                name="door_answer_one_per_household",
                violation_error_message="这一户已经有回答了。",
            )
        ]
        indexes = [models.Index(fields=["questionnaire", "outcome"], name="door_answer_outcome_idx")]

    def __str__(self):
        return f"{self.household}：{self.get_outcome_display()}"


class DoorVisit(models.Model):
    """Every knock at a door for a questionnaire, as it was recorded (DoorAnswer keeps only the latest)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+", verbose_name="问卷")
    household = models.ForeignKey("areas.Household", on_delete=models.PROTECT, related_name="+", verbose_name="户")
    outcome = models.CharField("结果", max_length=10, choices=DoorOutcome.choices)
    answers = models.JSONField("回答", default=dict, blank=True)
    respondent = models.ForeignKey(
        "residents.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="受访人"
    )
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="走访人"
    )
    visited_at = models.DateTimeField("走访时间")

    objects = qs.DoorAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "入户记录"
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["questionnaire", "household"], name="door_visit_household_idx")]

    def __str__(self):
        return f"{self.household}：{self.get_outcome_display()}"


class TableTalk(models.Model):
    """座谈议: a table set up at a building; how many came, who (optional) and what they said."""

    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="table_talks", verbose_name="议题"
    )
    building = models.ForeignKey("areas.Building", on_delete=models.PROTECT, related_name="+", verbose_name="楼栋")
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=100, blank=True, help_text="如“3栋楼下”。")
    attendance = models.PositiveIntegerField("来了多少人")
    residents = models.ManyToManyField(
        "residents.Resident", blank=True, related_name="+", verbose_name="来的居民", help_text="可不选。"
    )
    points = models.TextField("大家说了什么", help_text="每行一条意见。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = qs.HearingQuerySet.as_manager()

    audit_fields = ["matter", "building", "held_on", "place", "attendance", "points"]

    class Meta:
        verbose_name = verbose_name_plural = "楼栋座谈"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.building}座谈（{self.held_on:%Y-%m-%d}）" if self.held_on else "楼栋座谈"

    def get_absolute_url(self):
        return reverse("deliberation:talk_detail", args=[self.pk])

    @property
    def point_list(self) -> list[str]:
        return _lines(self.points)

    def audit_extra(self) -> dict:
        if not self.pk:
            return {}
        return {"来的居民": [r.name for r in self.residents.all()]}
