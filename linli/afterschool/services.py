"""Every change of the 四点半学校: schools, terms, sessions, enrolments with the waiting list, guardians, sign-in and
sign-out (with the guardian check and the secretary's override), and the volunteer tutors.

Rules (the decisions, documented here):
- A child is a resident of the school's community, in the registry (在册), under the term's age limit (14 by
  default: PIPL art. 28/31) on the day of application. Beyond capacity a child joins the waiting list (候补),
  ordered by priority (留守儿童, then 双职工家庭, then others) and then by application time. Enrolments of one
  term are serialised on the term's row (select_for_update), so two applications cannot both take the last place.
  When an enrolled child withdraws, the first on the waiting list is promoted and the school's staff are told.
- Sign-out releases a child only to an authorised guardian of that child. Anyone else needs an override in the
  same call: who collected (name, phone, relation), why, and the approver, a user whose role holds
  afterschool.override over the school's community (the secretary). The override is a ReleaseOverride row, a
  change record, and a message to the approver: never silent.
- Uncollected: signed in and not out when the school's pick-up time has passed, with the guardians' phones.
- Tutors: a session with tutors is a volunteers Activity of the term's team; tutors sign up there and their hours
  are recorded with linli.volunteers.services.mark_attendance, so they reach the volunteer record and the love bank
  as for any activity. A school staff member without activity.manage acts there on the school's behalf (the
  change record names them in its label).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from linli.afterschool.choices import (
    LEFT_BEHIND_TAG,
    LIVE_ENROLMENT,
    EnrolmentStatus,
    Priority,
)
from linli.afterschool.models import (
    Attendance,
    Enrolment,
    Guardian,
    ReleaseOverride,
    School,
    Session,
    Term,
)
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.core.services import full_clean, save_audited
from linli.residents.choices import Relation, ResidentStatus
from linli.residents.idcard import age_on

# --------------------------------------------------------------------------- who may do what


def is_school_staff(user) -> bool:
    """Named on any school as its staff (object level, whatever the role). Asked once per request (menus, home
    block, pages): the answer is kept on the user object, which the authentication middleware loads afresh for each
    request."""
    if not getattr(user, "pk", None):
        return False
    cached = user.__dict__.get("_afterschool_staff")
    if cached is None:
        cached = user.__dict__["_afterschool_staff"] = School.objects.filter(staff=user).exists()
    return cached


def may_use(user) -> bool:
    """May open the roster pages at all: afterschool.view or a school's staff (403 otherwise)."""
    return user.is_authenticated and (
        user.is_superuser or user.has_role_perm("afterschool.view") or is_school_staff(user)
    )


def may_see_figures(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role_perm("afterschool.figures") or may_use(user))


def check_school(actor: Actor, school: School, action: str = "manage") -> None:
    """The actor may `action` this school: 403 without any right to the school pages, 404 outside them. A command
    or the system may."""
    user = actor.user
    if user is None:
        return
    if not may_use(user):
        raise PermissionDenied("您的角色没有这项权限。")
    if not School.objects.restrict(user, action).filter(pk=school.pk).exists():
        raise Http404("不在您的管辖范围内。")


def may_override(user, school: School) -> bool:
    """Approves releasing a child to someone not authorised: afterschool.override over the school's community."""
    return bool(getattr(user, "pk", None)) and School.objects.restrict(user, "override").filter(pk=school.pk).exists()


def override_approvers(school: School):
    """The users who may approve an override at this school (the secretaries of its community), for the form."""
    from linli.accounts.models import User

    return [u for u in User.objects.filter(is_active=True).order_by("full_name", "id") if may_override(u, school)]


# --------------------------------------------------------------------------- schools, terms, sessions


@transaction.atomic
def save_school(school: School, *, actor: Actor, staff=None) -> School:
    """Open or change a school; `staff` (users) replaces its staff list. Only afterschool.manage over the community
    (the secretary) sets a school up; its own staff may not add themselves others."""
    user = actor.user
    if user is not None:
        require_perm(user, "afterschool.manage")
        from linli.areas.scope import communities_for

        if not communities_for(user, "afterschool.manage").filter(pk=school.community_id).exists():
            raise ValidationError({"community": "只能在自己管辖的社区开办四点半学校。"})
        if school.pk and not School.objects.restrict(user, "manage").filter(pk=school.pk).exists():
            raise Http404("不在您的管辖范围内。")
    if school.room_id and school.room.community_id != school.community_id:
        raise ValidationError({"room": "功能室不属于这个社区。"})
    school.street_id = school.community.street_id
    before = None
    if school.pk:
        before = audit.snapshot(School.objects.select_for_update().get(pk=school.pk))
    full_clean(school)
    school.save()
    if staff is not None:
        school.staff.set(staff)
    after = audit.snapshot(school)
    audit.record(school, ChangeAction.UPDATE if before else ChangeAction.CREATE, before, after, actor)
    return school


@transaction.atomic
def save_term(term: Term, *, actor: Actor) -> Term:
    check_school(actor, term.school, "manage")
    term.weekdays = sorted({int(d) for d in term.weekdays if str(d).isdigit() and 0 <= int(d) <= 6})
    if not term.weekdays:
        raise ValidationError({"weekdays": "请至少选一个上课日。"})
    if term.team_id and term.team.community_id != term.school.community_id:
        raise ValidationError({"team": "志愿服务队不属于这个社区。"})
    if term.pk:
        enrolled = Enrolment.objects.filter(term_id=term.pk, status=EnrolmentStatus.ENROLLED).count()
        if term.capacity < enrolled:
            raise ValidationError({"capacity": f"已有{enrolled}名孩子在读，名额不能少于{enrolled}。"})
    term = save_audited(term, actor)
    _promote(term, actor)
    return term


@transaction.atomic
def add_sessions(
    term: Term, *, actor: Actor, first: datetime.date, last: datetime.date, topic: str = ""
) -> list[Session]:
    """One session on each of the term's weekdays from `first` to `last` (inside the term) that has none yet."""
    check_school(actor, term.school, "manage")
    term = Term.objects.select_for_update().select_related("school").get(pk=term.pk)
    if first > last:
        raise ValidationError("开始日期不能晚于结束日期。")
    if first < term.starts_on or last > term.ends_on:
        raise ValidationError(f"课次应在学期之内（{term.starts_on}至{term.ends_on}）。")
    if (last - first).days > 200:
        raise ValidationError("一次最多排200天的课次。")
    have = set(term.sessions.filter(date__range=(first, last)).values_list("date", flat=True))
    made = []
    day = first
    while day <= last:
        if day.weekday() in term.weekdays and day not in have:
            session = Session(
                term=term,
                school_id=term.school_id,
                date=day,
                starts_at=term.school.opens_at,
                ends_at=term.school.closes_at,
                topic=topic[:100],
            )
            made.append(save_audited(session, actor))
        day += datetime.timedelta(days=1)
    if not made:
        raise ValidationError("这段时间的上课日都已排好课次。")
    return made


# --------------------------------------------------------------------------- enrolments and the waiting list


def child_age(child, on: datetime.date) -> int | None:
    return age_on(child.birth_date, on) if child.birth_date else None


def default_priority(child) -> str:
    """留守儿童 when the registry tags the child so; otherwise "other" (双职工 is for the family to say)."""
    return Priority.LEFT_BEHIND if child.tags.filter(code=LEFT_BEHIND_TAG).exists() else Priority.OTHER


@transaction.atomic
def enrol(term: Term, child, *, actor: Actor, priority: str | None = None, notes: str = "") -> Enrolment:
    """Enrol a child, or put them on the waiting list when the term is full."""
    term = Term.objects.select_for_update().select_related("school").get(pk=term.pk)
    check_school(actor, term.school, "manage")
    now = timezone.now()
    if child.community_id != term.school.community_id:
        raise ValidationError(f"{child.name}不是本社区的居民，不能报名。")
    if child.status != ResidentStatus.ACTIVE:
        raise ValidationError(f"{child.name}的户籍状态为“{child.get_status_display()}”，不能报名。")
    age = child_age(child, timezone.localdate())
    if age is None:
        raise ValidationError(f"居民档案里没有{child.name}的出生日期，请先补全。")
    if age >= term.age_limit:
        raise ValidationError(f"{child.name}已满{age}岁，本学期只收未满{term.age_limit}岁的孩子。")
    if term.ends_on < timezone.localdate():
        raise ValidationError("这个学期已经结束，不能再报名。")
    existing = Enrolment.objects.filter(term=term, child=child, status__in=LIVE_ENROLMENT).first()
    if existing is not None:
        raise ValidationError(f"{child.name}已经报名了这个学期（{existing.get_status_display()}）。")
    priority = priority or default_priority(child)
    if priority not in Priority.values:
        raise ValidationError({"priority": "请选择优先情形。"})
    enrolled = Enrolment.objects.filter(term=term, status=EnrolmentStatus.ENROLLED).count()
    full = enrolled >= term.capacity
    enrolment = Enrolment(
        term=term,
        school_id=term.school_id,
        child=child,
        status=EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED,
        priority=priority,
        applied_at=now,
        enrolled_at=None if full else now,
        notes=(notes or "")[:300],
        created_by=actor.account,
    )
    enrolment = save_audited(enrolment, actor, note="报名（候补）" if full else "报名入读")
    # A child's household is proposed as guardians: their adults, authorised, until the staff change it.
    if not enrolment.guardians.exists():
        for member in household_guardians(child):
            _add_guardian(enrolment, actor, resident=member, name=member.name, phone=member.phone,
                          relation=relation_to(child, member))  # fmt: skip
    return enrolment


def waiting_position(enrolment: Enrolment) -> int | None:
    """1 for the first on the waiting list."""
    if enrolment.status != EnrolmentStatus.WAITING:
        return None
    ids = list(Enrolment.objects.filter(term_id=enrolment.term_id).waiting().values_list("pk", flat=True))
    return ids.index(enrolment.pk) + 1


def _promote(term: Term, actor: Actor) -> list[Enrolment]:
    """Fill free places from the waiting list in order (inside the caller's lock on the term); tell the staff."""
    enrolled = Enrolment.objects.filter(term=term, status=EnrolmentStatus.ENROLLED).count()
    free = term.capacity - enrolled
    if free <= 0:
        return []
    promoted = []
    now = timezone.now()
    for enrolment in Enrolment.objects.filter(term=term).waiting().select_for_update()[:free]:
        before = audit.snapshot(enrolment)
        enrolment.status, enrolment.enrolled_at = EnrolmentStatus.ENROLLED, now
        enrolment.save(update_fields=["status", "enrolled_at"])
        audit.record(enrolment, ChangeAction.UPDATE, before, audit.snapshot(enrolment), actor, "候补转为在读")
        promoted.append(enrolment)
    if promoted:
        names = "、".join(e.child.name for e in promoted)
        _tell_staff(term.school, "候补转为在读", f"{names}从候补转为在读，请通知家长。",
                    f"afterschool-promoted:{term.pk}:{now.timestamp()}")  # fmt: skip
    return promoted


def _tell_staff(school: School, title: str, body: str, key: str) -> None:
    from django.urls import reverse

    from linli.notifications.choices import Kind
    from linli.notifications.services import notify

    users = list(school.staff.all())
    if school.head_teacher_id:
        users.append(school.head_teacher)
    notify(users, kind=Kind.SYSTEM, title=f"四点半学校：{title}", body=body,
           url=reverse("afterschool:school_detail", args=[school.pk]), key=key)  # fmt: skip


@transaction.atomic
def withdraw(enrolment: Enrolment, *, actor: Actor, reason: str = "") -> list[Enrolment]:
    """Take a child out of the term (or off the waiting list); returns the children promoted into the place."""
    term = Term.objects.select_for_update().select_related("school").get(pk=enrolment.term_id)
    check_school(actor, term.school, "manage")
    enrolment = Enrolment.objects.select_for_update().select_related("child").get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError(f"{enrolment.child.name}已经退出了。")
    if Attendance.objects.filter(enrolment=enrolment, signed_out_at__isnull=True).exists():
        raise ValidationError(f"{enrolment.child.name}还在学校里没有接走，请先签退。")
    before = audit.snapshot(enrolment)
    was_enrolled = enrolment.is_enrolled
    enrolment.status, enrolment.withdrawn_at = EnrolmentStatus.WITHDRAWN, timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    audit.record(enrolment, ChangeAction.UPDATE, before, audit.snapshot(enrolment), actor, f"退出：{reason}"[:200])
    return _promote(term, actor) if was_enrolled else []


# --------------------------------------------------------------------------- guardians


def household_guardians(child):
    """The adults (18+) of the child's household in the registry: proposed as guardians."""
    from linli.residents.models import Resident

    today = timezone.localdate()
    members = Resident.objects.filter(household_id=child.household_id, status=ResidentStatus.ACTIVE).exclude(
        pk=child.pk
    )
    return [m for m in members.order_by("id") if (child_age(m, today) or 0) >= 18]


def relation_to(child, member) -> str:
    """The member's relation to the child, as far as the household's relations to its head tell it."""
    up = {Relation.HEAD, Relation.SPOUSE}
    if child.relation == Relation.CHILD and member.relation in up:
        return "父母"
    if child.relation == Relation.GRANDCHILD:
        if member.relation in up:
            return "祖父母"
        if member.relation in (Relation.CHILD, Relation.CHILD_IN_LAW):
            return "父母"
    if child.relation in (Relation.CHILD, Relation.GRANDCHILD) and member.relation == Relation.PARENT:
        return "祖父母" if child.relation == Relation.CHILD else "曾祖父母"
    return "同户家人"


def _add_guardian(enrolment, actor, **fields) -> Guardian:
    guardian = Guardian(enrolment=enrolment, added_by=actor.account, **fields)
    guardian.name = " ".join((guardian.name or "").split())
    guardian.relation = " ".join((guardian.relation or "").split())
    if not guardian.name:
        raise ValidationError({"name": "请填写监护人姓名。"})
    if not guardian.relation:
        raise ValidationError({"relation": "请填写与孩子的关系，如：母亲、爷爷。"})
    if guardian.phone:
        from linli.core.phone import PhoneError, normalize_phone

        try:
            guardian.phone = normalize_phone(guardian.phone)
        except PhoneError:
            raise ValidationError({"phone": "电话号码格式不对，请填写手机号或带区号的固话。"})
    elif guardian.resident_id is None:
        raise ValidationError({"phone": "不在居民档案里的接送人要留电话。"})
    return save_audited(guardian, actor, note="登记监护人")


@transaction.atomic
def add_guardian(
    enrolment: Enrolment,
    *,
    actor: Actor,
    resident=None,
    name: str = "",
    phone: str = "",
    relation: str = "",
    authorised: bool = True,
    id_check: str = "",
) -> Guardian:
    """A guardian from the registry (`resident`: their name and phone are the registry's) or named with phone."""
    enrolment = Enrolment.objects.select_for_update().select_related("school", "child").get(pk=enrolment.pk)
    check_school(actor, enrolment.school, "manage")
    if resident is not None:
        if resident.pk == enrolment.child_id:
            raise ValidationError("孩子不能是自己的监护人。")
        if resident.community_id != enrolment.school.community_id and not phone:
            raise ValidationError("外社区的居民请按姓名和电话登记。")
        if enrolment.guardians.filter(resident=resident, is_active=True).exists():
            raise ValidationError(f"{resident.name}已经是监护人了。")
        name, phone = resident.name, phone or resident.phone
    return _add_guardian(enrolment, actor, resident=resident, name=name, phone=phone, relation=relation,
                         authorised=authorised, id_check=(id_check or "")[:100])  # fmt: skip


@transaction.atomic
def set_guardian(guardian: Guardian, *, actor: Actor, authorised: bool | None = None, active: bool | None = None):
    """Authorise or stop a guardian collecting; remove (deactivate) them. The row stays for past sign-outs."""
    guardian = Guardian.objects.select_for_update().select_related("enrolment__school").get(pk=guardian.pk)
    check_school(actor, guardian.enrolment.school, "manage")
    before = audit.snapshot(guardian)
    if authorised is not None:
        guardian.authorised = authorised
    if active is not None:
        guardian.is_active = active
    guardian.save(update_fields=["authorised", "is_active"])
    audit.record(guardian, ChangeAction.UPDATE, before, audit.snapshot(guardian), actor)
    return guardian


# --------------------------------------------------------------------------- sign-in and sign-out


@transaction.atomic
def sign_in(session: Session, enrolment: Enrolment, *, actor: Actor, at: datetime.datetime | None = None) -> Attendance:
    session = Session.objects.select_for_update().select_related("school").get(pk=session.pk)
    check_school(actor, session.school, "manage")
    enrolment = Enrolment.objects.select_related("child").get(pk=enrolment.pk)
    if enrolment.term_id != session.term_id or not enrolment.is_enrolled:
        raise ValidationError(f"{enrolment.child.name}不是这个学期的在读孩子。")
    existing = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    if existing is not None:
        raise ValidationError(f"{enrolment.child.name}已在{timezone.localtime(existing.signed_in_at):%H:%M}签到。")
    at = at or timezone.now()
    if timezone.localtime(at).date() != session.date:
        raise ValidationError(f"只能在{session.date:%m月%d日}当天签到。")
    attendance = Attendance.objects.create(
        session=session, enrolment=enrolment, signed_in_at=at, signed_in_by=actor.account
    )
    audit.record(attendance, ChangeAction.CREATE, None, audit.snapshot(attendance), actor, "签到")
    return attendance


@transaction.atomic
def sign_out(
    attendance: Attendance,
    *,
    actor: Actor,
    guardian: Guardian | None = None,
    override: dict | None = None,
    at: datetime.datetime | None = None,
) -> Attendance:
    """Release the child to `guardian` (an authorised guardian of this child), or to someone else under `override`
    = {name, phone, relation, reason, approved_by} where approved_by holds afterschool.override for the school."""
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("session__school", "enrolment__child")
        .get(pk=attendance.pk)
    )
    school = attendance.session.school
    check_school(actor, school, "manage")
    child = attendance.enrolment.child
    if attendance.signed_out_at is not None:
        raise ValidationError(f"{child.name}已在{timezone.localtime(attendance.signed_out_at):%H:%M}被接走。")
    at = at or timezone.now()
    if at < attendance.signed_in_at:
        raise ValidationError("接走时间不能早于签到时间。")
    before = audit.snapshot(attendance)
    if guardian is not None:
        ok = Guardian.objects.filter(
            pk=guardian.pk, enrolment_id=attendance.enrolment_id, authorised=True, is_active=True
        ).exists()
        if not ok:
            raise ValidationError(
                f"{guardian.name}不是{child.name}登记的可接送监护人，不能接走。如确需由其接走，请联系书记特批。"
            )
        attendance.collected_by = guardian
        note = f"由{guardian.name}（{guardian.relation}）接走"
    else:
        if not override:
            raise ValidationError(f"请选择来接{child.name}的监护人；不是登记的监护人来接，需要书记特批。")
        record = _override(attendance, override, actor, at)
        note = f"特批由{record.name}（{record.relation}）接走，批准人：{record.approved_by}"
    attendance.signed_out_at, attendance.signed_out_by = at, actor.account
    attendance.save(update_fields=["signed_out_at", "signed_out_by", "collected_by"])
    audit.record(attendance, ChangeAction.UPDATE, before, audit.snapshot(attendance), actor, note)
    return attendance


def _override(attendance: Attendance, data: dict, actor: Actor, at) -> ReleaseOverride:
    school = attendance.session.school
    child = attendance.enrolment.child
    approver = data.get("approved_by")
    if approver is None or not may_override(approver, school):
        raise ValidationError({"approved_by": "特批接走要由社区书记（有特批权限的人）批准，请选择批准人。"})
    fields = {k: " ".join(str(data.get(k) or "").split()) for k in ("name", "phone", "relation", "reason")}
    missing = [label for key, label in (("name", "接走人姓名"), ("phone", "接走人电话"), ("relation", "与孩子关系"),
                                        ("reason", "特批原因")) if not fields[key]]  # fmt: skip
    if missing:
        raise ValidationError("特批接走请填写：" + "、".join(missing) + "。")
    from linli.core.phone import PhoneError, normalize_phone

    try:
        fields["phone"] = normalize_phone(fields["phone"])
    except PhoneError:
        raise ValidationError({"phone": "接走人电话格式不对。"})
    record = ReleaseOverride.objects.create(
        attendance=attendance,
        name=fields["name"][:64],
        phone=fields["phone"],
        relation=fields["relation"][:16],
        reason=fields["reason"][:200],
        approved_by=approver,
        recorded_by=actor.account,
        at=at,
    )
    audit.record(record, ChangeAction.CREATE, None, audit.snapshot(record), actor, f"特批接走{child.name}")
    from django.urls import reverse

    from linli.notifications.choices import Kind
    from linli.notifications.services import notify

    notify(
        [approver],
        kind=Kind.SYSTEM,
        title=f"四点半学校特批接走：{child.name}",
        body=f"{timezone.localtime(at):%m月%d日 %H:%M}，{record.name}（{record.relation}）经您批准接走{child.name}。"
        f"原因：{record.reason}",
        url=reverse("afterschool:child_detail", args=[attendance.enrolment_id]),
        key=f"afterschool-override:{record.pk}",
    )
    return record


def is_past_pickup(session: Session, now: datetime.datetime | None = None) -> bool:
    now = timezone.localtime(now or timezone.now())
    return (now.date(), now.time()) > (session.date, session.school.closes_at)


def uncollected(session: Session, now: datetime.datetime | None = None) -> list[Attendance]:
    """Children signed in and not out after the school's pick-up time, each with `phones`: [(name, relation,
    phone)] of their active guardians, authorised first. Empty before the pick-up time."""
    if not is_past_pickup(session, now):
        return []
    rows = list(
        Attendance.objects.filter(session=session, signed_out_at__isnull=True)
        .select_related("enrolment__child")
        .prefetch_related("enrolment__guardians")
        .order_by("enrolment__child__name", "id")
    )
    for row in rows:
        row.phones = [
            (g.name, g.relation, g.phone)
            for g in sorted(row.enrolment.guardians.all(), key=lambda g: (not g.authorised, g.pk))
            if g.is_active and g.phone
        ]
    return rows


# --------------------------------------------------------------------------- volunteer tutors


def _volunteer_actor(actor: Actor, activity) -> Actor:
    """Who acts in the volunteers app: the user when they manage the activity's community there; otherwise the
    school on their behalf (their name in the record's label), since the school already checked them."""
    from linli.volunteers.services import can_manage

    user = actor.user
    if user is None or (activity is not None and activity.pk and can_manage(user, activity)):
        return actor
    return Actor(user=None, source=actor.source, label=f"{user.full_name or user.username}（四点半学校）"[:64])


def _session_activity(session: Session, actor: Actor):
    """The session's volunteers Activity, created on first use (kind 其他, the term's team, the school's place)."""
    from linli.volunteers.choices import ActivityKind
    from linli.volunteers.models import Activity
    from linli.volunteers.services import save_activity

    if session.activity_id:
        return session.activity
    tz = timezone.get_current_timezone()
    activity = Activity(
        community_id=session.school.community_id,
        team=session.term.team,
        title=f"四点半学校辅导：{session.topic or '作业辅导'}"[:100],
        kind=ActivityKind.OTHER,
        starts_at=datetime.datetime.combine(session.date, session.starts_at, tzinfo=tz),
        ends_at=datetime.datetime.combine(session.date, session.ends_at, tzinfo=tz),
        place=(session.school.place or session.school.name)[:100],
        capacity=10,
        notice=f"{session.school.name}的课后辅导：陪孩子写作业、读书。",
    )
    activity = save_activity(activity, actor=_volunteer_actor(actor, None))
    session.activity = activity
    session.save(update_fields=["activity"])
    return activity


@transaction.atomic
def schedule_tutor(session: Session, volunteer, *, actor: Actor) -> Session:
    """Put a volunteer of the community on the session's tutors (signed up on its activity while it is ahead)."""
    from linli.volunteers.choices import LIVE_SIGNUP
    from linli.volunteers.services import sign_up

    session = Session.objects.select_for_update(of=("self",)).select_related("school", "term__team").get(pk=session.pk)
    check_school(actor, session.school, "manage")
    if volunteer.community_id != session.school.community_id or not volunteer.is_active:
        raise ValidationError(f"{volunteer.name}不是本社区在册的志愿者。")
    if session.tutors.filter(pk=volunteer.pk).exists():
        raise ValidationError(f"{volunteer.name}已经排在这次辅导了。")
    activity = _session_activity(session, actor)
    if (
        activity.ends_at > timezone.now()
        and not activity.signups.filter(volunteer=volunteer, status__in=LIVE_SIGNUP).exists()
    ):
        sign_up(activity, volunteer, actor=_volunteer_actor(actor, activity))
    session.tutors.add(volunteer)
    audit.record(session, ChangeAction.CREATE, None, {"辅导志愿者": volunteer.name}, actor, "安排辅导志愿者")
    return session


@transaction.atomic
def record_tutor_hours(session: Session, volunteer, *, actor: Actor, hours=None, at=None):
    """The tutor served: their attendance of the session's activity is confirmed through the volunteers services
    (the whole session, or `hours`; at `at`, now by default), which awards the love bank points as for any
    activity."""
    from linli.volunteers.services import mark_attendance

    session = Session.objects.select_related("school", "activity").get(pk=session.pk)
    check_school(actor, session.school, "manage")
    if not session.tutors.filter(pk=volunteer.pk).exists():
        raise ValidationError(f"{volunteer.name}没有排在这次辅导。")
    activity = session.activity
    return mark_attendance(activity, volunteer, actor=_volunteer_actor(actor, activity), hours=hours, at=at)
