"""Every state change of volunteer data: registration, teams, activities, sign-ups, attendance, hours.

Rules (the decisions, documented here):
- Sign-ups of one activity are serialised on the activity row (select_for_update): the confirmed count is
  read and the new row written under that lock, so capacity is never exceeded by concurrent sign-ups.
  Beyond capacity a sign-up joins the waiting list (候补) in order of arrival; when a confirmed volunteer
  cancels, or the capacity is raised, the earliest waiting ones are promoted under the same lock.
- A volunteer signs up themselves (role 志愿者, linked account) or is signed up by a manager of the
  activity's community (activity.manage). Sign-up closes when the activity ends.
- Check-in and check-out are by a signed, short-lived QR code (linli.volunteers.tokens) or by the team
  leader. Check-in needs a confirmed sign-up and is open from CHECK_IN_EARLY before the start to the end.
- Hours are the overlap of check-in..check-out with the activity's own time (linli.volunteers.hours).
  A leader marking attendance without scans gives the whole activity, or the hours they enter. A confirmed
  attendance's hours change only by correct_hours, which needs a reason and keeps a HoursCorrection row.
- Leaders: a manager of the community, or a volunteer whose account leads the activity's team (队长).
- Cancelling a whole activity (rain stops a patrol) is a manager's act with a reason, before the activity
  ends, under the activity's lock: the live sign-ups (waiting list too) are cancelled and their volunteers
  messaged once; an open check-in is closed at that moment (they served until then); confirmed attendance
  stays. A cancelled activity takes no sign-up, check-in, check-out or attendance, and cannot be edited.

For other apps: confirmed_attendances() is the record of served hours (Attendance.hours, status confirmed);
the love bank awards its points from it. No points are kept here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.core.services import check_scope, save_audited
from linli.volunteers.choices import (
    LIVE_SIGNUP,
    ActivityStatus,
    AttendanceMethod,
    AttendanceStatus,
    ScanKind,
    SignUpStatus,
)
from linli.volunteers.hours import served_hours
from linli.volunteers.models import (
    Activity,
    Attendance,
    HoursCorrection,
    SignUp,
    Team,
    TeamMembership,
    Volunteer,
)
from linli.volunteers.tokens import TokenError, read_token

CHECK_IN_EARLY = datetime.timedelta(hours=1)


def _local(at: datetime.datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M")


# --------------------------------------------------------------------------- who may do what


def can_manage(user, activity: Activity) -> bool:
    """A manager (activity.manage) whose scope holds the activity's community."""
    if user is None:
        return True
    return Activity.objects.restrict(user, "manage").filter(pk=activity.pk).exists()


def leads(user, team_id) -> bool:
    """The user's volunteer record leads this team (队长)."""
    return bool(
        team_id
        and getattr(user, "pk", None)
        and TeamMembership.objects.filter(team_id=team_id, is_leader=True, volunteer__user=user).exists()
    )


def can_lead(user, activity: Activity) -> bool:
    """May show the check-in code, mark attendance and correct hours of this activity."""
    return can_manage(user, activity) or leads(user, activity.team_id)


def _check_not_cancelled(activity: Activity, what: str) -> None:
    """Refuse `what` (报名, 签到 ...) on a cancelled activity."""
    if activity.is_cancelled:
        raise ValidationError(f"活动已取消（{activity.cancel_reason}），不能{what}。")


def _locked_open(activity: Activity, what: str) -> Activity:
    """The activity re-read under a shared row lock, refused when cancelled: a check-in or check-out cannot slip
    in beside a concurrent cancel_activity (which takes the row FOR UPDATE and closes open check-ins), while
    check-ins of different volunteers do not queue behind each other (FOR SHARE locks do not conflict).
    SQLite has one writer at a time, so a plain read there is enough."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Activity._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR SHARE", [activity.pk])
    activity = Activity.objects.get(pk=activity.pk)
    _check_not_cancelled(activity, what)
    return activity


def _check_lead(actor: Actor, activity: Activity) -> None:
    if not can_lead(actor.user, activity):
        raise PermissionDenied("只有本次活动的队长或社区工作人员可以登记考勤。")


def own_volunteer(user, community_id) -> Volunteer | None:
    """The user's own active volunteer record in this community."""
    if not getattr(user, "pk", None):
        return None
    return Volunteer.objects.filter(user=user, community_id=community_id, is_active=True).first()


def _check_for(actor: Actor, activity: Activity, volunteer: Volunteer) -> None:
    """The actor acts for `volunteer` on `activity`: as that volunteer, or as a manager of the community."""
    user = actor.user
    if volunteer.community_id != activity.community_id:
        raise ValidationError("这位志愿者不属于活动所在社区。")
    if not volunteer.is_active:
        raise ValidationError("这位志愿者已不在册。")
    if user is None or can_manage(user, activity):
        return
    if volunteer.user_id == user.pk and user.has_role_perm("activity.signup"):
        if not Activity.objects.restrict(user).filter(pk=activity.pk).exists():
            raise Http404("不在您的管辖范围内。")
        return
    raise PermissionDenied("只能为自己报名，或由社区工作人员代为报名。")


# --------------------------------------------------------------------------- volunteers and teams


def _check_manage(obj, actor: Actor, perm: str, where: str) -> None:
    """The role holds `perm`, an existing row is in scope, and the (new) community is the user's.

    `where` ends the refusal: "只能在自己管辖的社区" + where.
    """
    user = actor.user
    if user is None:
        return
    require_perm(user, perm)
    if obj.pk:
        check_scope(type(obj).objects.all(), obj, actor, "manage")
    if obj.community_id and not _community_in_scope(user, obj.community_id):
        raise ValidationError({"community": f"只能在自己管辖的社区{where}。"})


@transaction.atomic
def save_volunteer(volunteer: Volunteer, *, actor: Actor) -> Volunteer:
    """Register or update a volunteer; a resident volunteer takes name and community from the registry."""
    user = actor.user
    if volunteer.resident_id:
        resident = volunteer.resident
        if user is not None:
            from linli.residents.models import Resident

            if not Resident.objects.restrict(user).filter(pk=resident.pk).exists():
                raise ValidationError({"resident": "找不到这位居民，或不在您的管辖范围内。"})
        volunteer.name = resident.name
        volunteer.community_id = resident.community_id
        volunteer.phone = ""
    elif not (volunteer.name or "").strip():
        raise ValidationError({"name": "社区外志愿者请填写姓名。"})
    if volunteer.phone:
        from linli.core.phone import PhoneError, normalize_phone

        try:
            volunteer.phone = normalize_phone(volunteer.phone)
        except PhoneError as exc:
            raise ValidationError({"phone": str(exc)})
    _check_manage(volunteer, actor, "volunteer.manage", "登记志愿者")
    if volunteer.user_id and volunteer.user.role != "volunteer":
        raise ValidationError({"user": "只能关联角色为“志愿者/党员”的账号。"})
    return save_audited(volunteer, actor)


def _community_in_scope(user, community_id) -> bool:
    from linli.areas.scope import managed_communities

    return managed_communities(user).filter(pk=community_id).exists()


@transaction.atomic
def save_team(team: Team, *, actor: Actor) -> Team:
    _check_manage(team, actor, "volunteer.manage", "建队")
    return save_audited(team, actor)


@transaction.atomic
def set_membership(team: Team, volunteer: Volunteer, *, actor: Actor, is_leader: bool = False) -> TeamMembership:
    """Add a volunteer to a team, or change whether they lead it."""
    check_scope(Team.objects.all(), team, actor, "manage")
    if volunteer.community_id != team.community_id:
        raise ValidationError("只能把本社区的志愿者加入服务队。")
    membership, created = TeamMembership.objects.select_for_update().get_or_create(
        team=team, volunteer=volunteer, defaults={"is_leader": is_leader}
    )
    if not created and membership.is_leader != is_leader:
        membership.is_leader = is_leader
        membership.save(update_fields=["is_leader"])
    note = f"{'队长' if is_leader else '队员'} {volunteer.name}"
    audit.record(team, ChangeAction.UPDATE, {"队员": None}, {"队员": note}, actor, "加入服务队" if created else "调整")
    return membership


@transaction.atomic
def remove_membership(membership: TeamMembership, *, actor: Actor) -> None:
    check_scope(Team.objects.all(), membership.team, actor, "manage")
    team, name = membership.team, membership.volunteer.name
    membership.delete()
    audit.record(team, ChangeAction.UPDATE, {"队员": name}, {"队员": None}, actor, "移出服务队")


# --------------------------------------------------------------------------- activities


def _promote(activity: Activity, now) -> list[SignUp]:
    """Fill free places from the waiting list, earliest first (the caller holds the activity's lock)."""
    confirmed = activity.signups.filter(status=SignUpStatus.CONFIRMED).count()
    free = activity.capacity - confirmed
    if free <= 0:
        return []
    waiting = list(
        activity.signups.filter(status=SignUpStatus.WAITING)
        .select_related("volunteer__user")
        .order_by("signed_up_at", "id")[:free]
    )
    for s in waiting:
        s.status, s.promoted_at = SignUpStatus.CONFIRMED, now
        s.save(update_fields=["status", "promoted_at"])
    if waiting:
        _notify_promoted(activity, waiting)
    return waiting


def _notify_promoted(activity: Activity, signups: list[SignUp]) -> None:
    """A message to each promoted volunteer who has an account."""
    from django.urls import reverse

    from linli.notifications.choices import Kind
    from linli.notifications.services import notify

    users = [s.volunteer.user for s in signups if s.volunteer.user_id]
    if users:
        url = reverse("volunteers:activity_detail", args=[activity.pk])
        notify(users, kind=Kind.SYSTEM, title=f"候补转正：{activity.title}", body="您已从候补转为正式报名。", url=url)


@transaction.atomic
def save_activity(activity: Activity, *, actor: Actor) -> Activity:
    """Publish or change an activity; a larger capacity promotes from the waiting list, a smaller one may not
    drop below the volunteers already confirmed."""
    _check_manage(activity, actor, "activity.manage", "发布活动")
    if activity.pk and Activity.objects.filter(pk=activity.pk, status=ActivityStatus.CANCELLED).exists():
        raise ValidationError("活动已取消，不能再修改。")
    if activity.team_id and activity.team.community_id != activity.community_id:
        raise ValidationError({"team": "服务队不属于这个社区。"})
    creating = activity.pk is None
    if creating:
        activity.created_by = actor.account
    else:
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        confirmed = locked.signups.filter(status=SignUpStatus.CONFIRMED).count()
        if activity.capacity < confirmed:
            raise ValidationError({"capacity": f"已有{confirmed}人报名，招募人数不能少于{confirmed}。"})
    activity = save_audited(activity, actor)
    if not creating:
        _promote(activity, timezone.now())
    return activity


@transaction.atomic
def sign_up(activity: Activity, volunteer: Volunteer, *, actor: Actor) -> SignUp:
    """A place on the activity, or on its waiting list when it is full."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_for(actor, activity, volunteer)
    _check_not_cancelled(activity, "报名")
    now = timezone.now()
    if now >= activity.ends_at:
        raise ValidationError("活动已经结束，不能再报名。")
    if activity.signups.filter(volunteer=volunteer, status__in=LIVE_SIGNUP).exists():
        raise ValidationError(f"{volunteer.name}已经报名了这项活动。")
    confirmed = activity.signups.filter(status=SignUpStatus.CONFIRMED).count()
    status = SignUpStatus.CONFIRMED if confirmed < activity.capacity else SignUpStatus.WAITING
    return SignUp.objects.create(
        activity=activity, volunteer=volunteer, status=status, signed_up_at=now, signed_up_by=actor.account
    )


@transaction.atomic
def cancel_sign_up(signup: SignUp, *, actor: Actor) -> list[SignUp]:
    """Cancel a sign-up; returns the sign-ups promoted from the waiting list into the freed place."""
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup = SignUp.objects.select_related("volunteer").get(pk=signup.pk)
    _check_for(actor, activity, signup.volunteer)
    if signup.status == SignUpStatus.CANCELLED:
        raise ValidationError("这个报名已经取消了。")
    if Attendance.objects.filter(activity=activity, volunteer_id=signup.volunteer_id).exists():
        raise ValidationError("已经签到，不能取消报名。")
    was_confirmed = signup.status == SignUpStatus.CONFIRMED
    now = timezone.now()
    signup.status, signup.cancelled_at, signup.cancelled_by = SignUpStatus.CANCELLED, now, actor.account
    signup.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    return _promote(activity, now) if was_confirmed else []


@transaction.atomic
def cancel_activity(activity: Activity, *, actor: Actor, reason: str) -> list[SignUp]:
    """Call off a whole activity (rain stops a patrol) with a reason; returns the sign-ups it cancelled.

    Under the activity's lock, so no sign-up or check-in slips in and a second cancel (a double click, two
    managers at once) is refused without a second round of messages.
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if actor.user is not None and not can_manage(actor.user, activity):
        raise PermissionDenied("只有管理这项活动的社区工作人员可以取消活动。")
    if activity.is_cancelled:
        when = timezone.localtime(activity.cancelled_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(f"这项活动已在{when}取消，不用重复取消。")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "请填写取消原因，如“下雨，巡逻取消”。"})
    now = timezone.now()
    if now >= activity.ends_at:
        raise ValidationError("活动已经结束，不能再取消。")
    before = audit.snapshot(activity)
    for attendance in (
        Attendance.objects.select_for_update()
        .filter(activity=activity, status=AttendanceStatus.CHECKED_IN)
        .select_related("activity")
    ):
        _close(attendance, max(now, attendance.checked_in_at), actor, "活动取消，按取消时间签退")
    live = list(activity.signups.live().select_related("volunteer__user").order_by("signed_up_at", "id"))
    activity.signups.filter(pk__in=[s.pk for s in live]).update(
        status=SignUpStatus.CANCELLED, cancelled_at=now, cancelled_by=actor.account
    )
    activity.status, activity.cancelled_at, activity.cancelled_by = ActivityStatus.CANCELLED, now, actor.account
    activity.cancel_reason = reason[:200]
    activity.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    note = f"取消活动：{activity.cancel_reason}（{len(live)}人的报名随之取消）"
    audit.record(activity, ChangeAction.UPDATE, before, audit.snapshot(activity), actor, note)
    _notify_cancelled(activity, live)
    return live


def _notify_cancelled(activity: Activity, signups: list[SignUp]) -> None:
    """A message to each volunteer (with an account) whose place, confirmed or waiting, the cancel took away."""
    from django.urls import reverse

    from linli.notifications.choices import Kind
    from linli.notifications.services import notify

    users = [s.volunteer.user for s in signups if s.volunteer.user_id]
    if users:
        start = timezone.localtime(activity.starts_at)
        when = f"{start.month}月{start.day}日 {start:%H:%M}"
        notify(
            users,
            kind=Kind.SYSTEM,
            title=f"活动取消：{activity.title}",
            body=f"{when}的“{activity.title}”已取消，原因：{activity.cancel_reason}。您的报名随之取消。",
            url=reverse("volunteers:activity_detail", args=[activity.pk]),
            key=f"activity-cancelled:{activity.pk}",
        )


def waiting_position(signup: SignUp) -> int | None:
    """1 for the first on the waiting list."""
    if signup.status != SignUpStatus.WAITING:
        return None
    earlier = signup.activity.signups.filter(status=SignUpStatus.WAITING, signed_up_at__lt=signup.signed_up_at)
    same = signup.activity.signups.filter(
        status=SignUpStatus.WAITING, signed_up_at=signup.signed_up_at, id__lt=signup.pk
    )
    return earlier.count() + same.count() + 1


# --------------------------------------------------------------------------- attendance


def _new_attendance(**fields) -> Attendance:
    """Insert one attendance; a second one for the same volunteer (two scans at once) is refused, not raised."""
    try:
        with transaction.atomic():
            return Attendance.objects.create(**fields)
    except IntegrityError:
        raise ValidationError("已经签到过了，不用重复签到。")


@transaction.atomic
def check_in(
    activity: Activity,
    volunteer: Volunteer,
    *,
    actor: Actor,
    at: datetime.datetime | None = None,
    method: str = AttendanceMethod.QR,
) -> Attendance:
    """Open the volunteer's attendance of the activity (a confirmed sign-up is needed)."""
    at = at or timezone.now()
    _check_for(actor, activity, volunteer)
    activity = _locked_open(activity, "签到")
    existing = Attendance.objects.filter(activity=activity, volunteer=volunteer).first()
    if existing is not None:
        when = existing.checked_in_at or existing.confirmed_at
        raise ValidationError(f"{volunteer.name}已在{_local(when)}签到，不用重复签到。")
    if not activity.signups.filter(volunteer=volunteer, status=SignUpStatus.CONFIRMED).exists():
        raise ValidationError(f"{volunteer.name}没有这项活动的正式报名（候补或未报名不能签到）。")
    if at < activity.starts_at - CHECK_IN_EARLY:
        raise ValidationError(f"活动还没开始，{_local(activity.starts_at - CHECK_IN_EARLY)}起可以签到。")
    if at > activity.ends_at:
        raise ValidationError("活动已经结束，不能再签到。请队长登记考勤。")
    attendance = _new_attendance(
        activity=activity,
        volunteer=volunteer,
        status=AttendanceStatus.CHECKED_IN,
        method=method,
        checked_in_at=at,
        checked_in_by=actor.account,
    )
    audit.record(attendance, ChangeAction.CREATE, None, audit.snapshot(attendance), actor, "签到")
    return attendance


def _close(attendance: Attendance, at, actor: Actor, note: str) -> Attendance:
    before = audit.snapshot(attendance)
    attendance.checked_out_at, attendance.checked_out_by = at, actor.account
    activity = attendance.activity
    attendance.hours = served_hours(attendance.checked_in_at, at, activity.starts_at, activity.ends_at)
    attendance.status, attendance.confirmed_at, attendance.confirmed_by = AttendanceStatus.CONFIRMED, at, actor.account
    attendance.save()
    audit.record(attendance, ChangeAction.UPDATE, before, audit.snapshot(attendance), actor, note)
    _sync_points(attendance, actor)
    return attendance


def _sync_points(attendance: Attendance, actor: Actor) -> None:
    """爱心银行: confirmed hours earn points (the activity type's rule), in this same transaction; a correction
    posts the difference. See linli.lovebank.services.sync_attendance_points."""
    from linli.lovebank.services import sync_attendance_points

    sync_attendance_points(attendance, actor=actor)


@transaction.atomic
def check_out(
    activity: Activity, volunteer: Volunteer, *, actor: Actor, at: datetime.datetime | None = None
) -> Attendance:
    """Close the attendance and confirm its hours."""
    at = at or timezone.now()
    _check_for(actor, activity, volunteer)
    activity = _locked_open(activity, "签退")
    attendance = (
        Attendance.objects.select_for_update().select_related("activity").filter(activity=activity, volunteer=volunteer)
    ).first()
    if attendance is None:
        raise ValidationError(f"{volunteer.name}还没有签到，不能签退。")
    if attendance.status == AttendanceStatus.CONFIRMED:
        raise ValidationError(f"{volunteer.name}已签退，服务时长{attendance.hours}小时。")
    if at < attendance.checked_in_at:
        raise ValidationError("签退时间不能早于签到时间。")
    return _close(attendance, at, actor, "签退")


def scan(token: str, activity: Activity, volunteer: Volunteer, *, actor: Actor, at=None) -> Attendance:
    """A volunteer scanned the code on the leader's phone: check in or out, as the code says."""
    try:
        parsed = read_token(token, activity.pk)
    except TokenError as exc:
        raise ValidationError(str(exc))
    if parsed.kind == ScanKind.CHECK_IN:
        return check_in(activity, volunteer, actor=actor, at=at)
    return check_out(activity, volunteer, actor=actor, at=at)


def _validate_hours(hours, activity: Activity) -> Decimal:
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.01"))
    except Exception:
        raise ValidationError({"hours": "请填写服务时长，如 2 或 1.5。"})
    if hours < 0 or hours > activity.duration_hours:
        raise ValidationError({"hours": f"服务时长应在0到{activity.duration_hours}小时之间（不超过活动时长）。"})
    return hours


@transaction.atomic
def mark_attendance(
    activity: Activity,
    volunteer: Volunteer,
    *,
    actor: Actor,
    hours=None,
    at: datetime.datetime | None = None,
) -> Attendance:
    """The leader records that a volunteer served (no scan needed, walk-ins too): an open check-in is closed at
    the end of the activity (or now, if earlier); otherwise the whole activity, or the `hours` given."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_lead(actor, activity)
    _check_not_cancelled(activity, "登记考勤")
    if volunteer.community_id != activity.community_id:
        raise ValidationError("这位志愿者不属于活动所在社区。")
    at = at or timezone.now()
    if at < activity.starts_at:
        raise ValidationError("活动还没开始，不能登记考勤。")
    attendance = Attendance.objects.select_for_update().filter(activity=activity, volunteer=volunteer).first()
    if attendance is not None and attendance.status == AttendanceStatus.CONFIRMED:
        raise ValidationError(f"{volunteer.name}的考勤已确认（{attendance.hours}小时），如需修改请更正时长。")
    if attendance is not None:
        attendance = _close(attendance, min(at, activity.ends_at), actor, "队长签退")
        if hours is not None:
            attendance = _correct(attendance, _validate_hours(hours, activity), "队长登记", actor)
        return attendance
    value = activity.duration_hours if hours is None else _validate_hours(hours, activity)
    attendance = _new_attendance(
        activity=activity,
        volunteer=volunteer,
        status=AttendanceStatus.CONFIRMED,
        method=AttendanceMethod.LEADER,
        hours=value,
        confirmed_at=at,
        confirmed_by=actor.account,
    )
    audit.record(attendance, ChangeAction.CREATE, None, audit.snapshot(attendance), actor, "队长登记考勤")
    _sync_points(attendance, actor)
    return attendance


def _correct(attendance: Attendance, hours: Decimal, reason: str, actor: Actor) -> Attendance:
    before = audit.snapshot(attendance)
    HoursCorrection.objects.create(
        attendance=attendance,
        hours_before=attendance.hours,
        hours_after=hours,
        reason=reason,
        corrected_by=actor.account,
    )
    attendance.hours = hours
    attendance.save(update_fields=["hours"])
    audit.record(attendance, ChangeAction.UPDATE, before, audit.snapshot(attendance), actor, f"更正时长：{reason}")
    _sync_points(attendance, actor)
    return attendance


@transaction.atomic
def correct_hours(attendance: Attendance, hours, *, reason: str, actor: Actor) -> Attendance:
    """Change a confirmed attendance's hours, with a reason; kept as a HoursCorrection row."""
    attendance = Attendance.objects.select_for_update().select_related("activity").get(pk=attendance.pk)
    _check_lead(actor, attendance.activity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写更正原因。"})
    if attendance.status != AttendanceStatus.CONFIRMED:
        raise ValidationError("还没签退的记录不能更正时长，请先签退或由队长登记考勤。")
    hours = _validate_hours(hours, attendance.activity)
    if hours == attendance.hours:
        raise ValidationError({"hours": "时长没有变化。"})
    return _correct(attendance, hours, reason[:200], actor)


# --------------------------------------------------------------------------- records (for pages and other apps)


def confirmed_attendances():
    """Confirmed attendance with hours: what the love bank turns into points (one row per volunteer and activity)."""
    return Attendance.objects.confirmed().select_related("activity", "volunteer")


def hours_summary(volunteer: Volunteer, year: int | None = None) -> dict:
    """Confirmed hours and activities of one volunteer: the total, by year, and by year and activity type."""
    from linli.volunteers.choices import ActivityKind

    rows = confirmed_attendances().filter(volunteer=volunteer)
    if year:
        rows = rows.filter(activity__starts_at__year=year)
    by = (
        rows.annotate(year=ExtractYear("activity__starts_at"))
        .values("year", "activity__kind")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by("-year", "activity__kind")
    )
    years: dict[int, dict] = {}
    for r in by:
        y = years.setdefault(r["year"], {"year": r["year"], "hours": Decimal("0"), "n": 0, "kinds": []})
        y["hours"] += r["hours"]
        y["n"] += r["n"]
        y["kinds"].append({"kind": ActivityKind(r["activity__kind"]).label, "hours": r["hours"], "n": r["n"]})
    total = sum((y["hours"] for y in years.values()), Decimal("0"))
    return {"total": total, "count": sum(y["n"] for y in years.values()), "years": list(years.values())}
