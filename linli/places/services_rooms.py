"""Keeping the rooms (linli.places.models.Room): create and edit with their facts and photos, take out of use.

Who: room.manage over the room's community (community staff and managers); a command passes an Actor without a
user. Every change is atomic, on the room's locked row, with a change record; bad input raises ValidationError
with a Chinese message naming the field and changes nothing (photos are checked before the first write and
attached last, as linli.attachments asks)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from linli.areas.scope import communities_for
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm
from linli.places.choices import BookerKind
from linli.places.models import Room

NOT_IN_SCOPE = "找不到这间功能室，或不在您的管辖范围内。"
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def _time(value):
    """The model's defaults are text ("08:30"); a typed value is a time already."""
    if isinstance(value, str):
        try:
            return datetime.time.fromisoformat(value)
        except ValueError:
            return None
    return value


def _clean(room: Room) -> None:
    """The rules of a room's facts, all checked before anything is written."""
    errors: dict[str, str] = {}
    room.name = " ".join((room.name or "").split())
    if not room.name:
        errors["name"] = "请填写功能室名称。"
    if room.capacity is None or room.capacity <= 0:
        errors["capacity"] = "容纳人数应大于0。"
    room.opens_at, room.closes_at = _time(room.opens_at), _time(room.closes_at)
    opens, closes = room.opens_at, room.closes_at
    if not isinstance(opens, datetime.time) or not isinstance(closes, datetime.time):
        errors["closes_at"] = "请填写开放和关闭时间。"
    elif opens >= closes:
        errors["closes_at"] = "关闭时间应晚于开放时间。"
    days = room.open_days if isinstance(room.open_days, (list, tuple)) else None
    if not days or any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days):
        errors["open_days"] = "请至少选择一个开放日（周一至周日）。"
    else:
        room.open_days = sorted(set(days))
    kinds = room.bookable_by if isinstance(room.bookable_by, (list, tuple)) else None
    if not kinds or any(k not in BookerKind.values for k in kinds):
        errors["bookable_by"] = "请至少选择一类可预约对象（居民个人、居民组织、志愿服务队、工作人员）。"
    else:
        room.bookable_by = [k for k in BookerKind.values if k in kinds]
    if room.manager_id is not None and not room.manager.is_active:
        errors["manager"] = "管理人的账号已停用，请另选一位。"
    if "name" not in errors and room.community_id:
        taken = Room.objects.filter(community_id=room.community_id, name=room.name).exclude(pk=room.pk)
        if taken.exists():
            errors["name"] = f"本社区已经有名为“{room.name}”的功能室了，请换一个名称。"
    if errors:
        raise ValidationError(errors)


def _check_community(actor: Actor, community_id: int) -> None:
    user = actor.user
    if user is None or user.is_superuser:
        return
    require_perm(user, "room.manage")
    if not communities_for(user, "room.manage").filter(pk=community_id).exists():
        raise Http404(NOT_IN_SCOPE)


def locked_room(pk: int, actor: Actor) -> Room:
    """The room's row, locked for a change; 404 when the actor may not manage it (403 when the role lacks it)."""
    user = actor.user
    if user is not None:
        require_perm(user, "room.manage")
    qs = Room.objects.all() if user is None else Room.objects.restrict(user, "manage")
    row = qs.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        raise Http404(NOT_IN_SCOPE)
    return row


@transaction.atomic
def save_room(room: Room, *, actor: Actor, photos=()) -> Room:
    """Create `room` (no pk) or save the edited fields of an existing one, then attach `photos` (uploads).

    The room's community cannot move once it exists (its bookings stay where they were made)."""
    from linli.attachments.services import attach_photos, prepare_photos

    prepared = prepare_photos(photos)  # every photo checked before the first write
    if room.pk is None:
        if room.community_id is None:
            raise ValidationError({"community": "请选择社区。"})
        _check_community(actor, room.community_id)
        _clean(room)
        room.save()
        audit.record(room, ChangeAction.CREATE, None, audit.snapshot(room), actor)
    else:
        current = locked_room(room.pk, actor)
        if current.community_id != room.community_id:
            raise ValidationError({"community": "功能室所属社区不能更改。"})
        before = audit.snapshot(current)
        _clean(room)
        room.save()
        audit.record(room, ChangeAction.UPDATE, before, audit.snapshot(room), actor)
    if prepared:
        attach_photos(room, prepared, actor=actor)
    return room


@transaction.atomic
def set_room_active(room: Room, *, active: bool, actor: Actor, note: str = "") -> Room:
    """停用 (no new bookings, off the timetables; its history and figures stay) or 启用 again."""
    room = locked_room(room.pk, actor)
    if room.is_active == active:
        raise ValidationError("这间功能室已经启用了。" if active else "这间功能室已经停用了。")
    before = audit.snapshot(room)
    room.is_active = active
    room.save(update_fields=["is_active"])
    note = " ".join((note or "").split())[:200]
    audit.record(
        room, ChangeAction.UPDATE, before, audit.snapshot(room), actor, note=note or ("启用" if active else "停用")
    )
    return room


def open_days_label(days) -> str:
    """周一至周五 / 周一、周三、周六 / 每天."""
    days = sorted(d for d in days or () if isinstance(d, int) and 0 <= d <= 6)
    if len(days) == 7:
        return "每天"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]}至{WEEKDAYS[days[-1]]}"
    return "、".join(WEEKDAYS[d] for d in days) or "不开放"


def bookable_label(kinds) -> str:
    labels = dict(BookerKind.choices)
    return "、".join(str(labels[k]) for k in BookerKind.values if k in (kinds or ())) or "不对外预约"
