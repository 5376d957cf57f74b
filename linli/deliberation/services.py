"""Every change to matters (议题), their publications (公示), objections and follow-up tasks (民事民办).

Each service is atomic, locks the matter it changes, re-checks the acting user's permission and scope inside
the transaction and appends a ChangeRecord (linli.core.audit): the matter's page shows them as its timeline.
Bad input is a ValidationError with Chinese messages keyed by field; nothing is changed then.

Who may do what (linli.accounts.roles): matter.add raises a matter (staff, grid workers; one raised by
someone without matter.manage waits for the community to accept it, as a resident's proposal does);
matter.manage accepts, declines, moves, closes, edits, publishes and sets follow-up tasks; matter.propose is
a resident's own proposal from their page.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import Community, Grid
from linli.areas.scope import require_community
from linli.core import audit
from linli.core.anonymise import anonymise, plain
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.phone import PhoneError, normalize_phone
from linli.core.querysets import require_perm
from linli.deliberation.choices import (
    NEXT_STATUSES,
    MatterScope,
    MatterSource,
    MatterStatus,
    RaisedBy,
    TaskStatus,
    TurnSource,
)
from linli.deliberation.models import PUBLICITY_DAYS, FollowUpTask, Matter, Objection, Publication

TITLE_REQUIRED = "请填写议题。"
CHOOSE_BUILDING = "范围是“一栋楼”时，请选择一栋楼。"
CHOOSE_BUILDINGS = "范围是“几栋楼”时，请至少选择一栋楼。"
CHOOSE_GRID = "范围是“一个网格”时，请选择网格。"
NOT_IN_COMMUNITY = "{what}不属于{community}。"
NOT_PROPOSED = "这个议题{status}，不能再受理或不予立项。"
REASON_REQUIRED = "请填写原因。"
FINISHED = "这个议题{status}，不能再修改。"
BAD_MOVE = "议题不能从“{old}”改为“{new}”。"
ALREADY_TURNED = "这条记录已经转成议题了。"
NO_RESIDENT = "您的账号还没有关联居民档案，请联系社区工作人员。"
NO_HOME = "居民档案里没有住址，请联系社区工作人员。"
PUBLIC_WORDING = "公示内容会公开，不能出现姓名、电话或门牌号，可以改成：“{suggestion}”。"
BAD_DAYS = "公示天数应在1到60天之间。"
WITHDRAWN = "这条公示已撤回。"
TEXT_REQUIRED = "请填写内容。"
OWNER_ELSEWHERE = "负责人应是本社区的工作人员或网格员。"
DEADLINE_PAST = "完成期限不能早于今天。"
TASK_DONE = "这项任务已经完成了。"

#: Matter fields an edit may change (services.update_matter); status changes through its own services.
EDITABLE = ("title", "description", "scope", "grid", "buildings", "raised_by", "raised_by_name")


def _now():
    return timezone.now()


def _check(actor: Actor, perm: str, community: Community | None = None) -> None:
    """The role holds `perm` (403) and, with a community, the user works in it (404). Commands may do anything."""
    if community is not None:
        require_community(actor, perm, community.pk)
    elif actor.user is not None:
        require_perm(actor.user, perm)


def _locked(matter: Matter, actor: Actor, action: str = "manage") -> Matter:
    """The matter locked for this change, after checking the actor may `action` it (403 role, 404 scope)."""
    user = actor.user
    if user is not None:
        require_perm(user, f"matter.{action}")
        if not Matter.objects.restrict(user, action).filter(pk=matter.pk).exists():
            raise Http404("不在您的管辖范围内。")
    return Matter.objects.select_for_update(of=("self",)).select_related("community").get(pk=matter.pk)


def _snapshot(matter: Matter) -> dict:
    data = audit.snapshot(matter)
    if matter.pk:
        data["楼栋"] = [b.name for b in matter.buildings.order_by("number")]
    return data


def can_manage(user, matter: Matter) -> bool:
    return bool(user.has_role_perm("matter.manage")) and (
        Matter.objects.restrict(user, "manage").filter(pk=matter.pk).exists()
    )


# --------------------------------------------------------------------------- scope of a matter


def _clean_scope(community: Community, scope: str, grid: Grid | None, buildings) -> tuple[Grid | None, list]:
    buildings = list(buildings or ())
    errors = {}
    if scope not in MatterScope.values:
        errors["scope"] = "请选择范围。"
    if scope == MatterScope.GRID:
        if grid is None:
            errors["grid"] = CHOOSE_GRID
        elif grid.community_id != community.pk:
            errors["grid"] = NOT_IN_COMMUNITY.format(what=grid.name, community=community.name)
    else:
        grid = None
    if scope == MatterScope.BUILDING and len(buildings) != 1:
        errors["buildings"] = CHOOSE_BUILDING
    elif scope == MatterScope.BUILDINGS and not buildings:
        errors["buildings"] = CHOOSE_BUILDINGS
    elif scope in (MatterScope.BUILDING, MatterScope.BUILDINGS):
        wrong = [b for b in buildings if b.community_id != community.pk]
        if wrong:
            errors["buildings"] = NOT_IN_COMMUNITY.format(what=wrong[0].name, community=community.name)
    else:
        buildings = []
    if errors:
        raise ValidationError(errors)
    return grid, buildings


def _clean_text(matter: Matter) -> None:
    matter.title = (matter.title or "").strip()
    matter.description = (matter.description or "").strip()
    matter.raised_by_name = (matter.raised_by_name or "").strip()
    if not matter.title:
        raise ValidationError({"title": TITLE_REQUIRED})
    matter.full_clean(exclude=["street", "created_by", "grid", "raised_by_user", "raised_by_resident"])


def _staff_of(community_id: int) -> list:
    """Who hears about a resident's proposal: the community's secretaries and staff (assigned to it)."""
    from linli.accounts.choices import Role
    from linli.accounts.directory import users_assigned

    return users_assigned(role=(Role.SECRETARY, Role.STAFF), community_ids=[community_id])


def _tell(users, *, title: str, matter: Matter, body: str = "", key: str | None = None) -> int:
    from linli.notifications.choices import Kind
    from linli.notifications.services import notify

    return notify(users, kind=Kind.SYSTEM, title=title, body=body, url=matter.get_absolute_url(), key=key)


# --------------------------------------------------------------------------- raising a matter


@transaction.atomic
def raise_matter(
    *,
    actor: Actor,
    community: Community,
    title: str,
    description: str = "",
    scope: str = MatterScope.COMMUNITY,
    grid: Grid | None = None,
    buildings=(),
    raised_by: str | None = None,
    raised_by_name: str = "",
    raised_by_resident=None,
    source: str = MatterSource.DIRECT,
    source_id: int | None = None,
) -> Matter:
    """A new matter of `community`. Raised by someone who manages matters it is accepted at once (征求意见);
    by a grid worker it waits for the community (待受理), as a resident's proposal does."""
    _check(actor, "matter.add", community)
    user = actor.account
    manages = user is None or user.has_role_perm("matter.manage")
    if raised_by is None:
        raised_by = RaisedBy.STAFF if manages else RaisedBy.GRID_WORKER
    if raised_by not in RaisedBy.values:
        raise ValidationError({"raised_by": "请选择提出方。"})
    if raised_by == RaisedBy.ORGANISATION and not (raised_by_name or "").strip():
        raise ValidationError({"raised_by_name": "请填写居民组织的名称。"})
    grid, buildings = _clean_scope(community, scope, grid, buildings)
    matter = Matter(
        community=community,
        title=title,
        description=description,
        scope=scope,
        grid=grid,
        raised_by=raised_by,
        raised_by_name=raised_by_name,
        raised_by_resident=raised_by_resident,
        raised_by_user=user,
        source=source,
        source_id=source_id,
        status=MatterStatus.HEARING if manages else MatterStatus.PROPOSED,
        created_by=user,
    )
    _clean_text(matter)
    try:
        with transaction.atomic():
            matter.save()
    except IntegrityError:
        raise ValidationError(ALREADY_TURNED)
    matter.buildings.set(buildings)
    audit.record(matter, ChangeAction.CREATE, None, _snapshot(matter), actor, note="提出议题")
    if matter.status == MatterStatus.PROPOSED:
        _tell(_staff_of(community.pk), title=f"新议题待受理：{matter.title}", matter=matter)
    return matter


@transaction.atomic
def propose_matter(*, actor: Actor, title: str, description: str = "", whole_community: bool = False) -> Matter:
    """A resident's own proposal (from their page): about their building, or their whole community; it waits
    for the community to accept it, and the community's staff are told."""
    user = actor.user
    require_perm(user, "matter.propose")
    resident = getattr(user, "resident", None)
    if resident is None:
        raise ValidationError(NO_RESIDENT)
    building = resident.household.building if resident.household_id else None
    if building is None:
        raise ValidationError(NO_HOME)
    matter = Matter(
        community=building.community,
        title=title,
        description=description,
        scope=MatterScope.COMMUNITY if whole_community else MatterScope.BUILDING,
        raised_by=RaisedBy.RESIDENT,
        raised_by_resident=resident,
        raised_by_user=user,
        status=MatterStatus.PROPOSED,
        created_by=user,
    )
    _clean_text(matter)
    matter.save()
    if not whole_community:
        matter.buildings.set([building])
    audit.record(matter, ChangeAction.CREATE, None, _snapshot(matter), actor, note="居民提议")
    _tell(_staff_of(matter.community_id), title=f"居民提议待受理：{matter.title}", matter=matter)
    return matter


def source_object(kind: str, pk: int, user):
    """The appeal, diary note or problem-list item `pk` as `user` may see it (404 otherwise)."""
    if kind == TurnSource.APPEAL:
        from linli.appeals.models import Appeal

        qs = Appeal.objects.restrict(user, "view")
    elif kind == TurnSource.DIARY:
        from linli.visits.models import FieldNote

        qs = FieldNote.objects.restrict(user, "view")
    elif kind == TurnSource.PROBLEM:
        from linli.appeals.models import ProblemItem, ProblemList

        qs = ProblemItem.objects.filter(problem_list__in=ProblemList.objects.restrict(user, "view"))
    else:
        raise Http404("没有这种来源。")
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404("找不到这条记录，或不在您的管辖范围内。")
    return obj


def _prefill(kind: str, obj) -> dict:
    """Title, description, community and scope taken from the source (its building, else its grid)."""
    if kind == TurnSource.APPEAL:
        text = obj.text or ""
        community, grid = obj.community, obj.grid
        buildings = [obj.building] if obj.building_id else []
        source = MatterSource.APPEAL
        intro = f"来自居民诉求{obj.number or obj.pk}："
    elif kind == TurnSource.DIARY:
        text = obj.text or ""
        community, grid = obj.community, obj.grid
        buildings = list(obj.buildings.all())
        source = MatterSource.DIARY
        intro = f"来自民情日记（{obj.written_on:%Y-%m-%d}）："
    else:
        text = obj.title
        community, grid = obj.problem_list.community, None
        buildings = []
        source = MatterSource.PROBLEM
        intro = f"来自问题清单“{obj.problem_list.name}”第{obj.number}项："
    if buildings:
        scope = MatterScope.BUILDING if len(buildings) == 1 else MatterScope.BUILDINGS
    elif grid is not None:
        scope = MatterScope.GRID
    else:
        scope = MatterScope.COMMUNITY
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "") or "议题"
    return {
        "community": community,
        "title": first_line[:40],
        "description": intro + text,
        "scope": scope,
        "grid": grid,
        "buildings": buildings,
        "source": source,
    }


def matter_from(kind: str, source_id: int) -> Matter | None:
    """The matter already made from this source, if any."""
    source = {
        TurnSource.APPEAL: MatterSource.APPEAL,
        TurnSource.DIARY: MatterSource.DIARY,
        TurnSource.PROBLEM: MatterSource.PROBLEM,
    }.get(kind)
    return Matter.objects.filter(source=source, source_id=source_id).first() if source else None


@transaction.atomic
def turn_into_matter(actor: Actor, source_kind: str, obj) -> Matter:
    """One step: an appeal, a diary note or a problem-list item becomes a matter, prefilled from it.

    Once per source (the constraint matter_one_per_source): a second time is ALREADY_TURNED, nothing made."""
    if source_kind not in TurnSource.values:
        raise ValidationError("没有这种来源。")
    data = _prefill(source_kind, obj)
    if matter_from(source_kind, obj.pk) is not None:
        raise ValidationError(ALREADY_TURNED)
    return raise_matter(actor=actor, source_id=obj.pk, **data)


# --------------------------------------------------------------------------- editing and moving


@transaction.atomic
def update_matter(matter: Matter, *, actor: Actor, **fields) -> Matter:
    matter = _locked(matter, actor)
    if matter.status in (MatterStatus.DONE, MatterStatus.DECLINED):
        raise ValidationError(FINISHED.format(status=matter.get_status_display()))
    before = _snapshot(matter)
    for name in fields:
        if name not in EDITABLE:
            raise TypeError(f"unknown matter field {name}")
    buildings = fields.pop("buildings", None)
    for name, value in fields.items():
        setattr(matter, name, value)
    if buildings is None:
        buildings = list(matter.buildings.all())
    grid, buildings = _clean_scope(matter.community, matter.scope, matter.grid, buildings)
    matter.grid = grid
    _clean_text(matter)
    matter.save()
    matter.buildings.set(buildings)
    audit.record(matter, ChangeAction.UPDATE, before, _snapshot(matter), actor, note="修改议题")
    return matter


def _set_status(matter: Matter, status: str, actor: Actor, note: str) -> Matter:
    before = _snapshot(matter)
    matter.status = status
    matter.closed_at = _now() if status == MatterStatus.DONE else None
    matter.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(matter, ChangeAction.UPDATE, before, _snapshot(matter), actor, note=note)
    return matter


def _tell_raiser(matter: Matter, actor: Actor, title: str, body: str = "") -> None:
    user = actor.account
    if matter.raised_by_user_id and (user is None or matter.raised_by_user_id != user.pk):
        from linli.accounts.models import User

        _tell(User.objects.filter(pk=matter.raised_by_user_id), title=title, body=body, matter=matter)


@transaction.atomic
def accept_matter(matter: Matter, *, actor: Actor) -> Matter:
    """待受理 → 征求意见: the community takes the matter up; the one who raised it is told."""
    matter = _locked(matter, actor)
    if matter.status != MatterStatus.PROPOSED:
        raise ValidationError(NOT_PROPOSED.format(status=matter.get_status_display()))
    _set_status(matter, MatterStatus.HEARING, actor, "受理")
    _tell_raiser(matter, actor, f"您提出的议题已受理：{matter.title}", "社区将征求居民意见。")
    return matter


@transaction.atomic
def decline_matter(matter: Matter, *, actor: Actor, reason: str) -> Matter:
    """待受理 → 不予立项, with the reason (the one who raised it reads it)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    matter = _locked(matter, actor)
    if matter.status != MatterStatus.PROPOSED:
        raise ValidationError(NOT_PROPOSED.format(status=matter.get_status_display()))
    _set_status(matter, MatterStatus.DECLINED, actor, f"不予立项：{reason}"[:200])
    _tell_raiser(matter, actor, f"您提出的议题不予立项：{matter.title}", f"原因：{reason}")
    return matter


@transaction.atomic
def move_matter(matter: Matter, *, actor: Actor, status: str, note: str = "") -> Matter:
    """Between the working stages (征求意见, 表决中, 公示中, 落实中); see choices.NEXT_STATUSES."""
    matter = _locked(matter, actor)
    allowed = NEXT_STATUSES.get(matter.status, ())
    if status not in allowed:
        new = MatterStatus(status).label if status in MatterStatus.values else status
        raise ValidationError({"status": BAD_MOVE.format(old=matter.get_status_display(), new=new)})
    return _set_status(matter, status, actor, (note or "").strip()[:200] or f"改为{MatterStatus(status).label}")


@transaction.atomic
def close_matter(matter: Matter, *, actor: Actor, note: str = "") -> Matter:
    """办结 (DONE): from any working stage. Open follow-up tasks stay on the matter's page."""
    matter = _locked(matter, actor)
    if matter.status not in NEXT_STATUSES:
        raise ValidationError(FINISHED.format(status=matter.get_status_display()))
    _set_status(matter, MatterStatus.DONE, actor, (note or "").strip()[:200] or "办结")
    _tell_raiser(matter, actor, f"您提出的议题已办结：{matter.title}")
    return matter


# --------------------------------------------------------------------------- publicity (公示)


def check_public_wording(community: Community, **texts: str) -> None:
    """Refuse public text that names a resident of the community or gives a phone number or a room."""
    from linli.residents.names import CommunityNames

    names = CommunityNames()[community.pk]
    errors = {}
    for field, text in texts.items():
        cleaned = anonymise(text or "", names)
        if cleaned != plain(text or ""):
            errors[field] = PUBLIC_WORDING.format(suggestion=cleaned)
    if errors:
        raise ValidationError(errors)


def public_text(community: Community, text: str) -> str:
    """Text as a public page shows it: the anonymiser always runs, even on text checked when published. Line by
    line (a notice keeps its paragraphs), each keeping its closing full stop (the anonymiser trims it)."""
    from linli.residents.names import CommunityNames

    names = CommunityNames()[community.pk]
    lines = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cleaned = anonymise(line, names)
        end = line.rstrip()[-1]
        if end in "。！？!?" and not cleaned.endswith(end):
            cleaned += end
        lines.append(cleaned)
    return "\n".join(lines)


@transaction.atomic
def publish(
    actor: Actor,
    matter: Matter,
    title: str,
    body: str,
    days: int = PUBLICITY_DAYS,
    snapshot: dict | None = None,
    starts_on: datetime.date | None = None,
) -> Publication:
    """Put a decision (or a vote's result: the votes app calls this with its counts in `snapshot`) on the
    community's public board for `days` days from today. The matter moves to 公示中 if it is in a working
    stage. Title and body must name nobody (PUBLIC_WORDING)."""
    matter = _locked(matter, actor)
    if matter.status in (MatterStatus.PROPOSED, MatterStatus.DECLINED):
        raise ValidationError(f"这个议题{matter.get_status_display()}，不能公示。")
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写公示标题。"
    if not body:
        errors["body"] = "请填写公示内容。"
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        errors["days"] = BAD_DAYS
    if errors:
        raise ValidationError(errors)
    check_public_wording(matter.community, title=title, body=body)
    starts_on = starts_on or timezone.localdate()
    publication = Publication(
        matter=matter,
        title=title[:100],
        body=body,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days - 1),
        snapshot=snapshot or {},
        published_by=actor.account,
    )
    publication.full_clean(exclude=["matter", "published_by"])
    publication.save()
    audit.record(publication, ChangeAction.CREATE, None, audit.snapshot(publication), actor, note="发布公示")
    if matter.status in NEXT_STATUSES and matter.status != MatterStatus.PUBLICITY:
        _set_status(matter, MatterStatus.PUBLICITY, actor, f"公示：{title}"[:200])
    return publication


def _locked_publication(publication: Publication, actor: Actor) -> Publication:
    _locked(publication.matter, actor)
    return Publication.objects.select_for_update(of=("self",)).select_related("matter").get(pk=publication.pk)


@transaction.atomic
def withdraw_publication(publication: Publication, *, actor: Actor, reason: str) -> Publication:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    publication = _locked_publication(publication, actor)
    if publication.withdrawn:
        raise ValidationError(WITHDRAWN)
    before = audit.snapshot(publication)
    publication.withdrawn = True
    publication.withdrawn_reason = reason[:200]
    publication.save(update_fields=["withdrawn", "withdrawn_reason"])
    audit.record(publication, ChangeAction.UPDATE, before, audit.snapshot(publication), actor, note="撤回公示")
    return publication


@transaction.atomic
def record_objection(
    publication: Publication, *, actor: Actor, text: str, name: str = "", phone: str = "", resident=None
) -> Objection:
    """An objection received by staff (at the desk, on the phone) during the publication."""
    publication = _locked_publication(publication, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": TEXT_REQUIRED})
    if publication.withdrawn:
        raise ValidationError(WITHDRAWN)
    phone = (phone or "").strip()
    if phone:
        try:
            phone = normalize_phone(phone)
        except PhoneError as exc:
            raise ValidationError({"phone": str(exc)})
    if resident is not None and resident.community_id != publication.matter.community_id:
        raise ValidationError({"resident": "这位居民不在本社区。"})
    objection = Objection(
        publication=publication,
        text=text,
        name=(name or "").strip()[:64],
        phone=phone,
        resident=resident,
        received_by=actor.account,
    )
    objection.save()
    audit.record(objection, ChangeAction.CREATE, None, audit.snapshot(objection), actor, note="登记异议")
    return objection


@transaction.atomic
def respond_objection(objection: Objection, *, actor: Actor, response: str) -> Objection:
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": TEXT_REQUIRED})
    _locked_publication(objection.publication, actor)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    before = audit.snapshot(objection)
    objection.response = response
    objection.responded_at = _now()
    objection.save(update_fields=["response", "responded_at"])
    audit.record(objection, ChangeAction.UPDATE, before, audit.snapshot(objection), actor, note="答复异议")
    return objection


# --------------------------------------------------------------------------- follow-up tasks (民事民办)


def task_owners(community: Community):
    """Who may own a follow-up task: active accounts assigned to the community, a grid of it or its street."""
    from django.db.models import Q

    from linli.accounts.models import User

    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(assignments__community_id=community.pk)
            | Q(assignments__street_id=community.street_id)
            | Q(assignments__grid__community_id=community.pk)
        )
        .distinct()
        .order_by("full_name", "username")
    )


@transaction.atomic
def add_task(
    matter: Matter, *, actor: Actor, title: str, owner, deadline: datetime.date, note: str = ""
) -> FollowUpTask:
    """A follow-up task with an owner (a user of the community) and a deadline; the owner is told."""
    matter = _locked(matter, actor)
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写任务。"
    if owner is None or not task_owners(matter.community).filter(pk=owner.pk).exists():
        errors["owner"] = OWNER_ELSEWHERE
    if deadline is None:
        errors["deadline"] = "请填写完成期限。"
    elif deadline < timezone.localdate():
        errors["deadline"] = DEADLINE_PAST
    if errors:
        raise ValidationError(errors)
    task = FollowUpTask.objects.create(
        matter=matter,
        title=title[:100],
        owner=owner,
        deadline=deadline,
        note=(note or "").strip(),
        created_by=actor.account,
    )
    audit.record(task, ChangeAction.CREATE, None, audit.snapshot(task), actor, note="布置落实任务")
    if actor.account is None or owner.pk != actor.user.pk:
        _tell(
            [owner],
            title=f"落实任务：{task.title}",
            body=f"议题“{matter.title}”，请在{deadline:%Y年%m月%d日}前完成。",
            matter=matter,
        )
    return task


@transaction.atomic
def complete_task(task: FollowUpTask, *, actor: Actor, note: str = "") -> FollowUpTask:
    """The owner (or anyone who manages the matter) marks the task done."""
    user = actor.user
    if user is not None and task.owner_id != user.pk:
        _locked(task.matter, actor)
    elif user is not None and not Matter.objects.restrict(user, "view").filter(pk=task.matter_id).exists():
        raise Http404("不在您的管辖范围内。")
    task = FollowUpTask.objects.select_for_update().get(pk=task.pk)
    if task.status == TaskStatus.DONE:
        raise ValidationError(TASK_DONE)
    before = audit.snapshot(task)
    task.status = TaskStatus.DONE
    task.done_at = _now()
    if (note or "").strip():
        task.note = (task.note + "\n" if task.note else "") + note.strip()
    task.save(update_fields=["status", "done_at", "note"])
    audit.record(task, ChangeAction.UPDATE, before, audit.snapshot(task), actor, note="完成落实任务")
    return task


def remind_tasks(today: datetime.date | None = None) -> tuple[int, int]:
    """The daily sweep (Celery beat, or `linli matters-remind` from cron): the owner of an open task due today or
    tomorrow is reminded once; once it is overdue, the owner and whoever set it are told once more. Returns (tasks
    reminded, messages sent); running it twice sends nothing new (notify keys)."""
    today = today or timezone.localdate()
    tasks = FollowUpTask.objects.open().filter(deadline__lte=today + datetime.timedelta(days=1))
    reminded = sent = 0
    for task in tasks.select_related("matter", "owner", "created_by"):
        if task.deadline < today:
            users = [task.owner] + ([task.created_by] if task.created_by_id not in (None, task.owner_id) else [])
            title, key = f"落实任务已超期：{task.title}", f"matter-task-overdue:{task.pk}"
        else:
            users = [task.owner]
            title, key = f"落实任务快到期了：{task.title}", f"matter-task-due:{task.pk}"
        body = f"议题“{task.matter.title}”，完成期限{task.deadline:%Y年%m月%d日}。"
        n = _tell(users, title=title, body=body, matter=task.matter, key=key)
        reminded += 1 if n else 0
        sent += n
    return reminded, sent


@transaction.atomic
def appeal_from_matter(matter: Matter, *, actor: Actor, text: str):
    """民事民办 through the appeals' machinery: one step from the matter to an appeal (待派单) of its community
    (and its building when the matter is about one), recorded on the matter's timeline."""
    from linli.appeals.choices import Channel
    from linli.appeals.services import create_appeal

    matter = _locked(matter, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": TEXT_REQUIRED})
    buildings = list(matter.buildings.all()) if matter.scope == MatterScope.BUILDING else []
    kwargs = {"building": buildings[0]} if buildings else {"community": matter.community, "address": matter.title}
    appeal = create_appeal(
        actor=actor, text=f"议题“{matter.title}”：{text}", channel=Channel.WALK_IN, reporter_name="社区议事", **kwargs
    )
    audit.record(
        matter,
        ChangeAction.UPDATE,
        {"落实诉求": ""},
        {"落实诉求": appeal.number or str(appeal.pk)},
        actor,
        note="生成诉求",
    )
    return appeal


@transaction.atomic
def problem_item_from_matter(matter: Matter, *, actor: Actor, problem_list, title: str, due_on=None):
    """民事民办 through a campaign's 问题清单: one step from the matter to a numbered item of one of its community's
    lists (the appeals' own service decides who may add items: secretaries and the street)."""
    from linli.appeals import services_problems as problems

    matter = _locked(matter, actor)
    if problem_list.community_id != matter.community_id:
        raise ValidationError({"problem_list": "请选择本社区的问题清单。"})
    title = (title or "").strip() or matter.title
    item = problems.add_item(
        problem_list, actor=actor, title=title[:200], due_on=due_on, note=f"来自议题“{matter.title}”"
    )
    audit.record(
        matter,
        ChangeAction.UPDATE,
        {"问题清单事项": ""},
        {"问题清单事项": f"{problem_list.name}第{item.number}项"},
        actor,
        note="列入问题清单",
    )
    return item


def timeline(matter: Matter):
    """The change records of the matter, its publications, objections and tasks, oldest first."""
    return audit.history_of_many(
        [
            (Matter, [matter.pk]),
            (Publication, matter.publications.values("pk")),
            (Objection, Objection.objects.filter(publication__matter=matter).values("pk")),
            (FollowUpTask, matter.tasks.values("pk")),
        ]
    )


def public_url(publication: Publication) -> str:
    return reverse("deliberation:public_publication", args=[publication.matter.community.code, publication.pk])
