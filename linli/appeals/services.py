"""Every state change of an appeal (诉求). Views, the API, commands and tests call these; nothing else writes.

The state machine (status → actions allowed there, and by whom):

  待派单 pending_dispatch  ─dispatch (dispatcher)──────────────→ 待签收 pending_sign
                           ─withdraw (dispatcher)──────────────→ 已撤销 withdrawn
  待签收 pending_sign      ─sign (a handler of the organisation)→ 办理中 in_progress
                           ─return_appeal (handler)────────────→ 待派单 (back to the dispatcher)
                           ─withdraw (dispatcher)──────────────→ 已撤销
  办理中 in_progress       ─resolve (handler)──────────────────→ 待回访 resolved
                           ─return_appeal (handler)────────────→ 待派单
  待回访 resolved          ─reply (community staff)────────────→ 已结案 closed
  已结案 closed, 不满意     ─reopen / escalate (secretary)───────→ 待签收 (same organisation, fresh deadlines)

  待派单 / 待签收 (a duplicate) ─merge_appeal (dispatcher)───→ 已合并 merged (joins an open main appeal;
                           gets its reply at 回访; back to 待派单 if the main one is withdrawn)

Anywhere open: add_progress (handlers, assisting handlers, staff), request_assist (dispatcher or
handler, once dispatched), escalate (督办, secretary; flags and notifies). While 办理中:
request_extension (handler) and decide_extension (secretary).

Each function locks the appeal row (select_for_update), checks the current state and the acting
user, changes the row, appends an AppealEvent (who, when, what, note) and tells the people who
must act next. A refused action raises ValidationError with a Chinese message (wrong state, missing
input), PermissionDenied (role or organisation) or Http404 (outside the user's area), and changes nothing.

Deadlines (linli.workdays.calendar): at each dispatch (and reopen) sign_due = N working days and
resolve_due = the category's time for the urgency (紧急/急办 in calendar hours, 一般/复杂 in working
days), both counted from that dispatch; at resolution reply_due = N working days. `current_due` is the
deadline of the stage the appeal is in, indexed for "overdue" lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from contextlib import nullcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, CharField
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.accounts.choices import Role
from linli.accounts.directory import secretaries_of, users_assigned
from linli.appeals.choices import (
    FINISHED,
    NEEDS_EXPLANATION,
    OPEN,
    Channel,
    EventAction,
    ExtensionStatus,
    Outcome,
    Rating,
    ReplyMethod,
    Status,
    Urgency,
)
from linli.appeals.models import (
    Appeal,
    AppealAssist,
    AppealEvent,
    Category,
    CategoryRoute,
    ExtensionRequest,
    HandlingUnit,
    Organisation,
    UnitBinding,
)
from linli.areas.models import Building, Community, Household
from linli.core import inserts
from linli.core.audit import Actor
from linli.core.phone import PhoneError, normalize_phone
from linli.core.querysets import require_perm
from linli.notifications.choices import Kind
from linli.notifications.services import notify
from linli.residents.models import Resident
from linli.workdays import calendar

MAX_TEXT = 5000
_CHANNELS, _URGENCIES = frozenset(Channel.values), frozenset(Urgency.values)
MAX_NOTE = 2000
MAX_EXTENSION_WORKDAYS = 30
DEFAULT_SIGN_WORKDAYS = 1
DEFAULT_REPLY_WORKDAYS = 2


# --- helpers ---------------------------------------------------------------------------------------


def _now():
    return timezone.now()


def _status_label(status: str) -> str:
    return Status(status).label


def _refuse_state(appeal: Appeal, action: str) -> ValidationError:
    return ValidationError(f"该诉求当前状态为“{_status_label(appeal.status)}”，不能{action}。")


def _lock(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


def _check_area(appeal: Appeal, actor: Actor, perm: str) -> None:
    """The role holds `appeal.<perm>` and the appeal lies in the user's area (CLI and system actors may)."""
    user = actor.user
    if user is None:
        return
    require_perm(user, f"appeal.{perm}")
    if not Appeal.objects.restrict(user, perm).filter(pk=appeal.pk).exists():
        raise Http404("不在您的管辖范围内。")


def _can_see(appeal: Appeal, user) -> bool:
    return Appeal.objects.restrict(user, "view").filter(pk=appeal.pk).exists()


def is_handler(user, org: Organisation | None) -> bool:
    return bool(user and org and org.handlers.filter(pk=user.pk).exists())


def _check_handler(appeal: Appeal, actor: Actor, *, assisting: bool = False) -> None:
    """The acting user handles for the owning organisation (or, with `assisting`, an assisting one)."""
    user = actor.user
    if user is None or user.is_superuser:
        return
    if is_handler(user, appeal.assigned_org):
        return
    if assisting and appeal.assists.filter(org__handlers=user).exists():
        return
    if not _can_see(appeal, user):
        raise Http404("不在您的管辖范围内。")
    raise PermissionDenied(f"只有“{appeal.assigned_org or '承办机构'}”的承办人可以办理这件诉求。")


def _note(text, field: str = "note", *, required: str | None = None, limit: int = MAX_NOTE) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: f"内容太长了，不超过{limit}字。"})
    return text


def _event(
    appeal, actor: Actor, action, before: str, *, note="", internal=False, org=None, public=False
) -> AppealEvent:
    event = _new_event(appeal, actor, action, before, note=note, internal=internal, org=org, public=public)
    event.save(force_insert=True)
    return event


def _new_event(
    appeal, actor: Actor, action, before: str, *, note="", internal=False, org=None, public=False
) -> AppealEvent:
    """A timeline step, not yet saved."""
    user = actor.account
    label = (user.full_name or user.username) if user else actor.label
    return AppealEvent(
        appeal=appeal,
        actor=user,
        actor_label=label[:80],
        action=action,
        from_status=before,
        to_status=appeal.status,
        org=org,
        note=note,
        internal=internal,
        public=public,
    )


def _set_current_due(appeal: Appeal) -> None:
    appeal.current_due = {
        Status.PENDING_SIGN: appeal.sign_due,
        Status.IN_PROGRESS: appeal.resolve_due,
        Status.RESOLVED: appeal.reply_due,
    }.get(appeal.status)


def _deadline_note(*deadlines) -> str:
    return next((d.warning for d in deadlines if d.warning), "")


def _url(appeal: Appeal) -> str:
    return reverse("appeals:appeal_detail", args=[appeal.pk])


def _tell(users, appeal: Appeal, title: str, *, key: str | None = None, kind: str = Kind.APPEAL) -> None:
    notify(users, kind=kind, title=f"{title}：{appeal.number} {appeal.summary}", url=_url(appeal), key=key)


def dispatchers_of(community_id: int):
    """Who dispatches a community's appeals: its secretaries and staff."""
    return users_assigned(role=(Role.SECRETARY, Role.STAFF), community_ids=[community_id])


# --- directory -------------------------------------------------------------------------------------


def default_unit(category: Category | None, community_id: int) -> HandlingUnit | None:
    """The unit a category goes to in a community: the community's own routing, else the directory's default."""
    if category is None:
        return None
    route = CategoryRoute.objects.filter(community_id=community_id, category=category).select_related("unit").first()
    return route.unit if route else category.unit


def organisation_for(community_id: int, unit: HandlingUnit) -> Organisation:
    binding = (
        UnitBinding.objects.filter(community_id=community_id, unit=unit, organisation__is_active=True)
        .select_related("organisation")
        .first()
    )
    if binding is None:
        raise ValidationError({"unit": f"本社区还没有设置“{unit.name}”的承办机构，请先在“承办单位”页面设置。"})
    return binding.organisation


# --- intake ----------------------------------------------------------------------------------------


def _place(appeal: Appeal, *, household, building, community) -> None:
    if household is not None:
        building = household.building
    if building is not None:
        community = building.community
    if community is None:
        raise ValidationError({"community": "请选择诉求所在的社区、楼栋或户室。"})
    appeal.household = household
    appeal.building = building
    appeal.grid_id = building.grid_id if building is not None else None
    appeal.community = community
    appeal.street_id = community.street_id


def _check_intake_scope(user, *, community, building, household, reporter, visit) -> None:
    if user is None or user.is_superuser:
        return
    if reporter is not None and not Resident.objects.restrict(user).filter(pk=reporter.pk).exists():
        raise Http404("所选居民不在您的管辖范围内。")
    if household is not None and not Household.objects.restrict(user).filter(pk=household.pk).exists():
        raise Http404("所选户室不在您的管辖范围内。")
    if building is not None and not Building.objects.restrict(user).filter(pk=building.pk).exists():
        raise Http404("所选楼栋不在您的管辖范围内。")
    if community is not None and not Community.objects.restrict(user).filter(pk=community.pk).exists():
        raise Http404("所选社区不在您的管辖范围内。")
    if visit is not None:
        from linli.visits.models import Visit

        if not Visit.objects.restrict(user).filter(pk=visit.pk).exists():
            raise Http404("所选走访记录不在您的管辖范围内。")


def create_appeal(
    *,
    actor: Actor,
    text: str,
    channel: str,
    category: Category | None = None,
    urgency: str | None = None,
    reporter: Resident | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    anonymous: bool = False,
    community: Community | None = None,
    building: Building | None = None,
    household: Household | None = None,
    address: str = "",
    visit=None,
    received_at: datetime.datetime | None = None,
    external_due: datetime.datetime | None = None,
    sms_notify: bool = False,
    scope_checked: bool = False,
) -> Appeal:
    """Register an appeal from any channel (待派单). Where: a household, a building or a community + address.
    `sms_notify`: the reporter agreed to get the tracking code and the answer by text message (issue 14); it
    needs a mobile number and a named reporter. `scope_checked`: the caller read the reporter, household, building
    and community through `restrict(user)` of the acting user in this request, so they are not checked again."""
    user = actor.user
    if user is not None:
        require_perm(user, "appeal.add")
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "请填写诉求内容。"
    elif len(text) > MAX_TEXT:
        errors["text"] = f"诉求内容太长了（{len(text)}字），请精简到{MAX_TEXT}字以内，或分成几条登记。"
    if channel not in _CHANNELS:
        errors["channel"] = "请选择来源渠道。"
    if urgency and urgency not in _URGENCIES:
        errors["urgency"] = "紧急程度的选项无效。"
    now = _now()
    received_at = received_at or now
    if received_at > now + datetime.timedelta(minutes=5):
        errors["received_at"] = "受理时间不能晚于现在。"
    reporter_name = (reporter_name or "").strip()[:40]
    phone = ""
    if anonymous:
        reporter, reporter_name = None, ""
    else:
        try:
            phone = normalize_phone(reporter_phone or "")
        except PhoneError as exc:
            errors["reporter_phone"] = str(exc)
        if reporter is None and not reporter_name and not phone and "reporter_phone" not in errors:
            errors["reporter"] = "请选择反映人、填写姓名或电话，或勾选“匿名”。"
    address = (address or "").strip()[:200]
    if household is None and building is None and not address and reporter is None:
        errors["address"] = "请选择楼栋、户室，或填写地点。"
    if sms_notify and not errors:
        mobile = phone or (reporter.phone if reporter is not None and not anonymous else "")
        if anonymous or not (len(mobile) == 11 and mobile.isdigit() and mobile.startswith("1")):
            errors["sms_notify"] = "短信通知需要反映人的手机号（11位，以1开头），匿名反映不能短信通知。"
    if errors:
        raise ValidationError(errors)
    if reporter is not None and household is None and building is None:
        household = reporter.household
    if visit is not None and reporter is None and not anonymous:
        reporter = visit.resident
    if not scope_checked:
        _check_intake_scope(
            user, community=community, building=building, household=household, reporter=reporter, visit=visit
        )
    appeal = Appeal(
        text=text,
        channel=channel,
        category=category,
        urgency=urgency or (category.default_urgency if category else Urgency.NORMAL),
        reporter=reporter,
        reporter_name=reporter_name or (reporter.name if reporter else ""),
        reporter_phone=phone or (reporter.phone if reporter else ""),
        anonymous=anonymous,
        address=address,
        visit=visit,
        received_at=received_at,
        external_due=external_due,
        created_by=actor.account,
        status=Status.PENDING_DISPATCH,
        sms_notify=bool(sms_notify),
    )
    _place(appeal, household=household, building=building, community=community)
    # A new appeal's whole timeline is this step: a caller answering with the timeline need not read it back.
    event = _new_event(appeal, actor, EventAction.CREATED, "", note=f"来源：{appeal.get_channel_display()}")
    if connection.vendor == "postgresql":
        # One statement is atomic by itself: no BEGIN/COMMIT of our own (a savepoint inside a caller's transaction,
        # as before, so that a failure leaves the caller's transaction usable).
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            _insert_with_event(appeal, event)
    else:
        with transaction.atomic():
            appeal.save()
            appeal.number = _number(appeal)
            appeal.save(update_fields=["number"])
            event.save(force_insert=True)
    appeal.created_event = event
    return appeal


_SEQUENCE = f"pg_get_serial_sequence('{Appeal._meta.db_table}', 'id')"
_NEXT_ID = f"nextval({_SEQUENCE})"
_NUMBER_FROM_ID = f"%s || lpad(currval({_SEQUENCE})::text, greatest(5, length(currval({_SEQUENCE})::text)), '0')"
#: the output fields of the two RawSQL values (made once: a Field's constructor is not free, and these are never bound)
_ID_FIELD, _NUMBER_FIELD = BigIntegerField(), CharField()


def _insert_with_event(appeal: Appeal, event: AppealEvent) -> None:
    """PostgreSQL: the new appeal with its number (受理日期-id, e.g. 20261201-00012) and its first event, in one
    statement and one round trip (linli.core.inserts). The id is the table's sequence's nextval() and the number is
    built from currval() in the same VALUES (evaluated left to right, id first), so the row is written once, number
    included; the event's appeal is the id the appeal's INSERT returned."""
    appeal.pk = RawSQL(_NEXT_ID, [], output_field=_ID_FIELD)
    day = f"{timezone.localtime(appeal.received_at):%Y%m%d}-"
    appeal.number = RawSQL(_NUMBER_FROM_ID, [day], output_field=_NUMBER_FIELD)
    event.appeal_id = inserts.parent_id("new_appeal")
    inserts.send_pre_save(appeal, event)
    appeal_sql, appeal_params = inserts.insert_sql(appeal, returning=[Appeal._meta.pk])
    event_meta = AppealEvent._meta
    event_sql, event_params = inserts.insert_sql(event, returning=[event_meta.pk, event_meta.get_field("appeal")])
    event.pk, appeal.pk = inserts.execute_returning(
        f"WITH new_appeal AS ({appeal_sql}) {event_sql}", appeal_params + event_params
    )
    appeal.number = f"{day}{appeal.pk:05d}"  # as _number() makes it
    event.appeal = appeal
    inserts.mark_saved(appeal, event)


def _number(appeal: Appeal) -> str:
    return f"{timezone.localtime(appeal.received_at):%Y%m%d}-{appeal.pk:05d}"


@transaction.atomic
def register_appeal(
    *, actor: Actor, photos=(), dispatch_unit=None, dispatch_note: str = "", merge_into=None, **kwargs
) -> Appeal:
    """Register an appeal with its photos (and, for a dispatcher, dispatch it or merge it into a duplicate's
    main appeal) as one step: all or nothing. The intake page's service; `kwargs` are create_appeal's."""
    from linli.attachments.services import attach_photos, prepare_photos

    if merge_into is not None and dispatch_unit is not None:
        raise ValidationError({"merge_into": "并入别的诉求后不再单独派单，请在“登记并派单”和“并入”中只选一项。"})
    try:
        prepared = prepare_photos(photos)  # every photo checked before the first write
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc
    appeal = create_appeal(actor=actor, **kwargs)
    if dispatch_unit is not None:
        appeal = dispatch(appeal, dispatch_unit, actor=actor, note=dispatch_note)
    if merge_into is not None:
        appeal = merge_appeal(appeal, merge_into, actor=actor)
    if prepared:
        attach_photos(appeal, prepared, actor=actor)
    if appeal.sms_notify:
        from linli.tracking.services import text_tracking_code  # the reporter's 查询码 by SMS, after commit

        text_tracking_code(appeal)
    return appeal


@transaction.atomic
def update_appeal(appeal: Appeal, *, actor: Actor, **changes) -> Appeal:
    """Correct an appeal before it is dispatched: text, category, urgency, address."""
    appeal = _lock(appeal)
    _check_area(appeal, actor, "add")
    if appeal.status != Status.PENDING_DISPATCH:
        raise ValidationError("诉求派单后不能再修改内容；如需补充，请添加办理进展。")
    allowed = {"text", "category", "urgency", "address"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {unknown}")
    notes = []
    if "text" in changes:
        text = _note(changes["text"], "text", required="请填写诉求内容。", limit=MAX_TEXT)
        if text != appeal.text:
            appeal.text = text
            notes.append("修改了诉求内容")
    if "urgency" in changes:
        if changes["urgency"] not in Urgency.values:
            raise ValidationError({"urgency": "紧急程度的选项无效。"})
        if changes["urgency"] != appeal.urgency:
            notes.append(f"紧急程度：{appeal.get_urgency_display()} → {Urgency(changes['urgency']).label}")
            appeal.urgency = changes["urgency"]
    if "category" in changes and changes["category"] != appeal.category:
        notes.append(f"问题类别：{appeal.category or '未分类'} → {changes['category'] or '未分类'}")
        appeal.category = changes["category"]
    if "address" in changes:
        address = (changes["address"] or "").strip()[:200]
        if address != appeal.address:
            appeal.address = address
            notes.append("修改了地点")
    if notes:
        appeal.save()
        _event(appeal, actor, EventAction.EDITED, appeal.status, note="；".join(notes), internal=True)
    return appeal


# --- dispatch, sign, return, assist ----------------------------------------------------------------


def _start_round(appeal: Appeal, now: datetime.datetime) -> str:
    """Deadlines of a fresh round of handling, counted from `now` (dispatch or reopen); returns the note owed to
    the timeline when the source's own deadline cut them short (else "")."""
    category = appeal.category
    sign = calendar.add_workdays(now, category.sign_workdays if category else DEFAULT_SIGN_WORKDAYS)
    if appeal.urgency == Urgency.URGENT:
        resolve = calendar.add_hours(now, category.urgent_hours if category else 2)
    elif appeal.urgency == Urgency.EXPEDITED:
        resolve = calendar.add_hours(now, category.expedited_hours if category else 24)
    elif appeal.urgency == Urgency.COMPLEX:
        resolve = calendar.add_workdays(now, category.complex_workdays if category else 15)
    else:
        resolve = calendar.add_workdays(now, category.normal_workdays if category else 7)
    appeal.dispatched_at = now
    # An urgent appeal must be signed for before it must be resolved: 紧急 2 hours beats "1 working day".
    appeal.sign_due, appeal.resolve_due = min(sign.due, resolve.due), resolve.due
    appeal.due_warning = _deadline_note(sign, resolve)
    appeal.signed_at = appeal.resolved_at = appeal.replied_at = appeal.reply_due = None
    appeal.signed_late = appeal.resolved_late = appeal.replied_late = None
    return _cap_to_external(appeal)


def _cap_to_external(appeal: Appeal) -> str:
    """Keep the resolve (and sign) deadline no later than the source's own (12345's 办理时限): a longer time must be
    asked of the hotline. Returns the note for the timeline when it moved a deadline, else ""."""
    cap = appeal.external_due
    if cap is None or appeal.resolve_due is None or appeal.resolve_due <= cap:
        return ""
    appeal.resolve_due = cap
    if appeal.sign_due and appeal.sign_due > cap:
        appeal.sign_due = cap
    return f"办结时限不能晚于{appeal.get_channel_display()}的办理时限，定为{timezone.localtime(cap):%Y-%m-%d %H:%M}"


#: Urgencies more pressing than 一般 (复杂 is slower, not more urgent).
URGENT_FIRST = (Urgency.URGENT, Urgency.EXPEDITED)


def units_of_category(category: Category, community_id: int) -> set[int]:
    """The units a category may be dispatched to in a community: its unit there (the community's own routing or
    the directory's default) and the directory's default unit."""
    routed = default_unit(category, community_id)
    return {category.unit_id, *([routed.pk] if routed else [])}


@transaction.atomic
def dispatch(
    appeal: Appeal, unit: HandlingUnit, *, actor: Actor, note: str = "", category: Category | None = None
) -> Appeal:
    """派单: send the appeal to the organisation behind `unit` in its community; it must sign within its time.

    With `category` (one-step dispatch, issue 14), the category is set in the same transaction: an appeal that
    arrived 未分类 is classified and dispatched by one action, with an internal 修改 event for the category and
    the 派单 event. A category set here must belong to `unit` (its unit in this community or the directory's
    default): the form pre-fills both from the routing suggestion, and a mismatch means one of the two was
    changed without the other. An appeal whose category was set before keeps the old freedom to go to another
    unit (category=None or the same category)."""
    appeal = _lock(appeal)
    _check_area(appeal, actor, "dispatch")
    if appeal.status != Status.PENDING_DISPATCH:
        raise _refuse_state(appeal, "派单")
    if unit is None or not unit.is_active:
        raise ValidationError({"unit": "请选择承办单位。"})
    recategorised = ""
    if category is not None and category.pk != appeal.category_id:
        if not category.is_active:
            raise ValidationError({"category": "问题类别的选项无效。"})
        if unit.pk not in units_of_category(category, appeal.community_id):
            owner = default_unit(category, appeal.community_id) or category.unit
            raise ValidationError(
                {
                    "category": f"问题类别“{category.name}”归{owner.name}办理，不能派给{unit.name}。"
                    f"请改选问题类别，或把承办单位改为{owner.name}。"
                }
            )
        recategorised = f"问题类别：{appeal.category or '未分类'} → {category.name}（派单时选定）"
        # An appeal registered without a category got 一般 by default (a resident never chooses); a category that
        # is more urgent by default (燃气 紧急, 电梯 急办) raises it, never lowers a chosen urgency.
        if appeal.category is None and appeal.urgency == Urgency.NORMAL and category.default_urgency in URGENT_FIRST:
            appeal.urgency = category.default_urgency
            recategorised += f"；紧急程度：一般 → {category.get_default_urgency_display()}（按类别）"
        appeal.category = category
    if appeal.category is None:
        raise ValidationError({"category": "请先选择问题类别，办理时限按类别计算。"})
    note = _note(note)
    org = organisation_for(appeal.community_id, unit)
    if recategorised:
        _event(appeal, actor, EventAction.EDITED, appeal.status, note=recategorised, internal=True)
    before = appeal.status
    appeal.unit, appeal.assigned_org = unit, org
    appeal.status = Status.PENDING_SIGN
    capped = _start_round(appeal, _now())
    _set_current_due(appeal)
    appeal.save()
    _event(appeal, actor, EventAction.DISPATCHED, before, note="；".join(filter(None, [note, capped])), org=org)
    _tell(org.handlers.all(), appeal, "新派单，请签收")
    _teach_router(appeal, unit)
    return appeal


def _teach_router(appeal: Appeal, unit: HandlingUnit) -> None:
    """The dispatcher knows better than the model: a unit other than the one it suggests for this text is kept
    as a routing correction (training data, and the community's memory at once). Here, in the one dispatch
    service, so that every path teaches it once: the detail page, the intake page, the API and bulk dispatch."""
    from linli.appeals.routing.services import record_correction, suggest

    record_correction(appeal, suggest(appeal.text, community=appeal.community_id).unit, unit)


@transaction.atomic
def dispatch_many(appeals, unit: HandlingUnit, *, actor: Actor, note: str = "") -> list[Appeal]:
    """批量派单: every listed appeal to `unit`, each through dispatch() (its checks, deadlines, event, notice).

    One transaction, all or nothing: the dispatcher confirmed "these N to this unit"; if one of them cannot go
    (no category yet, already dispatched by a colleague, no organisation for the unit in its community), a
    partial result would leave them to work out which went where. The error names the appeal, nothing is
    dispatched, and they fix that one and try again. A user's appeals must all be theirs to dispatch.
    """
    appeals = list(appeals)
    user = actor.user
    if user is not None:
        require_perm(user, "appeal.dispatch")
        ids = [a.pk for a in appeals]
        inside = set(Appeal.objects.restrict(user, "dispatch").filter(pk__in=ids).values_list("pk", flat=True))
        outside = [i for i in ids if i not in inside]
        if outside:
            raise PermissionDenied(f"所选的{len(outside)}件诉求不在您的派单范围内，没有派出任何一件。")
    done = []
    for appeal in appeals:
        try:
            done.append(dispatch(appeal, unit, actor=actor, note=note))
        except ValidationError as exc:
            raise ValidationError(f"诉求{appeal.number}：{'；'.join(exc.messages)}（没有派出任何一件）") from exc
    return done


@transaction.atomic
def sign(appeal: Appeal, *, actor: Actor) -> Appeal:
    """签收: a handler of the owning organisation takes the appeal on. Only once."""
    appeal = _lock(appeal)
    _check_handler(appeal, actor)
    if appeal.status == Status.IN_PROGRESS:
        raise ValidationError("该诉求已签收，不能重复签收。")
    if appeal.status != Status.PENDING_SIGN:
        raise _refuse_state(appeal, "签收")
    now = _now()
    before = appeal.status
    appeal.status = Status.IN_PROGRESS
    appeal.signed_at = now
    appeal.signed_late = now > appeal.sign_due
    _set_current_due(appeal)
    appeal.save()
    _event(appeal, actor, EventAction.SIGNED, before, org=appeal.assigned_org)
    return appeal


@transaction.atomic
def return_appeal(appeal: Appeal, *, actor: Actor, reason: str) -> Appeal:
    """退回: the organisation says it is not theirs; the appeal goes back to the dispatcher with the reason."""
    appeal = _lock(appeal)
    _check_handler(appeal, actor)
    if appeal.status not in (Status.PENDING_SIGN, Status.IN_PROGRESS):
        raise _refuse_state(appeal, "退回")
    reason = _note(reason, "reason", required="请填写退回理由，说明应由哪个单位办理或缺少什么信息。")
    before, org = appeal.status, appeal.assigned_org
    appeal.status = Status.PENDING_DISPATCH
    appeal.unit = appeal.assigned_org = None
    appeal.sign_due = appeal.resolve_due = appeal.current_due = None
    appeal.signed_at = appeal.signed_late = None
    appeal.save()
    ExtensionRequest.objects.filter(appeal=appeal, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED, decision_note="诉求已退回，申请自动关闭。", decided_at=_now()
    )
    _event(appeal, actor, EventAction.RETURNED, before, note=reason, org=org)
    _tell(dispatchers_of(appeal.community_id), appeal, f"{org} 退回诉求，请重新派单")
    return appeal


@transaction.atomic
def request_assist(appeal: Appeal, unit: HandlingUnit, *, actor: Actor, note: str = "") -> AppealAssist:
    """协办: ask a second organisation to help. The dispatcher or the owning handler may ask."""
    appeal = _lock(appeal)
    user = actor.user
    if user is not None and not is_handler(user, appeal.assigned_org):
        _check_area(appeal, actor, "dispatch")
    if appeal.status not in (Status.PENDING_SIGN, Status.IN_PROGRESS):
        raise _refuse_state(appeal, "请求协办")
    org = organisation_for(appeal.community_id, unit)
    if org.pk == appeal.assigned_org_id:
        raise ValidationError({"unit": "协办单位不能是主办单位本身。"})
    if appeal.assists.filter(org=org).exists():
        raise ValidationError({"unit": f"已经请“{org}”协办了。"})
    note = _note(note)
    assist = AppealAssist.objects.create(appeal=appeal, org=org, requested_by=actor.account, note=note)
    _event(appeal, actor, EventAction.ASSIST, appeal.status, note=note, org=org)
    _tell(org.handlers.all(), appeal, "请协助办理")
    return assist


# --- handling --------------------------------------------------------------------------------------


@transaction.atomic
def add_progress(
    appeal: Appeal, *, actor: Actor, note: str, internal: bool = False, public: bool = False
) -> AppealEvent:
    """办理进展: handlers (owning or assisting) and the community's staff add notes to the timeline.

    Who reads a note (issue 14): `public` (向居民公开) puts it on the reporter's tracking page; without it the note
    is for the people handling the appeal (内部, the default). `internal` (仅社区内部, community staff) also hides
    it from outside organisations' handlers in the API. A note cannot be both."""
    appeal = _lock(appeal)
    user = actor.user
    if user is not None and not user.is_superuser:
        handler = is_handler(user, appeal.assigned_org) or appeal.assists.filter(org__handlers=user).exists()
        if not handler:
            _check_area(appeal, actor, "add")
    if appeal.status in FINISHED:
        raise _refuse_state(appeal, "添加进展")
    note = _note(note, required="请填写进展情况。")
    if internal and public:
        raise ValidationError({"visibility": "仅社区内部可见的进展不能同时向居民公开，请只选一项。"})
    return _event(appeal, actor, EventAction.PROGRESS, appeal.status, note=note, internal=internal, public=public)


@transaction.atomic
def request_extension(appeal: Appeal, *, actor: Actor, workdays: int, reason: str) -> ExtensionRequest:
    """延期申请: the owning handler asks for more working days; the secretary decides."""
    appeal = _lock(appeal)
    _check_handler(appeal, actor)
    if appeal.status != Status.IN_PROGRESS:
        raise _refuse_state(appeal, "申请延期")
    if not isinstance(workdays, int) or not 1 <= workdays <= MAX_EXTENSION_WORKDAYS:
        raise ValidationError({"workdays": f"延长的工作日应在1到{MAX_EXTENSION_WORKDAYS}之间。"})
    reason = _note(reason, "reason", required="请填写延期理由。")
    if appeal.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError("已有一条延期申请在等待审批。")
    ext = ExtensionRequest.objects.create(appeal=appeal, workdays=workdays, reason=reason, requested_by=actor.account)
    _event(appeal, actor, EventAction.EXTENSION_REQUESTED, appeal.status, note=f"延长{workdays}个工作日：{reason}")
    _tell(secretaries_of([appeal.community_id]), appeal, "延期申请待审批")
    return ext


@transaction.atomic
def decide_extension(ext: ExtensionRequest, *, actor: Actor, approve: bool, note: str = "") -> ExtensionRequest:
    """The secretary approves (the resolve deadline moves by the working days asked) or refuses."""
    appeal = _lock(ext.appeal)
    ext = ExtensionRequest.objects.select_for_update().get(pk=ext.pk)
    _check_area(appeal, actor, "supervise")
    if ext.status != ExtensionStatus.PENDING:
        raise ValidationError(f"这条延期申请已经{ext.get_status_display()}，不能重复审批。")
    if appeal.status != Status.IN_PROGRESS:
        raise _refuse_state(appeal, "审批延期")
    note = _note(note, required=None if approve else "不同意延期时请写明理由。")
    ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    ext.decided_by, ext.decided_at, ext.decision_note = actor.account, _now(), note
    ext.save()
    if approve:
        deadline = calendar.add_workdays(appeal.resolve_due, ext.workdays)
        appeal.resolve_due = deadline.due
        appeal.due_warning = deadline.warning or appeal.due_warning
        capped = _cap_to_external(appeal)
        _set_current_due(appeal)
        appeal.save()
        due = timezone.localtime(appeal.resolve_due)
        text = f"同意延长{ext.workdays}个工作日，办结时限改为{due:%Y-%m-%d %H:%M}"
        if capped:
            text += f"（不能晚于{appeal.get_channel_display()}的办理时限，更长的时间须向来源申请）"
        action = EventAction.EXTENSION_APPROVED
    else:
        text, action = "不同意延期", EventAction.EXTENSION_REFUSED
    _event(appeal, actor, action, appeal.status, note=f"{text}：{note}" if note else text)
    if ext.requested_by_id:
        _tell([ext.requested_by], appeal, text)
    return ext


@transaction.atomic
def resolve(
    appeal: Appeal,
    *,
    actor: Actor,
    outcome: str,
    resolution: str,
    explanation: str = "",
    public_summary: str = "",
    public_reply: str = "",
    resolution_public: bool = True,
    photos=(),
    photos_public: bool = False,
) -> Appeal:
    """办结: the owning handler records what was done and the outcome; the community then replies to the reporter.
    `public_summary` and `public_reply` are the only texts the public will read (after the anonymiser).

    For the reporter (issue 14): `resolution_public` shows 办理情况 on their tracking page (the default);
    `photos` (办结照片, checked like every upload) are attached to the 办结 step and shown to staff, and to the
    reporter only with `photos_public`. A bad photo refuses the whole action before anything is written."""
    from linli.attachments.services import attach_photos, prepare_photos

    try:
        prepared = prepare_photos(photos)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc
    appeal = _lock(appeal)
    _check_handler(appeal, actor)
    if appeal.status == Status.PENDING_SIGN:
        raise ValidationError("该诉求尚未签收，不能办结。请先签收。")
    if appeal.status != Status.IN_PROGRESS:
        raise _refuse_state(appeal, "办结")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择办理结果。"})
    resolution = _note(resolution, "resolution", required="请填写办理情况。")
    explanation = _note(explanation, "explanation")
    if outcome in NEEDS_EXPLANATION and not explanation:
        raise ValidationError({"explanation": f"办理结果为“{Outcome(outcome).label}”时，请填写向居民的说明。"})
    public_summary, public_reply = _public_texts(public_summary, public_reply)
    now = _now()
    before = appeal.status
    appeal.status = Status.RESOLVED
    appeal.outcome, appeal.resolution, appeal.explanation = outcome, resolution, explanation
    appeal.resolution_public = bool(resolution_public)
    appeal.public_summary, appeal.public_reply = public_summary, public_reply
    appeal.resolved_at = now
    appeal.resolved_late = now > appeal.resolve_due
    reply = calendar.add_workdays(now, appeal.category.reply_workdays if appeal.category else DEFAULT_REPLY_WORKDAYS)
    appeal.reply_due = reply.due
    appeal.due_warning = reply.warning or appeal.due_warning
    _set_current_due(appeal)
    appeal.save()
    ExtensionRequest.objects.filter(appeal=appeal, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED, decision_note="诉求已办结，申请自动关闭。", decided_at=now
    )
    step = _event(
        appeal,
        actor,
        EventAction.RESOLVED,
        before,
        note=f"{Outcome(outcome).label}：{resolution}",
        public=appeal.resolution_public,
    )
    if prepared:
        caption = "办结照片" + ("（向反映人公开）" if photos_public else "（内部）")
        attach_photos(step, prepared, actor=actor, caption=caption, public=photos_public)
    recipients = dispatchers_of(appeal.community_id)
    if appeal.created_by_id and appeal.created_by not in recipients:
        recipients.append(appeal.created_by)
    _tell(recipients, appeal, "已办结，请回访反映人")
    return appeal


@transaction.atomic
def reply(
    appeal: Appeal,
    *,
    actor: Actor,
    text: str,
    method: str,
    rating: str = Rating.NONE,
    rating_note: str = "",
    public_reply: str | None = None,
) -> Appeal:
    """回访: community staff record the reply given to the reporter and their rating; the appeal closes.
    `public_reply` (None: keep the handler's) is the 公开答复 as the closing staff approve it for the public."""
    appeal = _lock(appeal)
    _check_area(appeal, actor, "reply")
    if appeal.status in (Status.PENDING_DISPATCH, Status.PENDING_SIGN, Status.IN_PROGRESS):
        raise ValidationError("该诉求尚未办结，不能回访结案。")
    if appeal.status != Status.RESOLVED:
        raise _refuse_state(appeal, "回访")
    text = _note(text, "text", required="请填写回复居民的内容。")
    if method not in ReplyMethod.values:
        raise ValidationError({"method": "请选择回访方式。"})
    if rating not in Rating.values:
        raise ValidationError({"rating": "评价的选项无效。"})
    if appeal.anonymous and rating != Rating.NONE:
        raise ValidationError({"rating": "匿名反映的诉求无法回访评价，请选择“未评价”。"})
    if public_reply is not None:
        _summary, appeal.public_reply = _public_texts("", public_reply)
    now = _now()
    before = appeal.status
    appeal.status = Status.CLOSED
    appeal.reply_text, appeal.reply_method, appeal.rating = text, method, rating
    appeal.rating_note = (rating_note or "").strip()[:200]
    appeal.replied_at = now
    appeal.replied_late = now > appeal.reply_due
    _set_current_due(appeal)
    appeal.save()
    _event(
        appeal, actor, EventAction.REPLIED, before, note=f"{ReplyMethod(method).label}，{Rating(rating).label}：{text}"
    )
    answered = [appeal, *_close_duplicates(appeal, actor)]
    if rating == Rating.UNSATISFIED:
        _tell(secretaries_of([appeal.community_id]), appeal, "居民不满意，请决定重办或督办")
    from linli.tracking.notices import appeal_answered  # the reporter's SMS, after commit (issue 14)

    for each in answered:
        appeal_answered(each)
    return appeal


def _public_texts(summary: str | None, reply_text: str | None) -> tuple[str, str]:
    """公开摘要 and 公开答复, checked for length (a clear message, never a silent cut of public text)."""
    from linli.appeals.public import PUBLIC_REPLY_LIMIT

    summary, reply_text = (summary or "").strip(), (reply_text or "").strip()
    if len(summary) > 200:
        raise ValidationError({"public_summary": "公开摘要太长了，不超过200字。"})
    if len(reply_text) > PUBLIC_REPLY_LIMIT:
        raise ValidationError({"public_reply": f"公开答复太长了，不超过{PUBLIC_REPLY_LIMIT}字。"})
    return summary, reply_text


@transaction.atomic
def set_public_texts(appeal: Appeal, *, actor: Actor, public_summary: str, public_reply: str) -> Appeal:
    """公开内容: community staff write or correct what the public reads about a resolved or closed appeal
    (an old appeal without a public reply, or a public text that said too much)."""
    appeal = _lock(appeal)
    _check_area(appeal, actor, "reply")
    if appeal.status not in (Status.RESOLVED, Status.CLOSED):
        raise _refuse_state(appeal, "修改公开内容")
    public_summary, public_reply = _public_texts(public_summary, public_reply)
    if (public_summary, public_reply) == (appeal.public_summary, appeal.public_reply):
        return appeal
    appeal.public_summary, appeal.public_reply = public_summary, public_reply
    appeal.save(update_fields=["public_summary", "public_reply", "updated_at"])
    _event(appeal, actor, EventAction.EDITED, appeal.status, note="修改公开内容", internal=True)
    return appeal


def _close_duplicates(appeal: Appeal, actor: Actor) -> list[Appeal]:
    """Appeals merged into this one get the same reply (their reporters are told what the main one's was)."""
    closed = []
    for dup in Appeal.objects.select_for_update().filter(merged_into=appeal, status=Status.MERGED):
        dup.reply_text, dup.reply_method, dup.rating = appeal.reply_text, appeal.reply_method, Rating.NONE
        dup.replied_at = appeal.replied_at
        dup.save()
        _event(
            dup, actor, EventAction.REPLIED, dup.status, note=f"随主诉求 {appeal.number} 一并答复：{appeal.reply_text}"
        )
        closed.append(dup)
    return closed


# --- duplicates (合并, issue 6 §2) -------------------------------------------------------------------

#: A duplicate may be merged while nobody works on it yet (as for 撤销): once an organisation has signed for
#: it, its handling and deadlines are that organisation's, and the dispatcher closes it the normal way.
MERGEABLE = (Status.PENDING_DISPATCH, Status.PENDING_SIGN)


def voices(appeal: Appeal) -> int:
    """附议: how many reports an appeal stands for (itself and the appeals merged into it)."""
    return 1 + Appeal.objects.filter(merged_into=appeal, status=Status.MERGED).count()


@transaction.atomic
def merge_appeal(duplicate: Appeal, main: Appeal, *, actor: Actor, note: str = "") -> Appeal:
    """合并: `duplicate` reports the same matter as `main`. It joins the main appeal (one more voice, 附议),
    is finished as 已合并 without deadlines of its own, and its reporter gets the main appeal's reply when
    that is given (_close_duplicates). Appeals already merged into `duplicate` move to `main` with it, so
    there are never chains. The dispatcher (`appeal.dispatch`) of both appeals' area decides."""
    if duplicate.pk == main.pk:
        raise ValidationError({"main": "不能把诉求合并到它自己。"})
    # Both rows locked, in id order, so two dispatchers merging the same pair the other way round cannot deadlock.
    locked = {a.pk: a for a in Appeal.objects.select_for_update().filter(pk__in=[duplicate.pk, main.pk]).order_by("pk")}
    duplicate, main = locked[duplicate.pk], locked[main.pk]
    _check_area(duplicate, actor, "dispatch")
    _check_area(main, actor, "dispatch")
    if duplicate.status == Status.MERGED:
        raise ValidationError(f"诉求 {duplicate.number} 已经合并到别的诉求了。")
    if duplicate.status not in MERGEABLE:
        if duplicate.status in FINISHED:
            raise _refuse_state(duplicate, "合并")
        raise ValidationError(
            f"诉求 {duplicate.number} 已由{duplicate.assigned_org or '承办机构'}签收办理，不能再合并；"
            "可以把别的重复诉求合并到它。"
        )
    if main.status == Status.MERGED:
        target = main.merged_into.number if main.merged_into_id else "别的诉求"
        raise ValidationError({"main": f"诉求 {main.number} 本身已合并到 {target}，请直接合并到 {target}。"})
    if main.status == Status.CLOSED:
        raise ValidationError({"main": f"诉求 {main.number} 已结案。如果问题仍然存在，请把本诉求单独派单办理。"})
    if main.status in FINISHED:
        raise ValidationError({"main": f"诉求 {main.number} 已{_status_label(main.status)}，不能合并到它。"})
    if duplicate.community_id != main.community_id:
        raise ValidationError({"main": "只能合并同一社区的诉求。"})
    note = _note(note)
    before, org = duplicate.status, duplicate.assigned_org
    duplicate.status = Status.MERGED
    duplicate.merged_into = main
    duplicate.current_due = None  # finished: never on an overdue list; its past deadlines stay as history
    duplicate.save()
    detail = f"：{note}" if note else ""
    _event(
        duplicate, actor, EventAction.MERGED, before, note=f"合并入 {main.number}（{main.summary}）{detail}", org=org
    )
    moved = list(Appeal.objects.select_for_update().filter(merged_into=duplicate, status=Status.MERGED).order_by("pk"))
    for earlier in moved:
        earlier.merged_into = main
        earlier.save(update_fields=["merged_into", "updated_at"])
        _event(
            earlier, actor, EventAction.MERGED, earlier.status, note=f"随 {duplicate.number} 一并合并入 {main.number}"
        )
    total = voices(main)
    joined = f"{duplicate.number} 并入本诉求" + (f"（连同已并入它的{len(moved)}件）" if moved else "")
    _event(
        main, actor, EventAction.MERGED, main.status, note=f"{joined}，附议+{1 + len(moved)}，共{total}人反映{detail}"
    )
    if org is not None and before == Status.PENDING_SIGN:
        _tell(org.handlers.all(), duplicate, f"已合并到 {main.number}，无需签收")
    return duplicate


def _unmerge(dup: Appeal, actor: Actor, note: str) -> None:
    """Back to 待派单 on its own: no main appeal, no owner, no deadlines (the dispatcher dispatches it again)."""
    before = dup.status
    dup.status = Status.PENDING_DISPATCH
    dup.merged_into = None
    dup.unit = dup.assigned_org = None
    dup.sign_due = dup.resolve_due = dup.reply_due = dup.current_due = dup.dispatched_at = None
    dup.signed_at = dup.signed_late = None
    dup.save()
    _event(dup, actor, EventAction.UNMERGED, before, note=note)


@transaction.atomic
def unmerge_appeal(duplicate: Appeal, *, actor: Actor, reason: str) -> Appeal:
    """取消合并: a merge was a mistake (another matter after all); the appeal goes back to 待派单 on its own."""
    duplicate = _lock(duplicate)
    _check_area(duplicate, actor, "dispatch")
    if duplicate.status != Status.MERGED or duplicate.merged_into_id is None:
        raise ValidationError("这件诉求没有合并到别的诉求，无需取消合并。")
    main = Appeal.objects.select_for_update().get(pk=duplicate.merged_into_id)
    if duplicate.replied_at is not None:
        raise ValidationError(f"主诉求 {main.number} 已回访答复，本诉求随之答复完毕，不能再取消合并。")
    reason = _note(reason, "reason", required="请填写取消合并的原因。")
    _unmerge(duplicate, actor, f"从 {main.number} 取消合并：{reason}")
    _event(main, actor, EventAction.UNMERGED, main.status, note=f"{duplicate.number} 取消合并，附议-1：{reason}")
    return duplicate


def _release_duplicates(appeal: Appeal, actor: Actor, why: str) -> int:
    """The main appeal ends without a reply (撤销): its duplicates' reporters still wait for one, so each goes
    back to 待派单 on its own, and the dispatchers are told."""
    released = 0
    for dup in Appeal.objects.select_for_update().filter(merged_into=appeal, status=Status.MERGED).order_by("pk"):
        _unmerge(dup, actor, f"主诉求 {appeal.number} {why}，本诉求恢复单独办理，请重新派单")
        released += 1
    if released:
        _tell(dispatchers_of(appeal.community_id), appeal, f"{why}，{released}件并入的诉求已恢复待派单")
    return released


# --- supervision -----------------------------------------------------------------------------------


def _reopen_round(appeal: Appeal, actor: Actor, action: str, note: str) -> Appeal:
    if appeal.assigned_org is None or not appeal.assigned_org.is_active:
        raise ValidationError("原承办机构已停用，请新登记一条诉求另行派单。")
    before = appeal.status
    appeal.status = Status.PENDING_SIGN
    appeal.reopen_count += 1
    appeal.outcome = appeal.rating = appeal.reply_method = ""
    appeal.resolution = appeal.explanation = appeal.reply_text = appeal.rating_note = ""
    capped = _start_round(appeal, _now())
    _set_current_due(appeal)
    appeal.save()
    _event(appeal, actor, action, before, note="；".join(filter(None, [note, capped])), org=appeal.assigned_org)
    return appeal


@transaction.atomic
def reopen(appeal: Appeal, *, actor: Actor, note: str) -> Appeal:
    """重办: the reporter was not satisfied; the same organisation handles it again, with fresh deadlines."""
    appeal = _lock(appeal)
    _check_area(appeal, actor, "supervise")
    if appeal.status != Status.CLOSED:
        raise _refuse_state(appeal, "重办")
    if appeal.rating != Rating.UNSATISFIED:
        raise ValidationError("只有居民评价“不满意”的诉求可以重办。")
    note = _note(note, required="请写明重办要求。")
    _reopen_round(appeal, actor, EventAction.REOPENED, note)
    _tell(appeal.assigned_org.handlers.all(), appeal, "诉求重办，请重新签收")
    return appeal


@transaction.atomic
def escalate(appeal: Appeal, *, actor: Actor, note: str) -> Appeal:
    """督办: the secretary puts the appeal under supervision. An unsatisfied closed appeal is also reopened;
    an open one keeps its state and owner. The owning handlers and the street office are told."""
    appeal = _lock(appeal)
    _check_area(appeal, actor, "supervise")
    note = _note(note, required="请写明督办要求。")
    closed_unsatisfied = appeal.status == Status.CLOSED and appeal.rating == Rating.UNSATISFIED
    if not closed_unsatisfied and appeal.status not in (Status.PENDING_SIGN, Status.IN_PROGRESS, Status.RESOLVED):
        if appeal.status == Status.CLOSED:
            raise ValidationError("已结案且居民满意的诉求无需督办。")
        raise _refuse_state(appeal, "督办")
    appeal.supervised = True
    if closed_unsatisfied:
        _reopen_round(appeal, actor, EventAction.ESCALATED, note)
    else:
        appeal.save(update_fields=["supervised", "updated_at"])
        _event(appeal, actor, EventAction.ESCALATED, appeal.status, note=note, org=appeal.assigned_org)
    street_admins = users_assigned(role=Role.STREET_ADMIN, street_ids=[appeal.street_id])
    _tell([*appeal.assigned_org.handlers.all(), *street_admins], appeal, "督办", kind=Kind.APPEAL_OVERDUE)
    return appeal


@transaction.atomic
def withdraw(appeal: Appeal, *, actor: Actor, reason: str) -> Appeal:
    """撤销: the reporter withdrew it or it was entered by mistake; only before anyone has signed for it."""
    appeal = _lock(appeal)
    _check_area(appeal, actor, "dispatch")
    if appeal.status not in (Status.PENDING_DISPATCH, Status.PENDING_SIGN):
        raise _refuse_state(appeal, "撤销")
    reason = _note(reason, "reason", required="请填写撤销原因。")
    before = appeal.status
    appeal.status = Status.WITHDRAWN
    _set_current_due(appeal)
    appeal.save()
    _event(appeal, actor, EventAction.WITHDRAWN, before, note=reason, org=appeal.assigned_org)
    _release_duplicates(appeal, actor, "已撤销")
    return appeal


# --- deadlines sweep -------------------------------------------------------------------------------


def flag_overdue(*, now: datetime.datetime | None = None) -> int:
    """Hourly: for each open appeal past its current deadline, once per deadline, tell the owning handlers
    (or the dispatchers, for an appeal waiting for its reply) and the community's secretaries."""
    now = now or _now()
    count = 0
    due = Appeal.objects.filter(status__in=OPEN, current_due__lt=now).select_related("assigned_org")
    for appeal in due.iterator(chunk_size=500):
        with transaction.atomic():
            key = f"appeal-overdue:{appeal.pk}:{appeal.status}:{appeal.current_due:%Y%m%d%H%M}"
            stage = {
                Status.PENDING_SIGN: "签收",
                Status.IN_PROGRESS: "办结",
                Status.RESOLVED: "回访",
            }.get(appeal.status, "办理")
            if appeal.status == Status.RESOLVED or appeal.assigned_org is None:
                owners = dispatchers_of(appeal.community_id)
            else:
                owners = list(appeal.assigned_org.handlers.all())
            title = f"超期未{stage}"
            sent = notify(
                [*owners, *secretaries_of([appeal.community_id])],
                kind=Kind.APPEAL_OVERDUE,
                title=f"{title}：{appeal.number} {appeal.summary}",
                url=_url(appeal),
                key=key,
            )
            if sent:
                _event(appeal, Actor.system("超期检查"), EventAction.OVERDUE, appeal.status, note=title, internal=True)
                count += 1
    return count


def appeals_needing(user, statuses: Iterable[str]):
    """The appeals in `statuses` this user can see (a queue's starting point)."""
    return Appeal.objects.restrict(user).filter(status__in=list(statuses))


# --- the reporter's own rating (issue 6 §5, linli/tracking) ------------------------------------------

RESIDENT_RATINGS = (Rating.SATISFIED, Rating.BASICALLY, Rating.UNSATISFIED)


@transaction.atomic
def rate_reply(appeal: Appeal, *, actor: Actor, rating: str, note: str = "") -> Appeal:
    """The reporter rates the reply themselves (居民自评), once, after staff closed the appeal without a
    rating. The caller has established that the actor is the reporter (tracking code or verified phone);
    不满意 tells the secretaries as a staff-recorded 不满意 does, so they can decide on 重办 or 督办."""
    appeal = _lock(appeal)
    if appeal.status != Status.CLOSED or not appeal.reply_text:
        raise ValidationError("社区回复您之后才能评价。")
    if appeal.rating not in ("", Rating.NONE):
        raise ValidationError(f"这件事已经评价过了（{appeal.get_rating_display()}）。")
    if appeal.anonymous:
        raise ValidationError("匿名反映的诉求无法评价。")
    if rating not in RESIDENT_RATINGS:
        raise ValidationError({"rating": "请选择满意、基本满意或不满意。"})
    note = _note(note, "note", limit=200)
    appeal.rating, appeal.rating_note = rating, note
    appeal.save(update_fields=["rating", "rating_note", "updated_at"])
    label = Rating(rating).label
    _event(appeal, actor, EventAction.REPLIED, appeal.status, note=f"居民自评：{label}" + (f"：{note}" if note else ""))
    if rating == Rating.UNSATISFIED:
        _tell(secretaries_of([appeal.community_id]), appeal, "居民不满意，请决定重办或督办")
    return appeal
