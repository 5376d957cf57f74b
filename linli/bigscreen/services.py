"""Every change of the screens and of the 好人好事墙's moderation, with its actor and a change record.

- A screen is set up for a community (or a street: the street office only) inside the actor's scope
  (screen.manage). Its link key is made here, returned once and never stored: only its hash.
- Renewing the link makes a new key (the old link stops at once) and starts a stopped screen again; stopping a
  screen makes its link show “已停用”.
- Hiding a wall entry (and showing it again) is screen.manage in the entry's community.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from linli.areas.models import Community, Street
from linli.areas.scope import MANAGED_COMMUNITY_PATHS, areas_for
from linli.bigscreen.choices import Panel, WallKind
from linli.bigscreen.models import ROTATE_MAX, ROTATE_MIN, Screen, WallHidden
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm

PERM = "screen.manage"
NOT_IN_SCOPE = "找不到这块大屏，或不在您的管辖范围内。"
KEY_PREFIX = "dp_"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def screen_for_key(key: str) -> Screen | None:
    """The screen whose link is `key` (stopped ones too: they answer “已停用”), or None."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    return Screen.objects.select_related("street", "community").filter(key_hash=Screen.hash_key(key)).first()


def manageable_communities(user):
    return areas_for(Community.objects.all(), user, PERM, MANAGED_COMMUNITY_PATHS)


def manageable_streets(user):
    """Streets the user manages as a street office (a community's staff set up no street screen)."""
    if user is None or not user.is_authenticated:
        return Street.objects.none()
    if user.is_superuser:
        return Street.objects.all()
    if not user.has_role_perm(PERM):
        return Street.objects.none()
    ids = [node_id for level, node_id in user.assigned_nodes() if level == "street"]
    return Street.objects.filter(pk__in=ids)


def _check_node(screen: Screen, actor: Actor) -> None:
    user = actor.user
    if screen.community_id:
        screen.street_id = Community.objects.values_list("street_id", flat=True).get(pk=screen.community_id)
        if user is not None and not manageable_communities(user).filter(pk=screen.community_id).exists():
            raise ValidationError({"community": "只能为自己管辖的社区设置大屏。"})
    elif not screen.street_id:
        raise ValidationError({"community": "请选择社区或街道。"})
    elif user is not None and not manageable_streets(user).filter(pk=screen.street_id).exists():
        raise ValidationError({"community": "只有街道管理员可以设置整个街道的大屏。"})


def _clean(screen: Screen) -> None:
    screen.name = " ".join((screen.name or "").split())[:64]
    if not screen.name:
        raise ValidationError({"name": "请填写大屏名称，例如“党群服务中心一楼大厅”。"})
    panels = [p for p in (screen.panels or []) if p in Panel.values]
    if not panels:
        raise ValidationError({"panels": "请至少选择一项轮播内容。"})
    screen.panels = list(dict.fromkeys(panels))
    try:
        seconds = int(screen.rotate_seconds)
    except (TypeError, ValueError):
        seconds = 0
    if not ROTATE_MIN <= seconds <= ROTATE_MAX:
        raise ValidationError({"rotate_seconds": f"每屏停留时间应为{ROTATE_MIN}到{ROTATE_MAX}秒。"})
    screen.rotate_seconds = seconds


def locked(pk: int, actor: Actor) -> Screen:
    """The screen `pk` locked for a change; 404 outside the actor's scope (a command may act anywhere)."""
    user = actor.user
    if user is not None:
        require_perm(user, PERM)
    qs = Screen.objects.all() if user is None else Screen.objects.restrict(user, "manage")
    row = qs.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        raise Http404(NOT_IN_SCOPE)
    return row


@transaction.atomic
def create_screen(screen: Screen, *, actor: Actor) -> tuple[Screen, str]:
    """Set up a screen; returns it and its link key (shown once, never stored)."""
    if actor.user is not None:
        require_perm(actor.user, PERM)
    _check_node(screen, actor)
    _clean(screen)
    key = new_key()
    screen.key_hash = Screen.hash_key(key)
    screen.key_prefix = key[:8]
    screen.key_issued_at = timezone.now()
    screen.is_active = True
    screen.created_by = actor.account
    screen.save()
    audit.record(screen, ChangeAction.CREATE, None, audit.snapshot(screen), actor)
    return screen, key


@transaction.atomic
def update_screen(screen: Screen, *, actor: Actor) -> Screen:
    """Change a screen's name, panels or rotation (its node stays)."""
    row = locked(screen.pk, actor)
    before = audit.snapshot(row)
    row.name, row.panels, row.rotate_seconds = screen.name, screen.panels, screen.rotate_seconds
    _clean(row)
    row.save(update_fields=["name", "panels", "rotate_seconds"])
    audit.record(row, ChangeAction.UPDATE, before, audit.snapshot(row), actor)
    return row


@transaction.atomic
def renew_key(screen: Screen, *, actor: Actor) -> tuple[Screen, str]:
    """A new link for the screen (the old one stops at once); a stopped screen is in use again."""
    row = locked(screen.pk, actor)
    before = audit.snapshot(row)
    key = new_key()
    row.key_hash, row.key_prefix, row.key_issued_at = Screen.hash_key(key), key[:8], timezone.now()
    row.is_active, row.stopped_at, row.stopped_by = True, None, None
    row.save()
    audit.record(row, ChangeAction.UPDATE, before, audit.snapshot(row), actor, note="重新生成显示链接")
    return row, key


@transaction.atomic
def stop_screen(screen: Screen, *, actor: Actor) -> Screen:
    """Stop the screen: its link shows “已停用” from the next refresh on."""
    row = locked(screen.pk, actor)
    if not row.is_active:
        return row
    before = audit.snapshot(row)
    row.is_active, row.stopped_at, row.stopped_by = False, timezone.now(), actor.account
    row.save(update_fields=["is_active", "stopped_at", "stopped_by"])
    audit.record(row, ChangeAction.UPDATE, before, audit.snapshot(row), actor, note="停用大屏")
    return row


def seen(screen: Screen) -> None:
    """Note that the display fetched its data (at most once a minute: no write per request)."""
    now = timezone.now()
    if screen.last_seen_at is None or (now - screen.last_seen_at).total_seconds() > 60:
        Screen.objects.filter(pk=screen.pk).update(last_seen_at=now)


# --------------------------------------------------------------------------- the wall's moderation


def _entry(kind: str, object_id: int):
    """The wall entry's source row and its community id, or a Chinese refusal."""
    from linli.lovebank.models import Deed
    from linli.volunteers.models import Activity

    if kind == WallKind.DEED:
        row = Deed.objects.filter(pk=object_id).first()
        return (row, row.community_id, row.description) if row else (None, None, "")
    if kind == WallKind.SERVICE:
        row = Activity.objects.filter(pk=object_id).first()
        return (row, row.community_id, f"志愿服务“{row.title}”") if row else (None, None, "")
    raise ValidationError("没有这种好人好事墙内容。")


@transaction.atomic
def hide_entry(kind: str, object_id: int, *, actor: Actor, reason: str = "") -> WallHidden:
    """Take an entry off the wall of every screen (screen.manage in its community)."""
    row, community_id, text = _entry(kind, object_id)
    user = actor.user
    if user is not None:
        require_perm(user, PERM)
    if row is None or (user is not None and not manageable_communities(user).filter(pk=community_id).exists()):
        raise Http404("找不到这条内容，或不在您的管辖范围内。")
    found = WallHidden.objects.filter(kind=kind, object_id=object_id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            hidden = WallHidden.objects.create(
                community_id=community_id,
                kind=kind,
                object_id=object_id,
                summary=text[:40],  # staff read it on the moderation page; the change record keeps it too
                reason=(reason or "").strip()[:200],
                hidden_by=actor.account,
            )
    except IntegrityError:  # two clicks at once: one row
        return WallHidden.objects.get(kind=kind, object_id=object_id)
    audit.record(hidden, ChangeAction.CREATE, None, audit.snapshot(hidden), actor, note="从好人好事墙隐藏")
    _wall_changed(community_id)
    return hidden


@transaction.atomic
def show_entry(kind: str, object_id: int, *, actor: Actor) -> None:
    """Put a hidden entry back on the wall."""
    user = actor.user
    if user is not None:
        require_perm(user, PERM)
    qs = WallHidden.objects.all() if user is None else WallHidden.objects.restrict(user, "manage")
    hidden = qs.select_for_update().filter(kind=kind, object_id=object_id).first()
    if hidden is None:
        raise Http404("找不到这条隐藏记录，或不在您的管辖范围内。")
    audit.record(hidden, ChangeAction.DELETE, audit.snapshot(hidden), None, actor, note="恢复到好人好事墙")
    community_id = hidden.community_id
    hidden.delete()
    _wall_changed(community_id)


# --------------------------------------------------------------------------- consent to show a name


CONSENT_NOTE = "好人好事墙展示姓名"


def _check_consent_scope(person, actor: Actor) -> None:
    """Staff who keep the person's record: volunteer.manage for a volunteer, lovebank.manage for an account
    holder, either for a resident — each in the person's community (a 404 outside it)."""
    from linli.lovebank.models import Account
    from linli.residents.models import Resident
    from linli.volunteers.models import Volunteer

    user = actor.user
    if user is None or user.is_superuser:
        return
    if isinstance(person, Volunteer):
        require_perm(user, "volunteer.manage")
        found = Volunteer.objects.restrict(user, "manage").filter(pk=person.pk).exists()
    elif isinstance(person, Account):
        require_perm(user, "lovebank.manage")
        found = Account.objects.restrict(user, "manage").filter(pk=person.pk).exists()
    else:
        if not (user.has_role_perm("volunteer.manage") or user.has_role_perm("lovebank.manage")):
            require_perm(user, "volunteer.manage")  # raises, in Chinese
        found = Resident.objects.restrict(user).filter(pk=person.pk).exists()
        found = found and manageable_communities(user).filter(pk=person.community_id).exists()
    if not found:
        raise Http404("找不到这个人，或不在您的管辖范围内。")


@transaction.atomic
def set_wall_consent(person, consent: bool, *, actor: Actor):
    """Record whether a person agreed to have their name on the 好人好事墙: one setting per person
    (linli.bigscreen.consent) set from any of their records (a Resident, a Volunteer, a love-bank Account), with
    a change record. Returns the WallConsent row."""
    from linli.bigscreen.consent import person_key
    from linli.bigscreen.models import WallConsent
    from linli.lovebank.models import Account

    if isinstance(person, Account) and not person.is_holder:
        raise ValidationError("系统账户没有姓名可展示。")
    _check_consent_scope(person, actor)
    key = person_key(person)
    row = WallConsent.objects.select_for_update().filter(**key).first()
    if row is None:
        try:
            with transaction.atomic():
                row = WallConsent.objects.create(community_id=person.community_id, consent=bool(consent), **key)
        except IntegrityError:  # two clicks at once: one row, then the update below
            row = WallConsent.objects.select_for_update().get(**key)
        else:
            audit.record(row, ChangeAction.CREATE, None, audit.snapshot(row), actor, note=CONSENT_NOTE)
            _wall_changed(row.community_id)
            return row
    before = audit.snapshot(row)
    row.consent = bool(consent)
    row.save(update_fields=["consent", "updated_at"])
    audit.record(row, ChangeAction.UPDATE, before, audit.snapshot(row), actor, note=CONSENT_NOTE)
    _wall_changed(row.community_id)
    return row


def _wall_changed(community_id: int) -> None:
    """The cached walls of the community and its street are stale (linli.bigscreen.wall): forgotten now and again
    once the change commits (a display that rebuilt the wall in between read the old rows)."""
    from linli.bigscreen.wall import forget_wall

    forget_wall(community_id)
    transaction.on_commit(lambda: forget_wall(community_id))
