"""Every change to the hearings of a matter: meetings (集中议), door-to-door questionnaires (当面议) and building
table talks (座谈议).

Each service takes an `actor`, checks hearing.add and the matter's scope inside its transaction (a CLI or system
actor may act anywhere), validates with Chinese messages keyed by field (nothing is written on a refusal) and
appends a change record (linli.core.audit).

Door-to-door answers: one DoorAnswer per household and questionnaire (a unique constraint); the last visit wins,
and every visit is kept as a DoorVisit. Two people recording the same door at the same moment: the first is kept,
the second is told in Chinese to look again (the IntegrityError of the constraint, never a 500).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import Building, Household
from linli.attachments.services import attach_photos, prepare_photos
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.deliberation.choices import MatterScope, MatterStatus
from linli.deliberation.choices_hearings import DoorOutcome, QuestionKind, QuestionnaireStatus
from linli.deliberation.models import Matter
from linli.deliberation.models_hearings import (
    DoorAnswer,
    DoorVisit,
    Meeting,
    MeetingParticipant,
    Question,
    Questionnaire,
    TableTalk,
)
from linli.notifications.choices import Kind
from linli.notifications.services import notify
from linli.residents.models import Resident

MATTER_FINISHED = "这个议题{status}，不能再登记听取意见的记录。"
REQUIRED = "请填写{label}。"
RESIDENT_ELSEWHERE = "{name}不是本社区的居民，不能选。"
GUEST_NAME = "第{n}位列席人员请填写姓名。"
TOO_MANY_GUESTS = "列席人员最多{max}位。"
TOO_MANY_PARTICIPANTS = "参会居民最多{max}位。"
ATTENDANCE = "到会人数不能小于0。"
NO_QUESTIONS = "请至少填写一个问题。"
TOO_MANY_QUESTIONS = "一份问卷最多{max}个问题，入户时问得越少越好。"
FEW_OPTIONS = "第{n}题是单选题，请至少写两个选项（每行一个）。"
SAME_OPTIONS = "第{n}题有重复的选项。"
HAS_ANSWERS = "已经有住户回答了，问题不能再改。"
CLOSED = "问卷已结束，不能再登记。"
NOT_IN_MATTER = "这一户不在这个议题的范围内。"
CHOOSE_OPTION = "请选择。"
BAD_OPTION = "这个选项不在问卷里，请重新选择。"
TEXT_TOO_LONG = "回答不能超过{max}个字。"
NOT_IN_HOUSEHOLD = "受访人不是这一户的居民。"
BAD_OUTCOME = "请选择“已回答”或“不在家”。"
RACED = "这一户刚刚已由其他人登记了，请看看现在的记录，需要时再登记一次。"
BUILDING_ELSEWHERE = "这栋楼不在这个议题的范围内。"
ATTENDANCE_REQUIRED = "请填写来了多少人。"
POINTS_REQUIRED = "请写下大家说了什么（每行一条）。"

MAX_GUESTS = 30
MAX_PARTICIPANTS = 200
MAX_QUESTIONS = 10
MAX_TEXT_ANSWER = 200


# --------------------------------------------------------------------------- scope


def _require(actor: Actor, perm: str) -> None:
    user = actor.user
    if user is not None and not (user.is_superuser or user.has_role_perm(perm)):
        raise PermissionDenied("您的角色没有这项权限。")


def _check_matter(matter: Matter, actor: Actor) -> Matter:
    """hearing.add, and the matter in the actor's scope (404 outside it); the matter row is locked."""
    _require(actor, "hearing.add")
    user = actor.user
    if user is not None and not Matter.objects.restrict(user, "view").filter(pk=matter.pk).exists():
        raise Http404("不在您的管辖范围内。")
    matter = Matter.objects.select_for_update(of=("self",)).select_related("community").get(pk=matter.pk)
    if matter.status in (MatterStatus.DONE, MatterStatus.DECLINED):
        raise ValidationError(MATTER_FINISHED.format(status=matter.get_status_display()))
    return matter


def _check_row(model, obj, actor: Actor):
    """The hearing row locked, after checking the actor may record hearings on its matter."""
    _require(actor, "hearing.add")
    user = actor.user
    if user is not None and not model.objects.restrict(user, "add").filter(pk=obj.pk).exists():
        raise Http404("不在您的管辖范围内。")
    return model.objects.select_for_update(of=("self",)).select_related("matter").get(pk=obj.pk)


def can_record(user, matter: Matter) -> bool:
    """May `user` record hearings on `matter` (hearing.add in its scope)?"""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_role_perm("hearing.add"))
        and Matter.objects.restrict(user, "view").filter(pk=matter.pk).exists()
    )


def _visible_residents(actor: Actor, community_id: int):
    qs = Resident.objects.filter(community_id=community_id)
    return qs.restrict(actor.user, "view") if actor.user is not None else qs


def _residents(actor: Actor, matter: Matter, residents) -> list[Resident]:
    residents = list(residents or ())
    ids = {r.pk for r in residents}
    found = set(_visible_residents(actor, matter.community_id).filter(pk__in=ids).values_list("pk", flat=True))
    for r in residents:
        if r.pk not in found:
            raise ValidationError({"residents": RESIDENT_ELSEWHERE.format(name=r.name)})
    return residents


def _unseen(actor: Actor, matter: Matter, current) -> list[Resident]:
    """Residents already on a record whom the actor cannot see (another grid's): an edit form never showed them,
    so its answer keeps them."""
    current = [r for r in current if r is not None]
    seen = set(
        _visible_residents(actor, matter.community_id)
        .filter(pk__in=[r.pk for r in current])
        .values_list("pk", flat=True)
    )
    return [r for r in current if r.pk not in seen]


def _created(obj, actor: Actor, note: str = "") -> None:
    audit.record(obj, ChangeAction.CREATE, None, audit.snapshot(obj), actor, note)


# --------------------------------------------------------------------------- meetings (集中议)


@dataclass
class Guest:
    name: str
    role: str = ""


def _meeting_fields(fields: dict) -> dict:
    errors = {}
    place = (fields.get("place") or "").strip()
    if not place:
        errors["place"] = REQUIRED.format(label="地点")
    if not fields.get("held_at"):
        errors["held_at"] = REQUIRED.format(label="时间")
    attendance = fields.get("attendance")
    if attendance is not None and attendance < 0:
        errors["attendance"] = ATTENDANCE
    if errors:
        raise ValidationError(errors)
    return {
        "kind": fields["kind"],
        "held_at": fields["held_at"],
        "place": place,
        "attendance": attendance,
        "minutes": (fields.get("minutes") or "").strip(),
        "decisions": "\n".join(line.strip() for line in (fields.get("decisions") or "").splitlines() if line.strip()),
    }


def _guests(guests) -> list[Guest]:
    guests = list(guests or ())
    if len(guests) > MAX_GUESTS:
        raise ValidationError({"guests": TOO_MANY_GUESTS.format(max=MAX_GUESTS)})
    for n, g in enumerate(guests, start=1):
        if not (g.name or "").strip():
            raise ValidationError({"guests": GUEST_NAME.format(n=n)})
    return [Guest(g.name.strip()[:64], (g.role or "").strip()[:100]) for g in guests]


def _set_participants(meeting: Meeting, residents: list[Resident], guests: list[Guest]) -> list[Resident]:
    """Replace the participants; returns the residents newly invited (to be told)."""
    if len(residents) > MAX_PARTICIPANTS:
        raise ValidationError({"residents": TOO_MANY_PARTICIPANTS.format(max=MAX_PARTICIPANTS)})
    before = set(meeting.participants.filter(resident__isnull=False).values_list("resident_id", flat=True))
    meeting.participants.all().delete()
    rows = [MeetingParticipant(meeting=meeting, resident=r, name=r.name, role="居民") for r in residents]
    rows += [MeetingParticipant(meeting=meeting, name=g.name, role=g.role) for g in guests]
    MeetingParticipant.objects.bulk_create(rows)
    return [r for r in residents if r.pk not in before]


def _tell_invited(meeting: Meeting, residents: list[Resident]) -> int:
    """A message to each newly invited resident who has an account, when the meeting is still ahead."""
    if meeting.held_at <= timezone.now() or not residents:
        return 0
    from linli.accounts.models import User

    users = User.objects.filter(resident__in=[r.pk for r in residents], is_active=True)
    when = timezone.localtime(meeting.held_at)
    return notify(
        users,
        kind=Kind.SYSTEM,
        title=f"{meeting.get_kind_display()}通知：{meeting.matter.title}",
        body=(
            f"请于{when:%Y年%m月%d日 %H:%M}到{meeting.place}参加{meeting.get_kind_display()}，"
            f"商议“{meeting.matter.title}”。"
        ),
        url=reverse("residents:my_record"),
        key=f"meeting:{meeting.pk}:{when:%Y%m%d%H%M}",
    )


@transaction.atomic
def schedule_meeting(matter: Matter, *, actor: Actor, residents=(), guests=(), photos=None, **fields) -> Meeting:
    """Record a meeting on a matter (ahead of it, or afterwards with its minutes); invited residents with an
    account get a message when it is still ahead."""
    matter = _check_matter(matter, actor)
    values = _meeting_fields(fields)
    residents = _residents(actor, matter, residents)
    guests = _guests(guests)
    prepared = prepare_photos(photos)
    meeting = Meeting.objects.create(matter=matter, recorded_by=actor.account, **values)
    invited = _set_participants(meeting, residents, guests)
    _created(meeting, actor)
    if prepared:
        attach_photos(meeting, prepared, actor=actor)
    _tell_invited(meeting, invited)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, actor: Actor, residents=(), guests=(), photos=None, **fields) -> Meeting:
    """Change a meeting (typically: add the minutes, decisions and attendance after it was held)."""
    meeting = _check_row(Meeting, meeting, actor)
    values = _meeting_fields(fields)
    residents = _residents(actor, meeting.matter, residents)
    residents += _unseen(actor, meeting.matter, [p.resident for p in meeting.participants.select_related("resident")])
    guests = _guests(guests)
    prepared = prepare_photos(photos)
    before = audit.snapshot(meeting)
    moved = values["held_at"] != meeting.held_at
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.save()
    invited = _set_participants(meeting, residents, guests)
    audit.record(meeting, ChangeAction.UPDATE, before, audit.snapshot(meeting), actor)
    if prepared:
        attach_photos(meeting, prepared, actor=actor)
    # A new time is news for everyone invited; otherwise only those newly added are told.
    _tell_invited(meeting, residents if moved else invited)
    return meeting


def visible_participants(meeting: Meeting, user) -> tuple[list[MeetingParticipant], int]:
    """The participants `user` may see by name (guests, and residents within the user's scope) and how many other
    residents took part (a grid worker does not read the names of another grid's residents)."""
    people = list(meeting.participants.select_related("resident"))
    ids = [p.resident_id for p in people if p.resident_id]
    seen = set(Resident.objects.restrict(user, "view").filter(pk__in=ids).values_list("pk", flat=True))
    shown = [p for p in people if not p.resident_id or p.resident_id in seen]
    return shown, len(people) - len(shown)


# --------------------------------------------------------------------------- questionnaires (当面议)


@dataclass
class QuestionSpec:
    text: str
    kind: str = QuestionKind.SINGLE
    options: list[str] = field(default_factory=list)


def _questions(specs) -> list[QuestionSpec]:
    specs = [s for s in specs or () if (s.text or "").strip()]
    if not specs:
        raise ValidationError({"questions": NO_QUESTIONS})
    if len(specs) > MAX_QUESTIONS:
        raise ValidationError({"questions": TOO_MANY_QUESTIONS.format(max=MAX_QUESTIONS)})
    clean = []
    for n, s in enumerate(specs, start=1):
        options = [o.strip()[:50] for o in s.options or () if o.strip()] if s.kind == QuestionKind.SINGLE else []
        if s.kind == QuestionKind.SINGLE and len(options) < 2:
            raise ValidationError({"questions": FEW_OPTIONS.format(n=n)})
        if len(set(options)) != len(options):
            raise ValidationError({"questions": SAME_OPTIONS.format(n=n)})
        if s.kind not in QuestionKind.values:
            raise ValidationError({"questions": BAD_OPTION})
        clean.append(QuestionSpec(s.text.strip()[:200], s.kind, options))
    return clean


def _save_questions(questionnaire: Questionnaire, specs: list[QuestionSpec]) -> None:
    questionnaire.questions.all().delete()
    Question.objects.bulk_create(
        Question(questionnaire=questionnaire, order=n, text=s.text, kind=s.kind, options="\n".join(s.options))
        for n, s in enumerate(specs, start=1)
    )


@transaction.atomic
def create_questionnaire(matter: Matter, *, actor: Actor, title: str, intro: str = "", questions=()) -> Questionnaire:
    """A door-to-door questionnaire on a matter, open at once for the households in the matter's scope."""
    matter = _check_matter(matter, actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": REQUIRED.format(label="问卷标题")})
    specs = _questions(questions)
    questionnaire = Questionnaire.objects.create(
        matter=matter, title=title[:100], intro=(intro or "").strip(), created_by=actor.account
    )
    _save_questions(questionnaire, specs)
    _created(questionnaire, actor)
    return questionnaire


@transaction.atomic
def update_questionnaire(
    questionnaire: Questionnaire, *, actor: Actor, title: str, intro: str = "", questions=()
) -> Questionnaire:
    """Change the wording; the questions only while no household has answered."""
    questionnaire = _check_row(Questionnaire, questionnaire, actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": REQUIRED.format(label="问卷标题")})
    specs = _questions(questions)
    before = audit.snapshot(questionnaire)
    current = [QuestionSpec(q.text, q.kind, q.option_list) for q in questionnaire.questions.all()]
    if current != specs:
        if questionnaire.answers.exists():
            raise ValidationError({"questions": HAS_ANSWERS})
        _save_questions(questionnaire, specs)
    questionnaire.title, questionnaire.intro = title[:100], (intro or "").strip()
    questionnaire.save()
    audit.record(questionnaire, ChangeAction.UPDATE, before, audit.snapshot(questionnaire), actor)
    return questionnaire


@transaction.atomic
def set_questionnaire_open(questionnaire: Questionnaire, *, actor: Actor, open: bool) -> Questionnaire:
    """End the asking (已结束) or take it up again."""
    questionnaire = _check_row(Questionnaire, questionnaire, actor)
    before = audit.snapshot(questionnaire)
    questionnaire.status = QuestionnaireStatus.OPEN if open else QuestionnaireStatus.CLOSED
    questionnaire.closed_at = None if open else timezone.now()
    questionnaire.save(update_fields=["status", "closed_at"])
    audit.record(questionnaire, ChangeAction.UPDATE, before, audit.snapshot(questionnaire), actor)
    return questionnaire


def households_for(questionnaire: Questionnaire, user=None):
    """The households of the questionnaire's matter that `user` may visit (all of them for user None)."""
    households = questionnaire.matter.households_in_scope()
    return households.restrict(user, "view") if user is not None else households


def _clean_answers(questionnaire: Questionnaire, answers: dict) -> dict:
    answers = answers or {}
    clean, errors = {}, {}
    for q in questionnaire.questions.all():
        value = answers.get(q.key)
        value = value.strip() if isinstance(value, str) else ""
        if q.kind == QuestionKind.SINGLE:
            if not value:
                errors[f"q{q.pk}"] = CHOOSE_OPTION
            elif value not in q.option_list:
                errors[f"q{q.pk}"] = BAD_OPTION
            else:
                clean[q.key] = value
        elif value:
            if len(value) > MAX_TEXT_ANSWER:
                errors[f"q{q.pk}"] = TEXT_TOO_LONG.format(max=MAX_TEXT_ANSWER)
            else:
                clean[q.key] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def record_door_visit(
    questionnaire: Questionnaire,
    household: Household,
    *,
    actor: Actor,
    outcome: str,
    answers: dict | None = None,
    respondent: Resident | None = None,
) -> DoorAnswer:
    """One knock at a door: the household's answers, or 不在家 (to be tried again). The last visit wins; the
    visit is kept in DoorVisit either way."""
    _require(actor, "hearing.add")
    user = actor.user
    if user is not None:
        if not Questionnaire.objects.restrict(user, "add").filter(pk=questionnaire.pk).exists():
            raise Http404("不在您的管辖范围内。")
        if not Household.objects.restrict(user, "view").filter(pk=household.pk).exists():
            raise Http404("不在您的管辖范围内。")
    questionnaire = Questionnaire.objects.select_related("matter").get(pk=questionnaire.pk)
    if not questionnaire.is_open:
        raise ValidationError(CLOSED)
    if not questionnaire.matter.households_in_scope().filter(pk=household.pk).exists():
        raise ValidationError(NOT_IN_MATTER)
    if outcome not in DoorOutcome.values:
        raise ValidationError({"outcome": BAD_OUTCOME})
    if outcome == DoorOutcome.ANSWERED:
        answers = _clean_answers(questionnaire, answers)
        if respondent is not None and not Resident.objects.filter(pk=respondent.pk, household=household).exists():
            raise ValidationError({"respondent": NOT_IN_HOUSEHOLD})
    else:
        answers, respondent = {}, None
    now = timezone.now()
    current = _current_answer(questionnaire, household)
    if current is None:
        row = DoorAnswer(
            questionnaire=questionnaire,
            household=household,
            outcome=outcome,
            answers=answers,
            respondent=respondent,
            visited_by=actor.account,
            visited_at=now,
        )
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            raise ValidationError(RACED)
        _created(row, actor)
    else:
        row = current
        before = audit.snapshot(row)
        row.outcome, row.answers, row.respondent = outcome, answers, respondent
        row.visited_by, row.visited_at, row.visits = actor.account, now, row.visits + 1
        row.save()
        audit.record(row, ChangeAction.UPDATE, before, audit.snapshot(row), actor)
    DoorVisit.objects.create(
        questionnaire=questionnaire,
        household=household,
        outcome=outcome,
        answers=answers,
        respondent=respondent,
        visited_by=actor.account,
        visited_at=now,
    )
    return row


def _current_answer(questionnaire: Questionnaire, household: Household) -> DoorAnswer | None:
    return (
        DoorAnswer.objects.select_for_update(of=("self",))
        .filter(questionnaire=questionnaire, household=household)
        .first()
    )


@dataclass
class BuildingProgress:
    building: Building
    total: int
    answered: int
    not_home: int

    @property
    def remaining(self) -> int:
        return self.total - self.answered - self.not_home

    @property
    def percent(self) -> int:
        """Households answered, in whole percent of the building's households in scope (rounded down)."""
        return self.answered * 100 // self.total if self.total else 0


def progress(questionnaire: Questionnaire, households=None) -> tuple[list[BuildingProgress], BuildingProgress]:
    """Per building (asked / not at home / remaining, percent) over `households` (all in scope by default),
    and the total."""
    households = households if households is not None else households_for(questionnaire)
    totals = dict(households.order_by().values_list("building_id").annotate(n=Count("id")))
    counts = Counter()
    for building_id, outcome, n in (
        DoorAnswer.objects.filter(questionnaire=questionnaire, household__in=households.values("pk"))
        .order_by()
        .values_list("household__building_id", "outcome")
        .annotate(n=Count("id"))
    ):
        counts[building_id, outcome] = n
    buildings = Building.objects.filter(pk__in=totals).order_by("community_id", "number", "name")
    rows = [
        BuildingProgress(b, totals[b.pk], counts[b.pk, DoorOutcome.ANSWERED], counts[b.pk, DoorOutcome.NOT_HOME])
        for b in buildings
    ]
    total = BuildingProgress(
        None, sum(r.total for r in rows), sum(r.answered for r in rows), sum(r.not_home for r in rows)
    )
    return rows, total


@dataclass
class Tally:
    question: Question
    #: (option, count, percent of the answered households) for a single-choice question
    options: list[tuple[str, int, int]] = field(default_factory=list)
    #: (short answer, how many households gave it), most frequent first, at most 30, for a text question
    texts: list[tuple[str, int]] = field(default_factory=list)
    answered: int = 0


def tallies(questionnaire: Questionnaire) -> list[Tally]:
    """How the households answered each question (counts only; no household is named)."""
    rows = list(
        DoorAnswer.objects.filter(questionnaire=questionnaire, outcome=DoorOutcome.ANSWERED)
        .order_by("-visited_at")
        .values_list("answers", flat=True)
    )
    result = []
    for q in questionnaire.questions.all():
        given = [a.get(q.key) for a in rows if a.get(q.key)]
        tally = Tally(q, answered=len(given))
        if q.kind == QuestionKind.SINGLE:
            counts = Counter(given)
            tally.options = [(o, counts[o], counts[o] * 100 // len(given) if given else 0) for o in q.option_list]
        else:
            tally.texts = Counter(given).most_common(30)
        result.append(tally)
    return result


# --------------------------------------------------------------------------- table talks (座谈议)


def _buildings_of(matter: Matter):
    buildings = Building.objects.filter(community_id=matter.community_id)
    if matter.scope == MatterScope.GRID:
        buildings = buildings.filter(grid_id=matter.grid_id)
    elif matter.scope in (MatterScope.BUILDING, MatterScope.BUILDINGS):
        buildings = buildings.filter(pk__in=matter.buildings.values("pk"))
    return buildings


def talk_buildings(matter: Matter, user=None):
    """Buildings where a table talk on `matter` may be held: in the matter's scope (and the user's)."""
    buildings = _buildings_of(matter)
    return buildings.restrict(user, "view") if user is not None else buildings


def _talk_fields(matter: Matter, actor: Actor, fields: dict) -> dict:
    errors = {}
    building = fields.get("building")
    if building is None:
        errors["building"] = "请选择楼栋。"
    elif not talk_buildings(matter, actor.user).filter(pk=building.pk).exists():
        errors["building"] = BUILDING_ELSEWHERE
    if not fields.get("held_on"):
        errors["held_on"] = REQUIRED.format(label="日期")
    attendance = fields.get("attendance")
    if attendance is None:
        errors["attendance"] = ATTENDANCE_REQUIRED
    elif attendance < 0:
        errors["attendance"] = "来了多少人不能小于0。"
    points = "\n".join(line.strip() for line in (fields.get("points") or "").splitlines() if line.strip())
    if not points:
        errors["points"] = POINTS_REQUIRED
    if errors:
        raise ValidationError(errors)
    return {
        "building": building,
        "held_on": fields["held_on"],
        "place": (fields.get("place") or "").strip()[:100],
        "attendance": attendance,
        "points": points,
    }


@transaction.atomic
def record_table_talk(matter: Matter, *, actor: Actor, residents=(), **fields) -> TableTalk:
    """A table talk at a building of the matter: how many came, who (optional), what they said."""
    matter = _check_matter(matter, actor)
    values = _talk_fields(matter, actor, fields)
    residents = _residents(actor, matter, residents)
    talk = TableTalk.objects.create(matter=matter, recorded_by=actor.account, **values)
    talk.residents.set(residents)
    _created(talk, actor)
    return talk


@transaction.atomic
def update_table_talk(talk: TableTalk, *, actor: Actor, residents=(), **fields) -> TableTalk:
    talk = _check_row(TableTalk, talk, actor)
    values = _talk_fields(talk.matter, actor, fields)
    residents = _residents(actor, talk.matter, residents) + _unseen(actor, talk.matter, talk.residents.all())
    before = audit.snapshot(talk)
    for name, value in values.items():
        setattr(talk, name, value)
    talk.save()
    talk.residents.set(residents)
    audit.record(talk, ChangeAction.UPDATE, before, audit.snapshot(talk), actor)
    return talk
