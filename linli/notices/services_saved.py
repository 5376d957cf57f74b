"""常用名单 (SavedAudience): lists of residents staff send to again and again. Created empty or from an audience
choice, members added and removed by search, renamed, deleted. Each change is atomic, locks the list and leaves a
change record.

Scope: a list belongs to one community; whoever may write notices there may use it and add to it, but only residents
they may see go in (a grid worker: their grid's), and a send through a list reaches only the members the sender may
reach (Audience.residents). Renaming and deleting: the list's creator, or notice.manage.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from linli.areas.models import Community
from linli.areas.scope import require_community
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.notices.models import SavedAudience
from linli.residents.models import Resident

NAME_TAKEN = "这个社区已经有同名的名单，请换一个名称。"
NOT_YOURS = "只有名单的创建人或社区管理人员可以修改或删除这个名单。"


def _locked(saved: SavedAudience, actor: Actor) -> SavedAudience:
    user = actor.user
    if user is not None:
        require_perm(user, "notice.add")
        if not SavedAudience.objects.restrict(user).filter(pk=saved.pk).exists():
            raise Http404("不在您的管辖范围内。")
    return SavedAudience.objects.select_for_update().get(pk=saved.pk)


def can_change(user, saved: SavedAudience) -> bool:
    """Rename or delete: the creator, or whoever manages notices in its community."""
    if user.is_superuser:
        return True
    if user.has_role_perm("notice.manage"):
        return SavedAudience.objects.restrict(user).filter(pk=saved.pk).exists()
    return saved.created_by_id == user.pk


def _members(actor: Actor, saved: SavedAudience, resident_ids: Iterable[int]):
    """The residents to add: active, of the list's community, and visible to the acting user; an id outside that
    refuses the whole request."""
    ids = {int(i) for i in resident_ids}
    qs = Resident.objects.all() if actor.user is None else Resident.objects.restrict(actor.user)
    found = list(qs.active().filter(pk__in=ids, community_id=saved.community_id).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise ValidationError("有的居民不在这个社区或不在您的管辖范围内，未加入名单。")
    return found


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写名单名称。"})
    return name[:60]


@transaction.atomic
def create_saved_audience(
    *, actor: Actor, community: Community, name: str, description: str = "", residents=None
) -> SavedAudience:
    """A new list, empty or holding `residents` (a queryset, e.g. an audience's residents as the user sees them)."""
    require_community(actor, "notice.add", community.pk)
    saved = SavedAudience(community=community, name=_clean_name(name), description=(description or "").strip()[:200])
    saved.created_by = actor.account
    if SavedAudience.objects.filter(community=community, name=saved.name).exists():
        raise ValidationError({"name": NAME_TAKEN})
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError:
        raise ValidationError({"name": NAME_TAKEN}) from None
    audit.record(saved, ChangeAction.CREATE, None, audit.snapshot(saved), actor)
    if residents is not None:
        ids = list(residents.filter(community_id=community.pk).values_list("pk", flat=True))
        if ids:
            through = SavedAudience.residents.through
            through.objects.bulk_create([through(savedaudience_id=saved.pk, resident_id=pk) for pk in ids])
            audit.record(saved, ChangeAction.UPDATE, {"人数": 0}, {"人数": len(ids)}, actor, note="按通知对象建立")
    return saved


@transaction.atomic
def update_saved_audience(saved: SavedAudience, *, actor: Actor, name: str, description: str = "") -> SavedAudience:
    saved = _locked(saved, actor)
    if actor.user is not None and not can_change(actor.user, saved):
        raise ValidationError(NOT_YOURS)
    before = audit.snapshot(saved)
    saved.name = _clean_name(name)
    saved.description = (description or "").strip()[:200]
    if SavedAudience.objects.filter(community_id=saved.community_id, name=saved.name).exclude(pk=saved.pk).exists():
        raise ValidationError({"name": NAME_TAKEN})
    saved.save()
    audit.record(saved, ChangeAction.UPDATE, before, audit.snapshot(saved), actor)
    return saved


@transaction.atomic
def add_members(saved: SavedAudience, *, actor: Actor, resident_ids: Iterable[int]) -> int:
    """Add residents (the acting user's, of the list's community); returns how many were new."""
    saved = _locked(saved, actor)
    ids = _members(actor, saved, resident_ids)
    through = SavedAudience.residents.through
    present = set(
        through.objects.filter(savedaudience_id=saved.pk, resident_id__in=ids).values_list("resident_id", flat=True)
    )
    new = [pk for pk in ids if pk not in present]
    if new:
        through.objects.bulk_create([through(savedaudience_id=saved.pk, resident_id=pk) for pk in new])
        names = list(Resident.objects.filter(pk__in=new).values_list("name", flat=True)[:10])
        audit.record(saved, ChangeAction.UPDATE, None, {"加入": "、".join(names)}, actor, note=f"加入{len(new)}人")
    return len(new)


@transaction.atomic
def remove_members(saved: SavedAudience, *, actor: Actor, resident_ids: Iterable[int]) -> int:
    """Take residents off the list (only those the acting user may see); returns how many were removed."""
    saved = _locked(saved, actor)
    qs = Resident.objects.all() if actor.user is None else Resident.objects.restrict(actor.user)
    ids = list(qs.filter(pk__in={int(i) for i in resident_ids}).values_list("pk", flat=True))
    through = SavedAudience.residents.through
    rows = through.objects.filter(savedaudience_id=saved.pk, resident_id__in=ids)
    names = list(Resident.objects.filter(pk__in=rows.values("resident_id")).values_list("name", flat=True)[:10])
    removed, _ = rows.delete()
    if removed:
        audit.record(saved, ChangeAction.UPDATE, {"移出": "、".join(names)}, None, actor, note=f"移出{removed}人")
    return removed


@transaction.atomic
def delete_saved_audience(saved: SavedAudience, *, actor: Actor) -> None:
    """Delete the list. Notices sent through it keep their fixed households and their label."""
    saved = _locked(saved, actor)
    if actor.user is not None and not can_change(actor.user, saved):
        raise ValidationError(NOT_YOURS)
    audit.record(saved, ChangeAction.DELETE, audit.snapshot(saved), None, actor)
    saved.delete()
