"""Every change to votes and ballots, each with an actor and a change record.

Casting (cast_ballot) is one transaction that locks, in this order, the household's row on the vote's list
(EligibleHousehold: two ballots of one household queue here, so the household ends with exactly one ballot) and
its building's counter (BuildingTally), then reads the vote's status afresh. close_vote locks the vote and every
counter of the vote before it reads the ballots: a ballot is either in before the close, or refused after it.
The database has the last word twice: UNIQUE (vote, household) and UNIQUE (vote, paper number), and a trigger
(migration 0002) refusing any ballot row written for a closed vote.

A vote follows its matter's life through linli.deliberation.services, with the same actor: opening moves the
matter to 表决中 (move_matter), closing publishes the result as the matter's 公示 (publish: the matter goes to
公示中, objections are recorded on the publication's page). The locks go vote → counters → matter, never back.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from linli.accounts.choices import Role
from linli.accounts.models import User
from linli.areas.models import Household
from linli.areas.scope import communities_for
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.services import full_clean
from linli.deliberation import services as matters
from linli.deliberation.choices import MatterStatus
from linli.notifications.choices import Kind
from linli.notifications.services import notify
from linli.residents.models import Resident
from linli.votes.choices import Channel, Choice, VoteStatus
from linli.votes.models import Ballot, BallotChange, BuildingTally, EligibleHousehold, Vote
from linli.votes.tally import BuildingRow, Counts, Tally, decide

NOT_DRAFT = "这个表决{status}，不能再修改或开始。"
NOT_OPEN = "这个表决{status}，不能投票。"
NOT_OPEN_CLOSE = "这个表决{status}，不能结束。"
PAST_DEADLINE = "这个表决已经过了截止时间，不能再投票。"
NOT_ELIGIBLE = "{household}不在这次表决的名单里（名单在表决开始时确定）。"
NOT_MEMBER = "{name}不是{household}的成员，请选择这一户登记的家庭成员作为投票代表。"
CHOOSE_REPRESENTATIVE = "请选择投票的家庭代表。"
PAPER_NUMBER = "纸质表决票请填写票面编号。"
PAPER_ELSEWHERE = "编号{number}的表决票已经录入为{household}的票，请核对票面编号。"
PAPER_DIFFERS = "编号{number}的表决票已经录入过，但这次录入的内容不同，请核对原票。"
NO_HOUSEHOLDS = "这个议题的范围里没有户，不能开始表决。"
NOT_YOUR_HOUSEHOLD = "只能为本人所在的户投票。"
NOT_YOUR_GRID = "只能在您负责的网格上门收票。"
BAD_CHOICE = "请选择同意、不同意或弃权。"
MATTER_NOT_ACCEPTED = "议题“{matter}”还没有受理，请先受理议题再开始表决。"
MATTER_FINISHED = "议题“{matter}”{status}，不能再开始表决。"


def _now():
    return timezone.now()


def _refuse_perm():
    raise PermissionDenied("您的角色没有这项权限。")


def _has(user, perm: str) -> bool:
    return bool(user.is_superuser or user.has_role_perm(perm))


def _check_vote(vote: Vote, actor: Actor, action: str) -> None:
    """The acting user may `action` (manage, door, view) this vote's community."""
    user = actor.user
    if user is None:
        return
    if not _has(user, f"vote.{action}"):
        _refuse_perm()
    if not Vote.objects.restrict(user, action).filter(pk=vote.pk).exists():
        raise Http404("不在您的管辖范围内。")


def _record(instance, action, before, after, actor: Actor, note: str = ""):
    audit.record(instance, action, before, after, actor, note)


def vote_communities(user):
    return communities_for(user, "vote.manage")


# --------------------------------------------------------------------------- votes

VOTE_FIELDS = ("title", "proposal", "rule", "weigh_by_area", "secret", "closes_at", "publicity_days")


@transaction.atomic
def create_vote(*, actor: Actor, matter, **fields) -> Vote:
    """A draft vote on a matter (vote.manage over the matter's community)."""
    user = actor.user
    if user is not None:
        if not _has(user, "vote.manage"):
            _refuse_perm()
        if not vote_communities(user).filter(pk=matter.community_id).exists():
            raise Http404("不在您的管辖范围内。")
    vote = Vote(matter=matter, created_by=actor.account)
    for name, value in fields.items():
        if name not in VOTE_FIELDS:
            raise TypeError(f"unknown vote field {name}")
        setattr(vote, name, value.strip() if isinstance(value, str) else value)
    if vote.closes_at is not None and vote.closes_at <= _now():
        raise ValidationError({"closes_at": "截止时间应晚于现在。"})
    full_clean(vote, exclude=["community", "street", "created_by", "opened_by", "closed_by"])
    vote.save()
    _record(vote, ChangeAction.CREATE, None, audit.snapshot(vote), actor)
    return vote


def _locked(vote: Vote) -> Vote:
    # NO KEY UPDATE: a ballot's insert takes KEY SHARE on its vote (the foreign key check); a plain FOR UPDATE here
    # would wait for casts that wait for this transaction's counters (a deadlock, found by test_concurrency).
    return (
        Vote.objects.select_for_update(of=("self",), no_key=True).select_related("matter", "community").get(pk=vote.pk)
    )


@transaction.atomic
def open_vote(vote: Vote, *, actor: Actor) -> Vote:
    """Fix the list of eligible households (the matter's households in scope today, with their building and area)
    and tell the residents with an account in those households."""
    vote = _locked(vote)
    _check_vote(vote, actor, "manage")
    if vote.status != VoteStatus.DRAFT:
        raise ValidationError(NOT_DRAFT.format(status=vote.get_status_display()))
    _matter_to_voting(vote, actor)
    before = audit.snapshot(vote)
    households = list(vote.matter.households_in_scope().order_by().values_list("pk", "building_id", "floor_area"))
    if not households:
        raise ValidationError(NO_HOUSEHOLDS)
    EligibleHousehold.objects.bulk_create(
        [EligibleHousehold(vote=vote, household_id=h, building_id=b, floor_area=a) for h, b, a in households],
        batch_size=2000,
    )
    per_building: dict[int, BuildingTally] = {}
    for _, building_id, area in households:
        row = per_building.setdefault(building_id, BuildingTally(vote=vote, building_id=building_id))
        row.eligible += 1
        row.eligible_area += area or Decimal("0")
        row.without_area += area is None
    BuildingTally.objects.bulk_create(per_building.values())
    vote.status = VoteStatus.OPEN
    vote.opens_at = _now()
    vote.opened_by = actor.account
    vote.save()
    _record(
        vote, ChangeAction.UPDATE, before, audit.snapshot(vote), actor, note=f"开始表决，{len(households)}户有表决权"
    )
    residents = User.objects.filter(
        role=Role.RESIDENT, is_active=True, resident__household_id__in=[h for h, _, _ in households]
    )
    notify(
        residents,
        kind=Kind.SYSTEM,
        title=f"你所在楼栋有表决：{vote.title}",
        body="请以户为单位投票（每户一票），可以在手机上投，也可以交纸质表决票或由网格员上门收票。",
        url=f"/votes/{vote.pk}/cast/",
        key=f"vote-open:{vote.pk}",
    )
    return vote


def _matter_to_voting(vote: Vote, actor: Actor) -> None:
    """The vote's matter goes to 表决中 (a change record on the matter's timeline, by the same actor). A matter not
    yet accepted, done or declined takes no vote; one already 表决中 (a second vote on it) stays."""
    matter = vote.matter
    matter.refresh_from_db(fields=["status"])
    if matter.status == MatterStatus.VOTING:
        return
    if matter.status == MatterStatus.PROPOSED:
        raise ValidationError(MATTER_NOT_ACCEPTED.format(matter=matter.title))
    if matter.status in (MatterStatus.DONE, MatterStatus.DECLINED):
        raise ValidationError(MATTER_FINISHED.format(matter=matter.title, status=matter.get_status_display()))
    matters.move_matter(matter, actor=actor, status=MatterStatus.VOTING, note=f"开始表决：{vote.title}"[:200])


# --------------------------------------------------------------------------- ballots


def _check_caster(vote: Vote, eligible: EligibleHousehold, actor: Actor, channel: str, representative) -> None:
    user = actor.user
    if user is None:
        return
    if channel == Channel.PHONE:
        if not _has(user, "vote.cast_self"):
            _refuse_perm()
        resident = getattr(user, "resident", None)
        if resident is None or resident.household_id != eligible.household_id:
            raise PermissionDenied(NOT_YOUR_HOUSEHOLD)
        if representative.pk != resident.pk:
            raise PermissionDenied(NOT_YOUR_HOUSEHOLD)
    elif channel == Channel.DOOR:
        if not _has(user, "vote.door"):
            _refuse_perm()
        if not EligibleHousehold.objects.restrict(user, "door").filter(pk=eligible.pk).exists():
            raise Http404(NOT_YOUR_GRID)
    elif channel == Channel.PAPER:
        _check_vote(vote, actor, "manage")
    else:
        raise ValidationError({"channel": "请选择投票方式。"})


def _bump(tally_id: int, choice: str, area: Decimal, sign: int) -> None:
    field = {Choice.FOR: "yes", Choice.AGAINST: "no", Choice.ABSTAIN: "abstain"}[choice]
    BuildingTally.objects.filter(pk=tally_id).update(
        **{field: F(field) + sign, f"{field}_area": F(f"{field}_area") + sign * area}
    )


@transaction.atomic
def cast_ballot(
    actor: Actor,
    vote: Vote,
    household: Household,
    choice: str,
    representative: Resident | None,
    channel: str,
    paper_number: str | None = None,
) -> Ballot:
    """The household's ballot: a first one is created, a later one replaces it (kept in BallotChange and the
    change log); the same paper ballot entered twice counts once. Refused after closing, for a household not on
    the list, or with a representative who is not of the household."""
    if choice not in Choice.values:
        raise ValidationError({"choice": BAD_CHOICE})
    paper_number = (paper_number or "").strip()
    if channel == Channel.PAPER and not paper_number:
        raise ValidationError({"paper_number": PAPER_NUMBER})
    if channel != Channel.PAPER:
        paper_number = ""
    eligible = (
        EligibleHousehold.objects.select_for_update(of=("self",))
        .select_related("household__building")
        .filter(vote_id=vote.pk, household_id=household.pk)
        .first()
    )
    if eligible is None:
        if channel != Channel.PHONE:
            _check_vote(vote, actor, "view")  # another community's vote is a 404, not a word on its list
        raise ValidationError({"household": NOT_ELIGIBLE.format(household=household)})
    if representative is None:
        raise ValidationError({"representative": CHOOSE_REPRESENTATIVE})
    _check_caster(vote, eligible, actor, channel, representative)
    if representative.household_id != household.pk:
        raise ValidationError({"representative": NOT_MEMBER.format(name=representative.name, household=household)})
    counter = BuildingTally.objects.select_for_update().get(vote_id=vote.pk, building_id=eligible.building_id)
    # Read after the counter's lock: a close that went first is seen here (close_vote locks every counter).
    status, closes_at = Vote.objects.filter(pk=vote.pk).values_list("status", "closes_at").get()
    if status != VoteStatus.OPEN:
        raise ValidationError(NOT_OPEN.format(status=VoteStatus(status).label))
    if closes_at is not None and _now() > closes_at:
        raise ValidationError(PAST_DEADLINE)
    if paper_number:
        other = (
            Ballot.objects.filter(vote_id=vote.pk, paper_number=paper_number)
            .exclude(household_id=household.pk)
            .select_related("household__building")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {"paper_number": PAPER_ELSEWHERE.format(number=paper_number, household=other.household)}
            )
    area = eligible.floor_area or Decimal("0")
    ballot = Ballot.objects.filter(vote_id=vote.pk, household_id=household.pk).first()
    if ballot is None:
        ballot = Ballot(
            vote_id=vote.pk,
            household=household,
            choice=choice,
            representative=representative,
            channel=channel,
            paper_number=paper_number,
            cast_by=actor.account,
            cast_at=_now(),
        )
        try:
            with transaction.atomic():
                ballot.save()
        except IntegrityError:
            # Only a paper number taken by another household's ballot gets here (the household row is locked).
            raise ValidationError({"paper_number": PAPER_DIFFERS.format(number=paper_number)})
        _bump(counter.pk, choice, area, +1)
        _record(ballot, ChangeAction.CREATE, None, audit.snapshot(ballot), actor, note="投票")
        return ballot
    if paper_number and ballot.paper_number == paper_number:
        if (ballot.choice, ballot.representative_id) == (choice, representative.pk):
            return ballot  # the same paper ballot entered again: it counts once
        raise ValidationError({"paper_number": PAPER_DIFFERS.format(number=paper_number)})
    before = audit.snapshot(ballot)
    BallotChange.objects.create(
        ballot=ballot,
        vote_id=vote.pk,
        old_choice=ballot.choice,
        new_choice=choice,
        old_channel=ballot.channel,
        new_channel=channel,
        old_paper_number=ballot.paper_number,
        changed_by=actor.account,
        changed_by_label=(actor.label or str(actor.account or ""))[:64],
    )
    _bump(counter.pk, ballot.choice, area, -1)
    _bump(counter.pk, choice, area, +1)
    ballot.choice, ballot.representative, ballot.channel = choice, representative, channel
    ballot.paper_number, ballot.cast_by, ballot.cast_at = paper_number, actor.account, _now()
    ballot.changes += 1
    try:
        with transaction.atomic():
            ballot.save()
    except IntegrityError:
        raise ValidationError({"paper_number": PAPER_DIFFERS.format(number=paper_number)})
    _record(ballot, ChangeAction.UPDATE, before, audit.snapshot(ballot), actor, note="重新投票，以最后一次为准")
    return ballot


# --------------------------------------------------------------------------- closing and counting


@transaction.atomic
def close_vote(vote: Vote, *, actor: Actor) -> Vote:
    """End the vote and freeze its result (counted from the ballots themselves); nothing changes it afterwards."""
    vote = _locked(vote)
    _check_vote(vote, actor, "manage")
    if vote.status != VoteStatus.OPEN:
        raise ValidationError(NOT_OPEN_CLOSE.format(status=vote.get_status_display()))
    # Every counter of the vote, in one order (casts lock one each): a cast holding one finishes first, and any
    # later cast reads the vote closed.
    list(
        BuildingTally.objects.select_for_update(of=("self",))
        .filter(vote=vote)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    before = audit.snapshot(vote)
    result = recount(vote)
    vote.status = VoteStatus.CLOSED
    vote.closed_at = _now()
    vote.closed_by = actor.account
    vote.result = result.as_json()
    if vote.publication_id is None:  # closing happens once (the status check above); publishing too
        vote.publication = publish_result(vote, result, actor)
    vote.save()
    verdict = "通过" if result.passed else "未通过"
    _record(vote, ChangeAction.UPDATE, before, audit.snapshot(vote), actor, note=f"结束表决：{verdict}")
    households = EligibleHousehold.objects.filter(vote=vote).values("household_id")
    notify(
        User.objects.filter(role=Role.RESIDENT, is_active=True, resident__household_id__in=households),
        kind=Kind.SYSTEM,
        title=f"表决结果公示：{vote.title}（{verdict}）",
        body=f"公示{vote.publicity_days}天，各楼栋票数见公示，不公开任何一户的意见。",
        url=f"/votes/public/{vote.pk}/",
        key=f"vote-closed:{vote.pk}",
    )
    return vote


# --------------------------------------------------------------------------- publishing the result (公示)

PUBLIC_BODY = (
    "{subject}已经结束，结果：{verdict}。\n"
    "通过规则：{rule}。各楼栋的投票情况和每项通过条件的计算见下表。本公示只列票数，不公开任何一户的表决意见。"
)


def _days(vote: Vote) -> int:
    """The publicity period: the vote's own, within what a publication allows (1–60 days)."""
    return min(max(int(vote.publicity_days or 7), 1), 60)


def result_tables(result: Tally) -> dict:
    """The counts a publication shows ({"tables": [...]}, see deliberation.Publication.snapshot): turnout and
    choices by building, each threshold with its arithmetic, and the floor areas when they count. Numbers only,
    never a household or who voted how."""
    c = result.counts
    buildings = [[b.building, b.eligible, b.participating, b.turnout, b.yes, b.no, b.abstain] for b in result.buildings]
    buildings.append(["合计", c.eligible, c.participating, result.turnout, c.yes, c.no, c.abstain])
    thresholds = []
    for t in result.thresholds:
        arithmetic = f"{t.part} ÷ {t.whole}" + (" （分母为0，无法计算）" if t.ratio == "—" else f" = {t.ratio}")
        thresholds.append([t.label, arithmetic, f"{t.op} {t.required}", "达到" if t.met else "未达到"])
    tables = [
        {
            "title": "各楼栋投票情况（户）",
            "columns": ["楼栋", "有表决权", "已投票", "参与率", "同意", "不同意", "弃权"],
            "rows": buildings,
        },
        {"title": "通过条件", "columns": ["条件", "计算", "要求", "结果"], "rows": thresholds},
    ]
    if result.weigh_by_area:
        tables.append(
            {
                "title": "建筑面积（㎡）",
                "columns": ["有表决权", "已投票", "同意", "不同意", "弃权", "未登记面积的户（按0㎡计）"],
                "rows": [
                    [
                        *(
                            str(Decimal(a).quantize(Decimal("0.01")))
                            for a in (c.eligible_area, c.participating_area, c.yes_area, c.no_area, c.abstain_area)
                        ),
                        c.without_area,
                    ]
                ],
            }
        )
    return {"tables": tables}


def publish_result(vote: Vote, result: Tally, actor: Actor):
    """The result on the community's public board (deliberation.services.publish: the matter goes to 公示中) for
    the vote's publicity days. The text names the vote and the verdict only, all counts are in the tables; a vote
    title the public wording check refuses (a name, a room) is published under a plain title instead. None for a
    matter that cannot be published (not accepted or declined)."""
    if vote.matter.status in (MatterStatus.PROPOSED, MatterStatus.DECLINED):
        return None  # only a vote opened before votes moved their matter: its result is frozen all the same
    verdict = "获得通过" if result.passed else "未获通过"
    rule = result.rule_label + ("，户数和建筑面积都要达到" if result.weigh_by_area else "")
    snapshot, days = result_tables(result), _days(vote)
    try:
        with transaction.atomic():
            return matters.publish(
                actor,
                vote.matter,
                f"表决结果公示：{vote.title}",
                PUBLIC_BODY.format(subject=f"“{vote.title}”的表决", verdict=verdict, rule=rule),
                days=days,
                snapshot=snapshot,
            )
    except ValidationError as exc:
        if "days" in getattr(exc, "error_dict", {}):
            raise
    return matters.publish(
        actor,
        vote.matter,
        "表决结果公示",
        PUBLIC_BODY.format(subject="本次表决", verdict=verdict, rule=rule),
        days=days,
        snapshot=snapshot,
    )


def _building_label(building) -> str:
    return building.name or f"{building.number}栋"


def tally(vote: Vote) -> Tally:
    """The vote's result: the frozen one once closed, else the live counters (a few rows per vote)."""
    if vote.status == VoteStatus.CLOSED and vote.result:
        return from_json(vote.result)
    counts, rows = Counts(), []
    for t in BuildingTally.objects.filter(vote_id=vote.pk).select_related("building"):
        part = Counts(
            eligible=t.eligible,
            yes=t.yes,
            no=t.no,
            abstain=t.abstain,
            eligible_area=t.eligible_area,
            yes_area=t.yes_area,
            no_area=t.no_area,
            abstain_area=t.abstain_area,
            without_area=t.without_area,
        )
        counts.add(part)
        rows.append(BuildingRow(_building_label(t.building), t.eligible, part.participating, t.yes, t.no, t.abstain))
    return decide(vote.rule, vote.weigh_by_area, counts, rows)


def recount(vote: Vote) -> Tally:
    """The result counted from the eligible list and the ballots themselves (what the counters must equal):
    plain rows and Python sums, on purpose independent of BuildingTally."""
    zero = Decimal("0")
    per: dict[int, Counts] = {}
    names: dict[int, str] = {}
    where: dict[int, tuple[int, Decimal]] = {}
    for household_id, building_id, name, number, area in (
        EligibleHousehold.objects.filter(vote_id=vote.pk)
        .order_by("building__number", "building_id", "household_id")
        .values_list("household_id", "building_id", "building__name", "building__number", "floor_area")
    ):
        names.setdefault(building_id, name or f"{number}栋")
        part = per.setdefault(building_id, Counts())
        part.eligible += 1
        part.eligible_area += area or zero
        part.without_area += area is None
        where[household_id] = (building_id, area or zero)
    field = {Choice.FOR: "yes", Choice.AGAINST: "no", Choice.ABSTAIN: "abstain"}
    for household_id, choice in Ballot.objects.filter(vote_id=vote.pk).values_list("household_id", "choice"):
        building_id, area = where[household_id]
        part = per[building_id]
        setattr(part, field[choice], getattr(part, field[choice]) + 1)
        setattr(part, f"{field[choice]}_area", getattr(part, f"{field[choice]}_area") + area)
    counts, rows = Counts(), []
    for building_id, part in per.items():
        counts.add(part)
        rows.append(BuildingRow(names[building_id], part.eligible, part.participating, part.yes, part.no, part.abstain))
    return decide(vote.rule, vote.weigh_by_area, counts, rows)


def from_json(data: dict) -> Tally:
    from linli.votes.tally import Threshold

    h, a = data["households"], data["area"]
    counts = Counts(
        eligible=h["eligible"],
        yes=h["for"],
        no=h["against"],
        abstain=h["abstain"],
        eligible_area=Decimal(a["eligible"]),
        yes_area=Decimal(a["for"]),
        no_area=Decimal(a["against"]),
        abstain_area=Decimal(a["abstain"]),
        without_area=a["households_without_area"],
    )
    thresholds = [Threshold(**{k: v for k, v in t.items() if k != "text"}) for t in data["thresholds"]]
    rows = [BuildingRow(**b) for b in data["buildings"]]
    return Tally(data["rule"], data["weigh_by_area"], counts, thresholds, data["passed"], rows)


def close_due_votes(now=None) -> list[Vote]:
    """Close every open vote whose deadline has passed (ballots after the deadline are refused already); each in
    its own transaction, so one refusal leaves the others closed."""
    now = now or _now()
    closed = []
    for vote in Vote.objects.filter(status=VoteStatus.OPEN, closes_at__lte=now).order_by("closes_at", "pk"):
        try:
            closed.append(close_vote(vote, actor=Actor.system("表决截止自动结束")))
        except ValidationError:
            continue  # closed meanwhile by hand
    return closed
