"""Organisational life: recording 三会一课 meetings with their attendance and photos, 民主评议党员, and the reminder
a week before a period closes. Every function is atomic, checks the actor's right (action "record": party.manage
over the area or the organisation's secretary) and leaves a change record.

Decisions (docs/party-life.md):
- An organisation records the kinds it holds (compliance.allowed_kinds): a 党小组 its 党小组会, a branch or the
  community party organisation the others. A meeting is recorded after it is held: no date after today.
- The attendance lists members of the organisation (a branch's members, a 党小组's): anyone else is refused by name.
  A member not listed is recorded 缺席 on a new meeting; on an edit their row is left as it was.
- 民主评议党员 is once a year per branch; its entries are the branch's active members; the branch secretary
  records each member's self-assessment and rating and finalises it, after which nothing changes.
- Reminders go to the branch secretary's account once per (branch, kind, period): the notification key is the
  record that it was sent (linli.notifications: (user, key) is unique).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.party import compliance
from linli.party.choices import BRANCH_KINDS, Attendance, MeetingKind, OrgKind, Rating, Review
from linli.party.models import Appraisal, AppraisalEntry, MeetingAttendance, PartyMeeting, PartyMember, PartyOrg
from linli.party.services import NOT_IN_SCOPE, locked, record_meeting

MEETING_FIELDS = ("place", "host", "minutes")
#: The oldest meeting worth recording (a typo like 1026 is refused).
FIRST_DAY = datetime.date(2000, 1, 1)


def org_members(org: PartyOrg):
    """The members a meeting of `org` lists: a 党小组's members, or a branch's (active and confirmed)."""
    rows = PartyMember.objects.filter(is_active=True, review=Review.CONFIRMED)
    rows = rows.filter(group=org) if org.kind == OrgKind.GROUP else rows.filter(branch=org)
    return rows.select_related("resident").order_by("name", "pk")


def _clean_meeting(org: PartyOrg, kind: str, held_on, topic: str, today: datetime.date) -> str:
    errors = {}
    allowed = compliance.allowed_kinds(org)
    if not allowed:
        errors["org"] = "三会一课由社区党组织、网格党支部和党小组记录。"
    elif kind not in allowed:
        label = MeetingKind(kind).label if kind in MeetingKind.values else "这种会议"
        errors["kind"] = f"{OrgKind(org.kind).label}不召开{label}。" + (
            "党小组会由党小组记录。" if kind == MeetingKind.GROUP else ""
        )
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = "请填写会议日期。"
    elif held_on > today:
        errors["held_on"] = "会议日期不能晚于今天：会议开过之后再记录。"
    elif held_on < FIRST_DAY:
        errors["held_on"] = "会议日期有误。"
    topic = " ".join((topic or "").split())
    if not topic:
        errors["topic"] = "请填写会议主题。"
    if errors:
        raise ValidationError(errors)
    return topic


def _clean_attendance(org: PartyOrg, attendance: dict, meeting=None) -> dict[int, tuple[str, str]]:
    """{member id: (status, reason)} checked against the organisation's members (and, on an edit, those already
    listed at the meeting who have left since)."""
    members = {m.pk: m for m in org_members(org)}
    if meeting is not None:
        listed = PartyMember.objects.filter(attendance__meeting=meeting).exclude(pk__in=list(members))
        members.update({m.pk: m for m in listed})
    out = {}
    strangers = []
    for member_id, value in (attendance or {}).items():
        status, reason = value if isinstance(value, tuple) else (value, "")
        if member_id not in members:
            strangers.append(member_id)
            continue
        if status not in Attendance.values:
            raise ValidationError({"attendance": f"{members[member_id]}的出席情况有误。"})
        reason = " ".join((reason or "").split())[:100] if status != Attendance.PRESENT else ""
        out[member_id] = (status, reason)
    if strangers:
        names = list(PartyMember.objects.filter(pk__in=strangers).values_list("name", flat=True)[:3])
        who = "、".join(names) if names else "名单外的人员"
        raise ValidationError({"attendance": f"{who}不是{org}的党员，不能登记出席情况。"})
    return out


@transaction.atomic
def create_meeting(
    org: PartyOrg,
    *,
    actor: Actor,
    kind: str,
    held_on: datetime.date,
    topic: str,
    attendance: dict | None = None,
    photos=(),
    today: datetime.date | None = None,
    **fields,
) -> PartyMeeting:
    """Record a meeting of `org` held on `held_on`, its attendance and photos (all or nothing)."""
    from linli.attachments.services import attach_photos, prepare_photos

    org = locked(PartyOrg, org.pk, actor, "record")
    topic = _clean_meeting(org, kind, held_on, topic, today or timezone.localdate())
    given = _clean_attendance(org, attendance or {})
    prepared = prepare_photos(photos)  # every photo checked before the first write
    extra = {k: (fields.get(k) or "").strip() for k in MEETING_FIELDS}
    meeting = record_meeting(org, actor=actor, kind=kind, held_on=held_on, topic=topic, attendance=given, **extra)
    if prepared:
        attach_photos(meeting, prepared, actor=actor)
    return meeting


@transaction.atomic
def update_meeting(
    meeting: PartyMeeting,
    *,
    actor: Actor,
    kind: str,
    held_on: datetime.date,
    topic: str,
    attendance: dict | None = None,
    photos=(),
    today: datetime.date | None = None,
    **fields,
) -> PartyMeeting:
    """Change a meeting's record (the organisation stays), its attendance and add photos."""
    from linli.attachments.services import attach_photos, prepare_photos

    meeting = locked(PartyMeeting, meeting.pk, actor, "record")
    org = meeting.org
    topic = _clean_meeting(org, kind, held_on, topic, today or timezone.localdate())
    prepared = prepare_photos(photos)
    before = audit.snapshot(meeting)
    meeting.kind, meeting.held_on, meeting.topic = kind, held_on, topic
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, (fields[name] or "").strip())
    meeting.save()
    audit.record(meeting, ChangeAction.UPDATE, before, audit.snapshot(meeting), actor)
    if attendance is not None:
        _write_attendance(meeting, org, attendance, actor)
    if prepared:
        attach_photos(meeting, prepared, actor=actor)
    return meeting


@transaction.atomic
def set_attendance(meeting: PartyMeeting, *, actor: Actor, attendance: dict) -> PartyMeeting:
    """Set the attendance of listed members ({member id: (status, reason)}); others keep their rows."""
    meeting = locked(PartyMeeting, meeting.pk, actor, "record")
    _write_attendance(meeting, meeting.org, attendance, actor)
    return meeting


def _write_attendance(meeting: PartyMeeting, org: PartyOrg, attendance: dict, actor: Actor) -> None:
    given = _clean_attendance(org, attendance, meeting)
    have = {row.member_id: row for row in meeting.attendance.all()}
    before = {str(r.member_id): (r.status, r.reason) for r in have.values()}
    changed, created = [], []
    for member_id, (status, reason) in given.items():
        row = have.get(member_id)
        if row is None:
            created.append(MeetingAttendance(meeting=meeting, member_id=member_id, status=status, reason=reason))
        elif (row.status, row.reason) != (status, reason):
            row.status, row.reason = status, reason
            changed.append(row)
    MeetingAttendance.objects.bulk_create(created)
    MeetingAttendance.objects.bulk_update(changed, ["status", "reason"])
    if not (created or changed):
        return
    rows = list(meeting.attendance.all())
    summary = {
        label: sum(r.status == value for r in rows) for value, label in Attendance.choices
    }  # e.g. {"出席": 5, "请假": 1, "缺席": 0}
    audit.record(
        meeting,
        ChangeAction.UPDATE,
        {"参会情况": len(before)},
        {"参会情况": summary},
        actor,
        note=f"登记参会情况（{len(created) + len(changed)}人）",
    )


# 民主评议党员 ------------------------------------------------------------------------------------------------


@transaction.atomic
def start_appraisal(org: PartyOrg, *, actor: Actor, year: int, held_on: datetime.date | None = None) -> Appraisal:
    """Open the year's 民主评议 of a branch, one entry per active member."""
    org = locked(PartyOrg, org.pk, actor, "record")
    if org.kind not in BRANCH_KINDS:
        raise ValidationError({"org": "民主评议党员以党支部（社区党组织、网格党支部）为单位开展。"})
    this_year = timezone.localdate().year
    if not (2000 <= int(year) <= this_year + 1):
        raise ValidationError({"year": f"年度应在2000至{this_year + 1}之间。"})
    if Appraisal.objects.filter(org=org, year=year).exists():
        raise ValidationError({"year": f"{org}{year}年的民主评议党员已经建立。"})
    appraisal = Appraisal(org=org, year=year, held_on=held_on, recorded_by=actor.account)
    appraisal.save()
    AppraisalEntry.objects.bulk_create(AppraisalEntry(appraisal=appraisal, member=m) for m in org_members(org))
    after = audit.snapshot(appraisal) | {"参评党员": appraisal.entries.count()}
    audit.record(appraisal, ChangeAction.CREATE, None, after, actor)
    return appraisal


def _open_appraisal(appraisal: Appraisal, actor: Actor) -> Appraisal:
    appraisal = locked(Appraisal, appraisal.pk, actor, "record")
    if appraisal.finalised:
        raise ValidationError("评议已定稿，不能再修改。")
    return appraisal


def sync_entries(appraisal: Appraisal) -> int:
    """Add entries for members who joined the branch since the appraisal opened (called inside a locked change)."""
    have = set(appraisal.entries.values_list("member_id", flat=True))
    new = [AppraisalEntry(appraisal=appraisal, member=m) for m in org_members(appraisal.org) if m.pk not in have]
    AppraisalEntry.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def save_entries(
    appraisal: Appraisal,
    *,
    actor: Actor,
    entries: dict[int, tuple[str, str]],
    held_on: datetime.date | None = None,
) -> Appraisal:
    """Record self-assessments and ratings ({entry id: (self_assessment, rating)}; rating may be blank, a None
    self-assessment is left as it was)."""
    appraisal = _open_appraisal(appraisal, actor)
    sync_entries(appraisal)
    rows = {e.pk: e for e in appraisal.entries.select_related("member")}
    unknown = [pk for pk in entries if pk not in rows]
    if unknown:
        raise ValidationError("名单外的党员不能评议。")
    before = {"评议等次": {str(e.member): e.get_rating_display() for e in rows.values()}}
    changed = []
    for pk, (text, rating) in entries.items():
        if rating and rating not in Rating.values:
            raise ValidationError(f"{rows[pk].member}的评议等次有误。")
        entry = rows[pk]
        text = entry.self_assessment if text is None else text.strip()
        if (entry.self_assessment, entry.rating) != (text, rating or ""):
            entry.self_assessment, entry.rating = text, rating or ""
            changed.append(entry)
    AppraisalEntry.objects.bulk_update(changed, ["self_assessment", "rating"])
    if held_on is not None and held_on != appraisal.held_on:
        appraisal.held_on = held_on
        appraisal.save(update_fields=["held_on"])
    after = {"评议等次": {str(e.member): e.get_rating_display() for e in rows.values()}}
    audit.record(appraisal, ChangeAction.UPDATE, before, after, actor, note=f"登记评议（{len(changed)}人）")
    return appraisal


@transaction.atomic
def finalise_appraisal(appraisal: Appraisal, *, actor: Actor, today: datetime.date | None = None) -> Appraisal:
    """定稿: every member rated; afterwards the appraisal cannot change."""
    appraisal = _open_appraisal(appraisal, actor)
    unrated = appraisal.entries.filter(rating="").count()
    if unrated:
        raise ValidationError(f"还有{unrated}位党员未评定等次，不能定稿。")
    if not appraisal.entries.exists():
        raise ValidationError("没有参评党员，不能定稿。")
    before = audit.snapshot(appraisal)
    appraisal.finalised = True
    appraisal.held_on = appraisal.held_on or today or timezone.localdate()
    appraisal.save(update_fields=["finalised", "held_on"])
    audit.record(appraisal, ChangeAction.UPDATE, before, audit.snapshot(appraisal) | rating_counts(appraisal), actor)
    return appraisal


def rating_counts(appraisal: Appraisal) -> dict[str, int]:
    """{rating label: members} in Rating order, then 未评定."""
    counts = dict.fromkeys([label for _, label in Rating.choices] + ["未评定"], 0)
    labels = dict(Rating.choices)
    for rating in appraisal.entries.values_list("rating", flat=True):
        counts[labels.get(rating, "未评定")] += 1
    return counts


# Reminders ---------------------------------------------------------------------------------------------------


def remind_due(today: datetime.date | None = None) -> tuple[int, int]:
    """Tell each branch secretary of the kinds still not held in a period closing within a week (once per branch,
    kind and period). Returns (cells due soon, messages sent)."""
    from linli.notifications.services import notify

    today = today or timezone.localdate()
    branches = PartyOrg.objects.branches().select_related("secretary").order_by("pk")
    rows = compliance.table(branches, today.year, today, months=[today.month])
    due = sent = 0
    for row in rows:
        cells = [c for c in row.cells(today.month) if c.status == compliance.SOON]
        due += len(cells)
        secretary = row.org.secretary
        if secretary is None or not cells:
            continue
        for cell in cells:
            start, end = cell.span
            url = reverse("party:meeting_add") + f"?org={row.org.pk}&kind={cell.kind}"
            sent += notify(
                [secretary],
                kind="system",
                title=f"{row.org}：{cell.period}的{cell.kind_label}尚未开展",
                body=f"{cell.period}将于{end:%m月%d日}结束，{cell.kind_label}还没有记录。{cell.detail}".strip(),
                url=url,
                key=f"party-meeting-{row.org.pk}-{cell.kind}-{start:%Y%m}",
            )
    return due, sent


def require_record(user, org: PartyOrg) -> None:
    """404 unless `user` may record `org`'s life (used by pages before showing a form)."""
    if not PartyOrg.objects.restrict(user, "record").filter(pk=org.pk).exists():
        raise Http404(NOT_IN_SCOPE)
