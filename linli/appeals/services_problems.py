"""问题清单: named campaigns of numbered items, tracked by hand or through linked appeals. All changes recorded.

Secretaries and street admins (problem.manage) create lists for a community in their scope and
edit them; area staff (problem.view) read them. An item linked to appeals shows their statuses;
once every linked appeal is closed as 已解决 the item can be marked solved in one click.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone

from linli.appeals.choices import Outcome, ProblemItemStatus, Status
from linli.appeals.models import Appeal, ProblemItem, ProblemList
from linli.areas import scope
from linli.areas.models import Community
from linli.core import audit
from linli.core.audit import Actor
from linli.core.figures import percent
from linli.core.models import ChangeAction
from linli.core.params import parse_id
from linli.core.querysets import require_perm
from linli.core.services import save_audited

MAX_NOTE = 2000


def lists_for(user, action: str = "view"):
    """Problem lists `user` may `action` (problem.view / problem.manage)."""
    return ProblemList.objects.restrict(user, action)


def communities_for(user, action: str = "manage"):
    return scope.communities_for(user, f"problem.{action}").order_by("code")


def _check_list(actor: Actor, problem_list: ProblemList) -> None:
    user = actor.account
    if user is None:
        return
    require_perm(user, "problem.manage")
    if not lists_for(user, "manage").filter(pk=problem_list.pk).exists():
        raise Http404("该清单不在您的管辖范围内。")


def _list_fields(problem_list: ProblemList, actor: Actor, *, name, year, description, community) -> None:
    errors = {}
    name = (name or "").strip()[:80]
    if not name:
        errors["name"] = "请填写清单名称。"
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    this_year = timezone.localdate().year
    if year is None or not 2000 <= year <= this_year + 5:
        errors["year"] = f"年度应在2000到{this_year + 5}之间。"
    if community is None:
        errors["community"] = "请选择社区。"
    else:
        user = actor.account
        if user is not None and not communities_for(user).filter(pk=community.pk).exists():
            errors["community"] = "所选社区不在您的管辖范围内。"
    if errors:
        raise ValidationError(errors)
    problem_list.name, problem_list.year = name, year
    problem_list.description = (description or "").strip()[:MAX_NOTE]
    problem_list.community, problem_list.street_id = community, community.street_id


def create_list(*, actor: Actor, name: str, year, community: Community, description: str = "") -> ProblemList:
    user = actor.account
    if user is not None:
        require_perm(user, "problem.manage")
    problem_list = ProblemList()
    _list_fields(problem_list, actor, name=name, year=year, description=description, community=community)
    return save_audited(problem_list, actor)


def update_list(
    problem_list: ProblemList, *, actor: Actor, name: str, year, community: Community, description: str = ""
) -> ProblemList:
    _check_list(actor, problem_list)
    problem_list = ProblemList.objects.get(pk=problem_list.pk)
    if community is not None and community.pk != problem_list.community_id:
        if Appeal.objects.filter(problem_items__problem_list=problem_list).exists():
            raise ValidationError({"community": "清单已关联诉求，不能改到别的社区。"})
    _list_fields(problem_list, actor, name=name, year=year, description=description, community=community)
    return save_audited(problem_list, actor)


def _title(title) -> str:
    title = " ".join((title or "").split())[:200]
    if not title:
        raise ValidationError({"title": "请填写事项内容。"})
    return title


def _status(status) -> str:
    if status not in ProblemItemStatus.values:
        raise ValidationError({"status": "请选择进展。"})
    return status


def _unit_and_due(unit, due_on, problem_list: ProblemList):
    """The responsible unit (an active 承办单位, or none) and the deadline (within the list's year and the next)."""
    from linli.appeals.models import HandlingUnit

    errors = {}
    if unit is not None and not HandlingUnit.objects.filter(pk=unit.pk, is_active=True).exists():
        errors["unit"] = "所选责任单位已停用，请另选。"
    if due_on is not None and not (problem_list.year - 1 <= due_on.year <= problem_list.year + 5):
        errors["due_on"] = f"完成时限应在{problem_list.year - 1}年到{problem_list.year + 5}年之间。"
    if errors:
        raise ValidationError(errors)
    return unit, due_on


@transaction.atomic
def add_item(
    problem_list: ProblemList,
    *,
    actor: Actor,
    title: str,
    status: str = ProblemItemStatus.OPEN,
    note: str = "",
    unit=None,
    due_on=None,
) -> ProblemItem:
    """A new item numbered after the list's last one, with its responsible unit and deadline (both optional)."""
    _check_list(actor, problem_list)
    problem_list = ProblemList.objects.select_for_update().get(pk=problem_list.pk)  # serialises numbering
    title, status = _title(title), _status(status)
    unit, due_on = _unit_and_due(unit, due_on, problem_list)
    last = problem_list.items.aggregate(n=Max("number"))["n"] or 0
    item = ProblemItem(
        problem_list=problem_list,
        number=last + 1,
        title=title,
        status=status,
        note=(note or "").strip()[:MAX_NOTE],
        unit=unit,
        due_on=due_on,
    )
    return save_audited(item, actor)


_KEEP = object()


@transaction.atomic
def update_item(
    item: ProblemItem, *, actor: Actor, title: str, status: str, note: str = "", unit=_KEEP, due_on=_KEEP
) -> ProblemItem:
    _check_list(actor, item.problem_list)
    item = ProblemItem.objects.select_related("problem_list").get(pk=item.pk)
    item.title, item.status = _title(title), _status(status)
    item.note = (note or "").strip()[:MAX_NOTE]
    unit = item.unit if unit is _KEEP else unit
    due_on = item.due_on if due_on is _KEEP else due_on
    item.unit, item.due_on = _unit_and_due(unit, due_on, item.problem_list)
    return save_audited(item, actor)


def set_item_status(item: ProblemItem, *, actor: Actor, status: str, note: str | None = None) -> ProblemItem:
    _check_list(actor, item.problem_list)
    item = ProblemItem.objects.get(pk=item.pk)
    item.status = _status(status)
    if note is not None:
        item.note = (note or "").strip()[:MAX_NOTE]
    return save_audited(item, actor)


def _links(item: ProblemItem) -> dict:
    return {"关联诉求": [a.number or f"#{a.pk}" for a in item.appeals.all()]}


def find_appeal(item: ProblemItem, user, reference: str) -> Appeal:
    """The appeal a manager means by its number (or #id), in the list's community and the user's scope."""
    reference = (reference or "").strip().lstrip("#")
    if not reference:
        raise ValidationError({"appeal": "请填写诉求编号。"})
    qs = Appeal.objects.restrict(user) if user is not None else Appeal.objects.all()
    q = Q(number=reference)
    if pk := parse_id(reference):
        q |= Q(pk=pk)
    appeal = qs.filter(q).first()
    if appeal is None:
        raise ValidationError({"appeal": f"没有找到编号为“{reference}”的诉求。"})
    return appeal


@transaction.atomic
def link_appeal(item: ProblemItem, appeal: Appeal, *, actor: Actor) -> ProblemItem:
    _check_list(actor, item.problem_list)
    user = actor.account
    if user is not None and not Appeal.objects.restrict(user).filter(pk=appeal.pk).exists():
        raise Http404("该诉求不在您的管辖范围内。")
    if appeal.community_id != item.problem_list.community_id:
        raise ValidationError({"appeal": "只能关联本社区的诉求。"})
    if item.appeals.filter(pk=appeal.pk).exists():
        raise ValidationError({"appeal": "该诉求已关联到这个事项。"})
    before = _links(item)
    item.appeals.add(appeal)
    audit.record(item, ChangeAction.UPDATE, before, _links(item), actor, note="关联诉求")
    return item


@transaction.atomic
def unlink_appeal(item: ProblemItem, appeal: Appeal, *, actor: Actor) -> ProblemItem:
    _check_list(actor, item.problem_list)
    if not item.appeals.filter(pk=appeal.pk).exists():
        raise ValidationError({"appeal": "该诉求没有关联到这个事项。"})
    before = _links(item)
    item.appeals.remove(appeal)
    audit.record(item, ChangeAction.UPDATE, before, _links(item), actor, note="取消关联诉求")
    return item


def all_linked_solved(item: ProblemItem) -> bool:
    """True when the item has linked appeals and every one is closed as 已解决."""
    appeals = list(item.appeals.all())
    return bool(appeals) and all(a.status == Status.CLOSED and a.outcome == Outcome.SOLVED for a in appeals)


def mark_solved(item: ProblemItem, *, actor: Actor) -> ProblemItem:
    """One click: every linked appeal is closed as 已解决, so the item is solved."""
    _check_list(actor, item.problem_list)
    if item.status == ProblemItemStatus.SOLVED:
        raise ValidationError("该事项已经是“已解决”。")
    if not all_linked_solved(item):
        raise ValidationError("关联的诉求还没有全部办结并解决，不能一键标记为已解决。")
    today = timezone.localdate()
    note = item.note or f"关联诉求已全部解决（{today:%Y-%m-%d}）"
    return set_item_status(item, actor=actor, status=ProblemItemStatus.SOLVED, note=note)


def progress(problem_list: ProblemList) -> dict:
    counts = {"total": 0, "solved": 0, "in_progress": 0, "overdue": 0}
    today = timezone.localdate()
    for status, due_on in problem_list.items.values_list("status", "due_on"):
        counts["total"] += 1
        if due_on and due_on < today and status != ProblemItemStatus.SOLVED:
            counts["overdue"] += 1
        if status == ProblemItemStatus.SOLVED:
            counts["solved"] += 1
        elif status == ProblemItemStatus.IN_PROGRESS:
            counts["in_progress"] += 1
    counts["percent"] = percent(counts["solved"], counts["total"]) or 0
    return counts
