"""表决: one vote per household on a deliberation matter (linli.deliberation.Matter).

A vote is drafted, opened (its list of eligible households is fixed that day: EligibleHousehold, with the
building and floor area as they were), takes ballots (one per household, UNIQUE in the database; a second ballot
replaces the first and the replacement is kept in BallotChange and the change log) and is closed (the result is
frozen in Vote.result; the database refuses ballots of a closed vote, see migration 0002). Opening moves the
matter to 表决中; closing publishes the result as the matter's Publication (公示, Vote.publication) with the
counts in its tables. BuildingTally keeps the live counts per building, updated in the ballot's own transaction,
so the live result page reads a few rows instead of counting every ballot; linli.votes.tally checks it against a
recount in the tests.

State changes go through linli.votes.services.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from linli.votes import querysets
from linli.votes.choices import Channel, Choice, VoteRule, VoteStatus

DAYS_RANGE = "公示天数应在1到60天之间。"


class Vote(models.Model):
    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.PROTECT, related_name="votes", verbose_name="议题"
    )
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="votes", verbose_name="社区", editable=False
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    title = models.CharField("表决事项", max_length=100, help_text="如“是否同意3栋加装电梯”。")
    proposal = models.TextField("方案说明", blank=True, help_text="表决的方案：费用、分摊办法、施工时间等。")
    rule = models.CharField("通过规则", max_length=16, choices=VoteRule.choices, default=VoteRule.ORDINARY)
    weigh_by_area = models.BooleanField(
        "同时按建筑面积计算", default=False, help_text="按《民法典》第278条，户数和专有部分面积都要达到比例。"
    )
    secret = models.BooleanField(
        "无记名表决", default=True, help_text="无记名表决时，任何人都看不到谁投了什么，只能看到谁已经投票。"
    )
    status = models.CharField("状态", max_length=8, choices=VoteStatus.choices, default=VoteStatus.DRAFT)
    closes_at = models.DateTimeField("截止时间", null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField(
        "公示天数",
        default=7,
        validators=[MinValueValidator(1, DAYS_RANGE), MaxValueValidator(60, DAYS_RANGE)],
        help_text="结束后结果在社区公示栏公示的天数（1到60天）。",
    )
    opens_at = models.DateTimeField("开始时间", null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    result = models.JSONField("表决结果", null=True, blank=True, editable=False)
    publication = models.OneToOneField(
        "deliberation.Publication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vote",
        verbose_name="结果公示",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = querysets.VoteQuerySet.as_manager()

    audit_fields = ["matter", "title", "proposal", "rule", "weigh_by_area", "secret", "status", "closes_at"]

    class Meta:
        verbose_name = verbose_name_plural = "表决"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="vote_community_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=VoteStatus.CLOSED) | models.Q(result__isnull=False),
                name="vote_closed_has_result",
                violation_error_message="结束的表决必须保存结果。",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.community_id = self.matter.community_id
        self.street_id = self.matter.street_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("votes:vote_detail", args=[self.pk])


class EligibleHousehold(models.Model):
    """A household on the vote's list, fixed when the vote opened (moving out later changes nothing)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="eligible", verbose_name="表决")
    household = models.ForeignKey("areas.Household", on_delete=models.PROTECT, related_name="+", verbose_name="户")
    building = models.ForeignKey("areas.Building", on_delete=models.PROTECT, related_name="+", verbose_name="楼栋")
    floor_area = models.DecimalField("建筑面积（㎡）", max_digits=8, decimal_places=2, null=True, blank=True)

    objects = querysets.EligibleHouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "有表决权的户"
        ordering = ["building_id", "household_id"]
        constraints = [models.UniqueConstraint(fields=["vote", "household"], name="eligible_once_per_vote")]

    def __str__(self):
        return str(self.household)


class BuildingTally(models.Model):
    """Live counts of one building in one vote, changed in the ballot's transaction (the result page reads these)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="building_tallies")
    building = models.ForeignKey("areas.Building", on_delete=models.PROTECT, related_name="+", verbose_name="楼栋")
    eligible = models.PositiveIntegerField(default=0)
    eligible_area = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    without_area = models.PositiveIntegerField(default=0)
    yes = models.IntegerField(default=0)
    no = models.IntegerField(default=0)
    abstain = models.IntegerField(default=0)
    yes_area = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    no_area = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    abstain_area = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    objects = querysets.BuildingTallyQuerySet.as_manager()

    class Meta:
        ordering = ["building__number", "building_id"]
        constraints = [models.UniqueConstraint(fields=["vote", "building"], name="tally_once_per_building")]

    def __str__(self):
        return f"{self.vote_id}·{self.building_id}"


class Ballot(models.Model):
    """A household's ballot: one per vote and household (the database refuses a second row)."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots", verbose_name="表决")
    household = models.ForeignKey("areas.Household", on_delete=models.PROTECT, related_name="+", verbose_name="户")
    choice = models.CharField("表决意见", max_length=8, choices=Choice.choices)
    representative = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="+", verbose_name="投票代表"
    )
    channel = models.CharField("方式", max_length=8, choices=Channel.choices)
    paper_number = models.CharField("表决票编号", max_length=32, blank=True)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="录入人"
    )
    cast_at = models.DateTimeField("投票时间")
    changes = models.PositiveSmallIntegerField("更改次数", default=0)

    objects = querysets.BallotQuerySet.as_manager()

    audit_fields = ["vote", "household", "choice", "representative", "channel", "paper_number"]

    class Meta:
        verbose_name = verbose_name_plural = "表决票"
        ordering = ["household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "household"],
                name="ballot_one_per_household",
                violation_error_message="这一户已经投过票了。",
            ),
            models.UniqueConstraint(
                fields=["vote", "paper_number"],
                condition=~models.Q(paper_number=""),
                name="ballot_paper_number_once",
                violation_error_message="这个编号的表决票已经录入过了。",
            ),
        ]

    def __str__(self):
        return f"{self.vote} · {self.household}"


class BallotChange(models.Model):
    """A ballot replaced by a later one of the same household: what it was, what it became, who and when."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="history")
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="+")
    old_choice = models.CharField("原意见", max_length=8, choices=Choice.choices)
    new_choice = models.CharField("新意见", max_length=8, choices=Choice.choices)
    old_channel = models.CharField("原方式", max_length=8, choices=Channel.choices)
    new_channel = models.CharField("新方式", max_length=8, choices=Channel.choices)
    old_paper_number = models.CharField("原编号", max_length=32, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_by_label = models.CharField(max_length=64, blank=True)
    changed_at = models.DateTimeField("更改时间", auto_now_add=True)

    objects = querysets.BallotChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.ballot_id}: {self.old_choice} → {self.new_choice}"
