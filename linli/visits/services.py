"""Visit policy arithmetic, visit logging, alerts and the overdue sweep.

Due dates (the decision, documented here):
- a resident's interval is the shortest `visit_interval_days` among their *active* tags; no such
  tag, no interval and no due date;
- `visit_policy_since` is the day the interval began to apply: today when a resident first gets
  an interval-bearing tag (or is registered with one), the resident's creation date for residents
  that existed when visits were introduced (migration visits.0002). It acts as a virtual last
  visit, so the first visit is due one interval after the policy starts;
- due = (last completed visit, else policy start) + interval. 见面, 电话 and 拒访 complete a visit;
- 不在家 completes nothing and asks for a retry: while the latest attempt is a miss newer than the
  last completed visit, due = min(that due, miss + RETRY_DAYS).
All of it is recomputed by two UPDATE statements with subqueries, for one resident or for all.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, DateField, Exists, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import GreaterThan, IsNull, LessThan
from django.http import Http404
from django.utils import timezone

from linli.areas.models import Building, Community, Grid
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.core.services import check_scope
from linli.residents.models import Resident
from linli.visits.choices import COMPLETED_OUTCOMES, AlertReason, Outcome, Wellbeing
from linli.visits.models import FieldNote, Visit, VisitAlert
from linli.visits.querysets import AddDays

#: After 不在家 the resident is due again within this many days.
RETRY_DAYS = 2
#: This many 不在家 in a row raise an alert to the community secretary.
MISSES_FOR_ALERT = 3


def _interval_subquery():
    through = Resident.tags.through.objects.filter(
        resident_id=OuterRef("pk"), tag__is_active=True, tag__visit_interval_days__isnull=False
    )
    return Subquery(through.values("resident_id").annotate(m=Min("tag__visit_interval_days")).values("m")[:1])


def _last_visit_subquery(outcomes):
    """The latest visit date with one of `outcomes` (NULL when none).

    Written as ORDER BY ... LIMIT 1 rather than MAX(): PostgreSQL then walks the (resident, visited_on)
    index backwards and stops at the first match, instead of reading every visit of the resident
    (a year of weekly visits) for each of the several places the due-date expression uses it.
    """
    visits = Visit.objects.filter(resident_id=OuterRef("pk"), outcome__in=outcomes).order_by("-visited_on")
    return Subquery(visits.values("visited_on")[:1], output_field=DateField())


def first_due_dates(tags: Iterable, today: datetime.date | None = None) -> dict:
    """What recompute_due_dates writes for a resident who has no visit yet and these tags, worked out without a
    query (registering a resident is frequent, and the SQL expression costs more to build than to run): the
    shortest active interval of the tags, the policy starting today, due one interval later; all empty when no
    tag sets an interval. linli/visits/tests/test_due_dates.py checks the two agree."""
    intervals = [t.visit_interval_days for t in tags if t.is_active and t.visit_interval_days is not None]
    if not intervals:
        return {"visit_interval_days": None, "visit_policy_since": None, "visit_due_on": None}
    today = today or timezone.localdate()
    interval = min(intervals)
    return {
        "visit_interval_days": interval,
        "visit_policy_since": today,
        "visit_due_on": today + datetime.timedelta(days=interval),
    }


def recompute_due_dates(resident_ids: Iterable[int] | None = None, *, today: datetime.date | None = None) -> int:
    """Recompute interval, policy start and due date in the database for the given residents (all when None).

    `resident_ids` may be a list or a queryset of ids (then it stays a subquery). Returns the number
    of due dates written (residents with an interval, or losing one).
    """
    today = today or timezone.localdate()
    residents = Resident.objects.all()
    if resident_ids is not None:
        residents = residents.filter(pk__in=resident_ids)
    interval = _interval_subquery()
    # Rows with no interval-bearing tag and no policy would be set to what they are (all NULL): leave
    # them out, so that the daily sweep rewrites the ~15% of residents in care groups, not everyone.
    bearing = Resident.tags.through.objects.filter(
        resident_id=OuterRef("pk"), tag__is_active=True, tag__visit_interval_days__isnull=False
    )
    # 1. Interval and policy start. SET expressions read the old row, so the start is kept while
    #    an interval keeps applying, set to today when one begins, cleared when none applies.
    residents.filter(
        Q(visit_interval_days__isnull=False) | Q(visit_policy_since__isnull=False) | Exists(bearing)
    ).update(
        visit_interval_days=interval,
        visit_policy_since=Case(
            When(IsNull(interval, True), then=Value(None)),
            When(visit_policy_since__isnull=True, then=Value(today)),
            default=F("visit_policy_since"),
            output_field=DateField(),
        ),
    )
    # 2. Due date from the new interval and the visits.
    done = _last_visit_subquery(COMPLETED_OUTCOMES)
    missed = _last_visit_subquery([Outcome.NOT_HOME])
    regular = AddDays(Coalesce(done, F("visit_policy_since")), F("visit_interval_days"))
    retry = Case(
        When(GreaterThan(missed, Coalesce(done, Value(datetime.date.min))), then=AddDays(missed, Value(RETRY_DAYS))),
        default=Value(None),
        output_field=DateField(),
    )
    return residents.filter(Q(visit_interval_days__isnull=False) | Q(visit_due_on__isnull=False)).update(
        visit_due_on=Case(
            When(visit_interval_days__isnull=True, then=Value(None)),
            default=Least(regular, Coalesce(retry, regular)),
            output_field=DateField(),
        )
    )


def _check_can_log(resident: Resident, actor: Actor) -> None:
    """The acting user's role may log visits and the resident is in their scope (404 otherwise)."""
    user = actor.user
    if user is None:
        return
    require_perm(user, "visit.add")
    if not Resident.objects.restrict(user, "view").filter(pk=resident.pk).exists():
        raise Http404("不在您的管辖范围内。")


def _validate(outcome: str, wellbeing: str, visited_on: datetime.date, today: datetime.date) -> str:
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "请选择走访结果。"
    if visited_on > today:
        errors["visited_on"] = "走访日期不能晚于今天。"
    if outcome == Outcome.NOT_HOME:
        wellbeing = ""
    elif not wellbeing:
        errors["wellbeing"] = "请选择居民的身心状况（不在家时可不填）。"
    elif wellbeing not in Wellbeing.values:
        errors["wellbeing"] = "身心状况的选项无效。"
    if errors:
        raise ValidationError(errors)
    return wellbeing


@transaction.atomic
def log_visit(
    resident: Resident,
    *,
    actor: Actor,
    outcome: str,
    wellbeing: str = "",
    findings: str = "",
    need: str = "",
    visited_on: datetime.date | None = None,
    photos=(),
) -> Visit:
    """Record a visit, move the resident's due date, and raise an alert after repeated misses.

    `photos` (optional uploads) are checked before anything is written, so a bad photo refuses the whole
    visit, and stored last, so that no later step can fail after their files are written.
    """
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    _check_can_log(resident, actor)
    today = timezone.localdate()
    visited_on = visited_on or today
    wellbeing = _validate(outcome, wellbeing or "", visited_on, today)
    if photos:
        from linli.attachments.services import prepare_photos

        try:
            photos = prepare_photos(photos)  # checked before the first write
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages})
    visit = Visit.objects.create(
        resident=resident,
        visited_on=visited_on,
        visitor=actor.user if getattr(actor.user, "pk", None) else None,
        outcome=outcome,
        wellbeing=wellbeing,
        findings=(findings or "").strip(),
        need=(need or "").strip(),
        street_id=resident.street_id,
        community_id=resident.community_id,
        grid_id=resident.grid_id,
        building_id=resident.building_id,
    )
    audit.record(visit, ChangeAction.CREATE, None, audit.snapshot(visit), actor)
    recompute_due_dates([resident.pk], today=today)
    if outcome == Outcome.NOT_HOME:
        _alert_after_misses(resident)
    if wellbeing == Wellbeing.URGENT:
        alert_urgent(visit, actor=actor)
    if photos:
        from linli.attachments.services import attach_photos

        try:
            attach_photos(visit, photos, actor=actor)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages})
    return visit


def _alert_after_misses(resident: Resident) -> VisitAlert | None:
    latest = list(
        Visit.objects.filter(resident=resident)
        .order_by("-visited_on", "-id")
        .values_list("outcome", flat=True)[:MISSES_FOR_ALERT]
    )
    if len(latest) < MISSES_FOR_ALERT or any(o != Outcome.NOT_HOME for o in latest):
        return None
    open_alert = VisitAlert.objects.filter(resident=resident, reason=AlertReason.NOT_HOME_THRICE, resolved=False)
    if open_alert.exists():
        return None
    alert = VisitAlert.objects.create(resident=resident, reason=AlertReason.NOT_HOME_THRICE)
    from linli.visits.notify import notify_alert

    notify_alert(alert)
    return alert


def alert_urgent(visit: Visit, *, actor: Actor) -> VisitAlert | None:
    """An urgent finding (身心状况 紧急): one open alert per resident, its secretaries told at once.

    While the alert is open the resident heads the grid worker's worklist (overdue.Worklist);
    resolving it (resolve_alert) ends that. A second urgent visit while one is open adds nothing.
    """
    open_alert = VisitAlert.objects.filter(resident_id=visit.resident_id, reason=AlertReason.URGENT, resolved=False)
    if open_alert.exists():
        return None
    alert = VisitAlert.objects.create(resident_id=visit.resident_id, reason=AlertReason.URGENT, visit=visit)
    audit.record(alert, ChangeAction.CREATE, None, audit.snapshot(alert), actor, note="走访发现紧急情况")
    from linli.visits.notify import notify_alert

    notify_alert(alert)
    return alert


@transaction.atomic
def resolve_alert(alert: VisitAlert, *, actor: Actor) -> VisitAlert:
    alert = VisitAlert.objects.select_for_update().get(pk=alert.pk)
    check_scope(VisitAlert.objects.all(), alert, actor, "alerts")
    if alert.resolved:
        return alert
    before = audit.snapshot(alert)
    alert.resolved = True
    alert.save(update_fields=["resolved"])
    audit.record(alert, ChangeAction.UPDATE, before, audit.snapshot(alert), actor)
    return alert


@transaction.atomic
def resolve_alerts(alert_ids: Iterable[int], *, actor: Actor) -> int:
    """标为已处理 for several alerts at once; returns how many changed (already-resolved ones stay as they are).

    All or nothing: an alert outside the acting user's scope (or gone) refuses the whole request.
    One change record per alert that changed.
    """
    from linli.core.selection import all_in_scope

    ids = list(dict.fromkeys(alert_ids))
    queryset = VisitAlert.objects.select_for_update()
    if actor.user is not None:
        require_perm(actor.user, "visit.alerts")
        queryset = queryset.restrict(actor.user, "alerts")
    alerts = all_in_scope(queryset.select_related("resident").order_by("pk"), ids, "条提醒")
    changed = 0
    for alert in alerts:
        if alert.resolved:
            continue
        before = audit.snapshot(alert)
        alert.resolved = True
        alert.save(update_fields=["resolved"])
        audit.record(alert, ChangeAction.UPDATE, before, audit.snapshot(alert), actor, note="批量标为已处理")
        changed += 1
    return changed


@dataclass
class GridLine:
    label: str
    overdue: int = 0
    late: int = 0


@dataclass
class SweepReport:
    today: datetime.date
    grids: list[GridLine] = field(default_factory=list)
    alerts_created: int = 0

    def lines(self) -> list[str]:
        out = [f"{self.today:%Y-%m-%d} 走访逾期情况"]
        for g in self.grids:
            out.append(f"{g.label}：逾期 {g.overdue} 人，超过一个走访周期 {g.late} 人")
        if not self.grids:
            out.append("没有逾期未走访的居民。")
        out.append(f"新建提醒 {self.alerts_created} 条")
        return out


def late_filter(today: datetime.date):
    """Residents more than one whole interval past their due date."""
    return LessThan(AddDays(F("visit_due_on"), F("visit_interval_days")), Value(today))


@transaction.atomic
def sweep_overdue(*, today: datetime.date | None = None) -> SweepReport:
    """Daily: recompute every due date, count overdue residents per grid, alert on the long overdue.

    The recompute catches tags written in bulk (ledger import, demo data) outside residents.services.
    A resident more than one interval late gets one "逾期超过一个走访周期" alert until it is resolved.
    """
    today = today or timezone.localdate()
    recompute_due_dates(today=today)
    overdue = Resident.objects.active().filter(visit_due_on__lt=today)
    keys = ("grid_id", "community__name", "grid__name")
    counts = overdue.values(*keys).annotate(n=Count("id")).order_by("community__name", "grid__number")
    late = dict(
        overdue.filter(late_filter(today)).values("grid_id").annotate(n=Count("id")).values_list("grid_id", "n")
    )
    report = SweepReport(today=today)
    for row in counts:
        label = f"{row['community__name']} {row['grid__name'] or '未分配网格'}"
        report.grids.append(GridLine(label=label, overdue=row["n"], late=late.get(row["grid_id"], 0)))
    open_alerts = VisitAlert.objects.filter(resident_id=OuterRef("pk"), reason=AlertReason.LONG_OVERDUE, resolved=False)
    new_ids = list(overdue.filter(late_filter(today)).exclude(Exists(open_alerts)).values_list("pk", flat=True))
    VisitAlert.objects.bulk_create(
        [VisitAlert(resident_id=pk, reason=AlertReason.LONG_OVERDUE) for pk in new_ids], batch_size=1000
    )
    report.alerts_created = len(new_ids)
    return report


# --- 民情日记 (field diary) ---------------------------------------------------------------

#: Separators a person types between tags: commas (half and full width), 、, semicolons, spaces, #.
_TAG_SPLIT = re.compile(r"[,，、;；#\s]+")
MAX_TAG_LENGTH = 20


def parse_tags(raw) -> list[str]:
    """'旧改, 晾衣架 旧改' -> ['旧改', '晾衣架']: trimmed, de-duplicated, in the order typed."""
    parts = _TAG_SPLIT.split(raw) if isinstance(raw, str) else [str(t) for t in raw or ()]
    tags = []
    for part in parts:
        tag = _TAG_SPLIT.sub("", part.strip())
        if tag and tag not in tags:
            tags.append(tag)
    too_long = [t for t in tags if len(t) > MAX_TAG_LENGTH]
    if too_long:
        raise ValidationError({"tags": f"标签“{too_long[0]}”太长了，每个标签不超过{MAX_TAG_LENGTH}个字。"})
    if len(FieldNote.join_tags(tags)) > FieldNote._meta.get_field("tags").max_length:
        raise ValidationError({"tags": "标签太多了，请精简一些。"})
    return tags


def _check_diary_links(user, grid, buildings, residents) -> None:
    """Everything a note links to must be in the author's scope (system and CLI actors may link anything)."""
    if user is None:
        return
    if grid is not None and not Grid.objects.restrict(user).filter(pk=grid.pk).exists():
        raise ValidationError({"grid": "所选网格不在您的管辖范围内。"})
    ids = {b.pk for b in buildings}
    if ids and Building.objects.restrict(user).filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"buildings": "所选楼栋中有不在您管辖范围内的，不能关联。"})
    ids = {r.pk for r in residents}
    if ids:
        outside = len(ids) - Resident.objects.restrict(user).filter(pk__in=ids).count()
        if outside:
            raise ValidationError({"residents": f"所选居民中有{outside}位不在您的管辖范围内，不能关联。"})


def _note_place(user, grid, buildings, residents) -> tuple[int, int | None]:
    """(community_id, grid_id) of a note: the chosen grid, else the first building, else the first resident,
    else the author's only grid, else the author's only community."""
    if grid is not None:
        return grid.community_id, grid.pk
    if buildings:
        return buildings[0].community_id, buildings[0].grid_id
    if residents:
        return residents[0].community_id, residents[0].grid_id
    if user is not None:
        grids = list(Grid.objects.restrict(user).values_list("community_id", "pk")[:2])
        if len(grids) == 1:
            return grids[0]
        communities = list(Community.objects.restrict(user).values_list("pk", flat=True)[:2])
        if len(communities) == 1:
            return communities[0], None
    raise ValidationError({"grid": "请选择网格，或关联楼栋、居民，以确定这篇日记属于哪里。"})


def _save_note(note: FieldNote, user, *, text, written_on, tags, grid, buildings, residents) -> FieldNote:
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "请填写日记内容。"
    written_on = written_on or timezone.localdate()
    if written_on > timezone.localdate():
        errors["written_on"] = "日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    tags = parse_tags(tags)
    buildings, residents = list(dict.fromkeys(buildings or ())), list(dict.fromkeys(residents or ()))
    _check_diary_links(user, grid, buildings, residents)
    community_id, grid_id = _note_place(user, grid, buildings, residents)
    note.text, note.written_on, note.tags = text, written_on, FieldNote.join_tags(tags)
    note.community_id, note.grid_id = community_id, grid_id
    note.street_id = Community.objects.values_list("street_id", flat=True).get(pk=community_id)
    note.save()
    note.buildings.set(buildings)
    note.residents.set(residents)
    return note


@transaction.atomic
def create_note(
    *,
    actor: Actor,
    text: str,
    written_on: datetime.date | None = None,
    tags=(),
    grid=None,
    buildings=(),
    residents=(),
) -> FieldNote:
    """Write a 民情日记 entry; linked residents, buildings and grid must be in the author's scope."""
    user = actor.user
    if user is not None:
        require_perm(user, "diary.add")
    note = FieldNote(author=user if getattr(user, "pk", None) else None)
    _save_note(
        note, user, text=text, written_on=written_on, tags=tags, grid=grid, buildings=buildings, residents=residents
    )
    audit.record(note, ChangeAction.CREATE, None, audit.snapshot(note), actor)
    return note


@transaction.atomic
def update_note(
    note: FieldNote,
    *,
    actor: Actor,
    text: str,
    written_on: datetime.date | None = None,
    tags=(),
    grid=None,
    buildings=(),
    residents=(),
) -> FieldNote:
    """Edit a diary entry. A diary is personal, as on paper: only its author changes it (404 outside scope)."""
    note = FieldNote.objects.select_for_update().get(pk=note.pk)
    user = actor.user
    if user is not None:
        require_perm(user, "diary.add")
        check_scope(FieldNote.objects.all(), note, actor, "view")
        if not user.is_superuser and note.author_id != user.pk:
            raise PermissionDenied("只能修改自己写的民情日记。")
    before = audit.snapshot(note)
    _save_note(
        note, user, text=text, written_on=written_on, tags=tags, grid=grid, buildings=buildings, residents=residents
    )
    audit.record(note, ChangeAction.UPDATE, before, audit.snapshot(note), actor)
    return note
