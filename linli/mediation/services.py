"""Every change to mediation rows: mediators and rooms, cases (intake, assignment, sessions, outcome,
agreement, follow-up) and the 顺顺吧 reception log.

Each service is atomic, re-checks the acting user's rights inside the transaction, writes a ChangeRecord
(linli.core.audit) and refuses bad input with a Chinese message keyed by field (nothing changed).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import Community
from linli.areas.scope import communities_for
from linli.core import audit, pagecache
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.numbering import next_number
from linli.core.phone import PhoneError, normalize_phone
from linli.core.services import save_audited
from linli.mediation.choices import (
    OPEN_STATUSES,
    AgreementKind,
    CaseSource,
    CaseStatus,
    CaseType,
    FollowUpResult,
    PartyRole,
    ReceptionHandling,
    Referral,
    Urgency,
)
from linli.mediation.models import Agreement, Case, FollowUp, MediationRoom, Mediator, Party, Reception, Session
from linli.mediation.querysets import MEDIATORS_GROUP

NO_RIGHT = "您的角色没有这项权限。"
OUT_OF_SCOPE = "不在您的管辖范围内。"
CLOSED = "这个案件{status}，不能再记录调解。"
NAME_REQUIRED = "请填写申请人姓名，或选择居民。"
ACCOUNT_REQUIRED = "请简要写明纠纷情况。"
ALREADY = "这条记录已经转成调解案件了：{number}。"
NOT_MEDIATION_UNIT = "这条诉求的承办单位不是人民调解，不能转为调解案件。"
NOT_SETTLED = "案件调解成功之后才能记录协议。"
FOLLOWED = "这次回访已经记录过了。"
SCAN_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
SCAN_MAX = 10 * 1024 * 1024


def _today():
    return timezone.localdate()


def _has(user, perm: str) -> bool:
    return bool(user.is_superuser or user.has_role_perm(perm))


def _check_community(community: Community, actor: Actor, *perms: str) -> str:
    """The first of `perms` the acting user holds over `community` (CLI/system actors: the first)."""
    user = actor.user
    if user is None:
        return perms[0]
    held = [p for p in perms if _has(user, p)]
    if not held:
        raise PermissionDenied(NO_RIGHT)
    for perm in held:
        if user.is_superuser or communities_for(user, perm).filter(pk=community.pk).exists():
            return perm
    raise Http404(OUT_OF_SCOPE)


def _check_case(case: Case, actor: Actor, action: str = "manage") -> None:
    user = actor.user
    if user is None:
        return
    if not Case.objects.restrict(user, action).filter(pk=case.pk).exists():
        raise Http404("找不到这个调解案件。")


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("community").get(pk=case.pk)


def _record(instance, actor: Actor, before: dict | None, note: str = "", action=None):
    audit.record(
        instance,
        action or (ChangeAction.CREATE if before is None else ChangeAction.UPDATE),
        before,
        audit.snapshot(instance),
        actor,
        note,
    )


def _phone(value: str, field: str = "phone") -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return normalize_phone(value)
    except PhoneError as exc:
        raise ValidationError({field: str(exc)}) from exc


def can_supervise(user, case: Case) -> bool:
    return bool(user.is_superuser or user.has_role_perm("mediation.supervise")) and (
        Case.objects.restrict(user).filter(pk=case.pk).exists()
    )


def is_mediator(user) -> bool:
    """Whether `user` is an active mediator (the menu asks on every page). Kept on the user object for the request,
    and in the shared cache until a mediator is saved or deleted (pagecache.for_user), as party.is_secretary."""
    if not user.is_authenticated:
        return False
    cached = user.__dict__.get("_mediator")
    if cached is None:
        cached = user.__dict__["_mediator"] = pagecache.for_user(
            "mediator", user, (MEDIATORS_GROUP,), lambda: Mediator.objects.filter(user=user, is_active=True).exists()
        )
    return cached


def may_list_cases(user) -> bool:
    """The case list: roles that hold mediation.view, and mediators' own accounts."""
    return _has(user, "mediation.view") or is_mediator(user)


# --------------------------------------------------------------------------- mediators and rooms


@transaction.atomic
def save_mediator(mediator: Mediator, *, actor: Actor) -> Mediator:
    _check_community(mediator.community, actor, "mediation.supervise")
    mediator.name = (mediator.name or "").strip()
    mediator.phone = _phone(mediator.phone)
    return save_audited(mediator, actor, exclude_clean=["street"])


@transaction.atomic
def save_room(room: MediationRoom, *, actor: Actor, members=None) -> MediationRoom:
    _check_community(room.community, actor, "mediation.supervise")
    room.name = (room.name or "").strip()
    save_audited(room, actor, exclude_clean=["street"])
    if members is not None:
        members = list(members)
        if any(m.community_id != room.community_id for m in members):
            raise ValidationError({"members": "调解室成员必须是本社区的调解员。"})
        room.members.set(members)
    return room


# --------------------------------------------------------------------------- intake


def case_number(community: Community, year: int, seq: int) -> str:
    short = community.name[:-2] if community.name.endswith("社区") else community.name
    return f"{short}调〔{year}〕{seq}号"


def _next_seq(community: Community, year: int) -> int:
    """The community's next case number in `year` (linli.core.numbering: the counter row is locked until the
    opening transaction ends; cases numbered before the counter existed are its start)."""

    def start():
        return Case.objects.filter(community=community, year=year).aggregate(top=Max("seq"))["top"] or 0

    return next_number(f"mediation:{community.pk}", year, start=start)


@transaction.atomic
def open_case(
    *,
    actor: Actor,
    community: Community,
    case_type: str,
    account: str,
    applicant_name: str = "",
    applicant_resident=None,
    applicant_phone: str = "",
    respondent_name: str = "",
    respondent_resident=None,
    respondent_phone: str = "",
    urgency: str = Urgency.NORMAL,
    source: str = CaseSource.WALK_IN,
    source_id: int | None = None,
    mediators=(),
    room: MediationRoom | None = None,
    received_on: datetime.date | None = None,
) -> Case:
    """Open a case with the fewest fields (type, applicant, short account): the 顺顺吧 on a phone in under a
    minute. Staff at the 顺顺吧 (mediation.receive) receive it; a grid worker (mediation.refer) refers it and
    afterwards sees only that it exists."""
    perm = _check_community(community, actor, "mediation.receive", "mediation.supervise", "mediation.refer")
    errors = {}
    if case_type not in CaseType.values:
        errors["case_type"] = "请选择纠纷类型。"
    account = (account or "").strip()
    if not account:
        errors["account"] = ACCOUNT_REQUIRED
    applicant_name = (applicant_name or "").strip() or (applicant_resident.name if applicant_resident else "")
    if not applicant_name:
        errors["applicant_name"] = NAME_REQUIRED
    for field, resident in (("applicant_resident", applicant_resident), ("respondent_resident", respondent_resident)):
        if resident is not None and resident.household.building.community_id != community.pk:
            errors[field] = "请选择本社区的居民。"
    if urgency not in Urgency.values:
        errors["urgency"] = "请选择紧急程度。"
    if room is not None and room.community_id != community.pk:
        errors["room"] = "请选择本社区的调解室。"
    mediators = list(mediators)
    if any(m.community_id != community.pk for m in mediators):
        errors["mediators"] = "请选择本社区的调解员。"
    try:
        applicant_phone = _phone(applicant_phone, "applicant_phone")
        respondent_phone = _phone(respondent_phone, "respondent_phone")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if source_id is not None:
        done = Case.objects.filter(source=source, source_id=source_id).first()
        if done is not None:
            raise ValidationError(ALREADY.format(number=done.number))
    received_on = received_on or _today()
    year = received_on.year
    seq = _next_seq(community, year)
    user = actor.account
    referred = perm == "mediation.refer"
    if referred and source == CaseSource.WALK_IN:
        source = CaseSource.REFERRAL
    case = Case(
        community=community,
        year=year,
        seq=seq,
        number=case_number(community, year, seq),
        case_type=case_type,
        source=source,
        source_id=source_id,
        urgency=urgency,
        account=account,
        room=room,
        received_on=received_on,
        referred_by=user if referred else None,
        received_by=None if referred else user,
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:
        raise ValidationError(ALREADY.format(number="")) from exc
    if mediators:
        case.mediators.set(mediators)
    Party.objects.create(
        case=case, role=PartyRole.APPLICANT, resident=applicant_resident, name=applicant_name, phone=applicant_phone
    )
    respondent_name = (respondent_name or "").strip() or (respondent_resident.name if respondent_resident else "")
    if respondent_name:
        Party.objects.create(
            case=case,
            role=PartyRole.RESPONDENT,
            resident=respondent_resident,
            name=respondent_name,
            phone=respondent_phone,
        )
    _record(case, actor, None, note="受理调解案件" if not referred else "网格员转介调解案件")
    if mediators:
        _tell_mediators(case, actor, "新的调解案件", f"{case.number}（{case.get_case_type_display()}）请您承办。")
    return case


def _resident_of(obj):
    return getattr(obj, "reporter", None)


@transaction.atomic
def case_from_appeal(appeal, *, actor: Actor, case_type: str = CaseType.NEIGHBOUR) -> Case:
    """Turn an appeal whose handling unit is 人民调解 into a case (one case per appeal)."""
    unit = getattr(appeal, "unit", None)
    if unit is None or unit.code != "mediation":
        raise ValidationError(NOT_MEDIATION_UNIT)
    resident = appeal.reporter
    return open_case(
        actor=actor,
        community=appeal.community,
        case_type=case_type,
        account=appeal.text,
        applicant_name=appeal.reporter_name or (resident.name if resident else "") or "（诉求反映人）",
        applicant_resident=resident
        if resident and resident.household.building.community_id == appeal.community_id
        else None,
        applicant_phone=appeal.reporter_phone,
        source=CaseSource.APPEAL,
        source_id=appeal.pk,
    )


@transaction.atomic
def case_from_note(note, *, actor: Actor, case_type: str, applicant_name: str = "", source=CaseSource.DIARY) -> Case:
    """A visit finding or a diary note (民情日记) that is a dispute: the note's text is the account."""
    resident = note.residents.first() if hasattr(note, "residents") else None
    return open_case(
        actor=actor,
        community=note.community,
        case_type=case_type,
        account=note.text,
        applicant_name=applicant_name or (resident.name if resident else ""),
        applicant_resident=resident,
        source=source,
        source_id=note.pk,
    )


@transaction.atomic
def case_from_matter(matter, *, actor: Actor, case_type: str = CaseType.NEIGHBOUR, applicant_name: str = "") -> Case:
    """A matter (议题) that turned into a quarrel between residents."""
    resident = matter.raised_by_resident
    return open_case(
        actor=actor,
        community=matter.community,
        case_type=case_type,
        account=f"{matter.title}：{matter.description}".rstrip("："),
        applicant_name=applicant_name or matter.raised_by_name or (resident.name if resident else ""),
        applicant_resident=resident,
        source=CaseSource.MATTER,
        source_id=matter.pk,
    )


# --------------------------------------------------------------------------- working the case


def _check_open(case: Case) -> None:
    if case.status not in OPEN_STATUSES:
        raise ValidationError(CLOSED.format(status=case.get_status_display()))


@transaction.atomic
def assign(case: Case, *, actor: Actor, mediators, room: MediationRoom | None = None) -> Case:
    """Name the case's mediators (and room): the supervisors (secretary, street) or a mediator of the case."""
    case = _locked(case)
    _check_case(case, actor)
    mediators = list(mediators)
    if any(m.community_id != case.community_id for m in mediators) or (room and room.community_id != case.community_id):
        raise ValidationError({"mediators": "请选择本社区的调解员和调解室。"})
    before = audit.snapshot(case)
    new = {m.pk for m in mediators} - set(case.mediators.values_list("pk", flat=True))
    case.room = room
    case.save()
    case.mediators.set(mediators)
    _record(case, actor, before, note="指派调解员")
    if new:
        _tell_mediators(
            case, actor, "新的调解案件", f"{case.number}（{case.get_case_type_display()}）请您承办。", only=new
        )
    return case


@transaction.atomic
def update_case(case: Case, *, actor: Actor, case_type: str, account: str, urgency: str) -> Case:
    """Correct the type, the account or the urgency (the case's mediators and supervisors, while it is open)."""
    case = _locked(case)
    _check_case(case, actor)
    _check_open(case)
    errors = {}
    if case_type not in CaseType.values:
        errors["case_type"] = "请选择纠纷类型。"
    if not (account or "").strip():
        errors["account"] = ACCOUNT_REQUIRED
    if urgency not in Urgency.values:
        errors["urgency"] = "请选择紧急程度。"
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(case)
    case.case_type, case.account, case.urgency = case_type, account.strip(), urgency
    case.save()
    _record(case, actor, before, note="修改案件信息")
    return case


@transaction.atomic
def add_party(
    case: Case, *, actor: Actor, role: str, name: str = "", resident=None, phone: str = "", address: str = ""
) -> Party:
    case = _locked(case)
    _check_case(case, actor)
    name = (name or "").strip() or (resident.name if resident else "")
    if not name:
        raise ValidationError({"name": "请填写姓名，或选择居民。"})
    if role not in PartyRole.values:
        raise ValidationError({"role": "请选择身份。"})
    party = Party(case=case, role=role, resident=resident, name=name, phone=_phone(phone), address=address.strip())
    party.full_clean()
    party.save()
    _record(party, actor, None, note="添加当事人")
    return party


@transaction.atomic
def add_session(
    case: Case, *, actor: Actor, held_at: datetime.datetime, place: str = "", participants: str = "", notes: str = ""
) -> Session:
    """Record (or schedule) a session; the case's mediators are told of one still to come."""
    case = _locked(case)
    _check_case(case, actor)
    _check_open(case)
    if held_at is None:
        raise ValidationError({"held_at": "请填写调解时间。"})
    session = Session(
        case=case,
        held_at=held_at,
        place=place.strip(),
        participants=participants.strip(),
        notes=notes.strip(),
        created_by=actor.account,
    )
    session.full_clean(exclude=["created_by"])
    session.save()
    _record(session, actor, None, note="记录调解会")
    if case.status in (CaseStatus.RECEIVED, CaseStatus.REOPENED):
        before = audit.snapshot(case)
        case.status = CaseStatus.MEDIATING
        case.save()
        _record(case, actor, before, note="开始调解")
    if held_at > timezone.now():
        when = timezone.localtime(held_at).strftime("%m月%d日 %H:%M")
        _tell_mediators(case, actor, f"调解会安排：{when}", f"{case.number}，地点：{session.place or '待定'}。")
    return session


def _close(case: Case, actor: Actor, status: str, note: str, **fields) -> Case:
    before = audit.snapshot(case)
    case.status = status
    case.closed_on = _today()
    for name, value in fields.items():
        setattr(case, name, value)
    case.save()
    _record(case, actor, before, note=note)
    return case


@transaction.atomic
def settle(
    case: Case,
    *,
    actor: Actor,
    kind: str,
    facts: str,
    terms: str,
    performance: str = "",
    deadline: datetime.date | None = None,
    follow_up_on: datetime.date | None = None,
) -> Agreement:
    """调解成功: a written agreement (printed for signing, the scan attached later) or an oral one; a follow-up is
    due on `follow_up_on` (by default the performance deadline)."""
    case = _locked(case)
    _check_case(case, actor)
    _check_open(case)
    errors = {}
    if kind not in AgreementKind.values:
        errors["kind"] = "请选择协议形式。"
    if not (facts or "").strip():
        errors["facts"] = "请写明纠纷事实和争议事项。"
    if not (terms or "").strip():
        errors["terms"] = "请写明达成的协议内容。"
    if deadline and deadline < case.received_on:
        errors["deadline"] = "履行期限不能早于受理日期。"
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.filter(case=case).first()  # a reopened case gets its agreement rewritten
    before = audit.snapshot(agreement) if agreement else None
    agreement = agreement or Agreement(case=case)
    agreement.kind, agreement.facts, agreement.terms = kind, facts.strip(), terms.strip()
    agreement.performance, agreement.deadline = performance.strip(), deadline
    agreement.save()
    _record(agreement, actor, before, note="记录调解协议")
    due = follow_up_on or deadline
    if due:
        follow = FollowUp.objects.create(agreement=agreement, due_on=due)
        _record(follow, actor, None, note="安排回访")
    _close(case, actor, CaseStatus.SETTLED, "调解成功", referral="", outcome_note="")
    return agreement


@transaction.atomic
def fail(case: Case, *, actor: Actor, referral: str, note: str = "") -> Case:
    """调解不成, with where the parties go next: 诉讼, 仲裁, or a department through an appeal (registered here)."""
    case = _locked(case)
    _check_case(case, actor)
    _check_open(case)
    if referral not in Referral.values:
        raise ValidationError({"referral": "请选择调解不成后的去向。"})
    appeal_id = None
    if referral == Referral.DEPARTMENT:
        appeal_id = _refer_to_department(case, actor, note)
    return _close(
        case,
        actor,
        CaseStatus.FAILED,
        "调解不成",
        referral=referral,
        outcome_note=note.strip(),
        referral_appeal_id=appeal_id,
    )


def _refer_to_department(case: Case, actor: Actor, note: str) -> int:
    """A department must act: an appeal (诉求) is registered for dispatch, without the confidential account."""
    from linli.appeals.services import create_appeal

    applicant = case.parties.filter(role=PartyRole.APPLICANT).first()
    user = actor.user
    if user is not None and not (user.is_superuser or user.has_role_perm("appeal.add")):
        raise ValidationError({"referral": "转职能部门要登记一条诉求，请社区工作人员或社区书记记录这个结果。"})
    appeal = create_appeal(
        actor=actor,
        text=f"调解不成，转职能部门处理（{case.number}，{case.get_case_type_display()}）。{note.strip()}",
        channel="walk_in",
        reporter=applicant.resident if applicant else None,
        reporter_name=applicant.name if applicant else "",
        reporter_phone=applicant.phone if applicant else "",
        community=case.community,
        address=case.community.name,
    )
    return appeal.pk


@transaction.atomic
def withdraw(case: Case, *, actor: Actor, note: str = "") -> Case:
    case = _locked(case)
    _check_case(case, actor)
    _check_open(case)
    return _close(case, actor, CaseStatus.WITHDRAWN, "当事人撤回", referral="", outcome_note=note.strip())


@transaction.atomic
def attach_scan(agreement: Agreement, *, actor: Actor, scan, signed_on: datetime.date | None = None) -> Agreement:
    """The signed 人民调解协议书, scanned (PDF or image, up to 10 MB)."""
    agreement = Agreement.objects.select_for_update().select_related("case").get(pk=agreement.pk)
    _check_case(agreement.case, actor)
    if scan is None:
        raise ValidationError({"scan": "请选择签字后的扫描件。"})
    name = (scan.name or "").lower()
    if not name.endswith(SCAN_TYPES):
        raise ValidationError({"scan": "扫描件只能是 PDF、JPG 或 PNG 文件。"})
    if scan.size > SCAN_MAX:
        raise ValidationError({"scan": "扫描件不能超过 10MB。"})
    before = audit.snapshot(agreement)
    storage, replaced = agreement.scan.storage, agreement.scan.name
    agreement.scan.save(f"agreement-{agreement.case_id}{name[name.rfind('.') :]}", scan, save=False)
    agreement.signed_on = signed_on or agreement.signed_on or _today()
    agreement.save()
    _record(agreement, actor, before, note="上传签字协议")
    # A new scan replaces the old one: its file goes once the change has committed (a rollback keeps it).
    new_name = agreement.scan.name
    transaction.on_commit(lambda: storage.delete(replaced) if replaced and replaced != new_name else None)
    return agreement


@transaction.atomic
def record_follow_up(
    follow: FollowUp, *, actor: Actor, result: str, note: str = "", next_due: datetime.date | None = None
) -> FollowUp:
    """回访: performed / partly / not performed. Not performed reopens the case; partly performed may set the next
    follow-up."""
    follow = FollowUp.objects.select_for_update().select_related("agreement__case").get(pk=follow.pk)
    case = follow.agreement.case
    _check_case(case, actor)
    if follow.done_on is not None:
        raise ValidationError(FOLLOWED)
    if result not in FollowUpResult.values:
        raise ValidationError({"result": "请选择履行情况。"})
    before = audit.snapshot(follow)
    follow.result, follow.note, follow.done_on, follow.done_by = result, note.strip(), _today(), actor.account
    follow.save()
    _record(follow, actor, before, note="记录回访")
    if next_due:
        _record(FollowUp.objects.create(agreement=follow.agreement, due_on=next_due), actor, None, note="安排回访")
    if result == FollowUpResult.NOT_PERFORMED:
        case = _locked(case)
        before = audit.snapshot(case)
        case.status, case.closed_on = CaseStatus.REOPENED, None
        case.save()
        _record(case, actor, before, note="协议未履行，重新调解")
        _tell_mediators(case, actor, "协议未履行", f"{case.number}回访发现协议未履行，案件已重新打开。")
    return follow


# --------------------------------------------------------------------------- the 顺顺吧


@transaction.atomic
def log_reception(
    *,
    actor: Actor,
    community: Community,
    visitor_name: str = "",
    resident=None,
    topic: str,
    handling: str = ReceptionHandling.LISTENED,
    minutes: int | None = None,
    received_on: datetime.date | None = None,
    room: MediationRoom | None = None,
    case_type: str = "",
) -> Reception:
    """One visitor heard. With handling “立案调解” a case is opened at once (type, the visitor as applicant, the
    topic as account)."""
    _check_community(community, actor, "mediation.receive")
    errors = {}
    visitor_name = (visitor_name or "").strip() or (resident.name if resident else "")
    if not visitor_name:
        errors["visitor_name"] = "请填写来访人，或选择居民。"
    topic = (topic or "").strip()
    if not topic:
        errors["topic"] = "请写一句反映的事项。"
    if handling not in ReceptionHandling.values:
        errors["handling"] = "请选择处理方式。"
    if handling == ReceptionHandling.CASE and case_type not in CaseType.values:
        errors["case_type"] = "立案调解需要选择纠纷类型。"
    if resident is not None and resident.household.building.community_id != community.pk:
        errors["resident"] = "请选择本社区的居民。"
    if room is not None and room.community_id != community.pk:
        errors["room"] = "请选择本社区的接待点。"
    if minutes is not None and not 0 < minutes <= 600:
        errors["minutes"] = "时长应在1到600分钟之间。"
    received_on = received_on or _today()
    if received_on > _today():
        errors["received_on"] = "接待日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    case = None
    if handling == ReceptionHandling.CASE:
        case = open_case(
            actor=actor,
            community=community,
            case_type=case_type,
            account=topic,
            applicant_name=visitor_name,
            applicant_resident=resident,
            received_on=received_on,
            room=room,
        )
    reception = Reception(
        community=community,
        room=room,
        received_on=received_on,
        resident=resident,
        visitor_name=visitor_name,
        topic=topic,
        handling=handling,
        minutes=minutes,
        staff=actor.account,
        case=case,
    )
    reception.save()
    _record(reception, actor, None, note="顺顺吧接待")
    return reception


# --------------------------------------------------------------------------- messages


def _tell_mediators(case: Case, actor: Actor, title: str, body: str, only=None, key: str | None = None) -> int:
    """A message to the case's mediators' accounts (not the one acting)."""
    from linli.notifications.services import notify

    mediators = case.mediators.filter(is_active=True, user__isnull=False).select_related("user")
    if only is not None:
        mediators = mediators.filter(pk__in=only)
    users = [m.user for m in mediators if m.user_id != getattr(actor.account, "pk", None)]
    return notify(
        users, kind="system", title=title, body=body, url=reverse("mediation:case_detail", args=[case.pk]), key=key
    )


def remind_follow_ups(today: datetime.date | None = None) -> tuple[int, int]:
    """Tell the mediators of each case whose follow-up is due (once per follow-up). Returns (due, messages)."""
    today = today or _today()
    due = FollowUp.objects.due(today).select_related("agreement__case")
    sent = 0
    system = Actor.system("回访提醒")
    count = 0
    for follow in due:
        count += 1
        case = follow.agreement.case
        sent += _tell_mediators(
            case,
            system,
            "协议回访到期",
            f"{case.number}的协议应在{follow.due_on:%m月%d日}回访。",
            key=f"mediation-followup-{follow.pk}",
        )
    return count, sent


def timeline(case: Case):
    """The case's whole history: the change records of the case, its parties, sessions, agreement and follow-ups."""
    return audit.history_of_many(
        [
            (Case, [case.pk]),
            (Party, case.parties.values("pk")),
            (Session, case.sessions.values("pk")),
            (Agreement, Agreement.objects.filter(case=case).values("pk")),
            (FollowUp, FollowUp.objects.filter(agreement__case=case).values("pk")),
        ]
    )
