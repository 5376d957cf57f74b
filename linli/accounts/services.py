"""Account changes: create, edit role and scope, reset or change a password, deactivate, unlock. All recorded.

Who may act on which account is decided in one place: `User.objects.manageable_by(user)` (the rule) and
`check_manageable(actor_user, target)` (linli.accounts.querysets, beside the rule: the check every service below
and the token services make inside their transaction, on the row they have locked). Views and the API call these
services; nothing else changes an account.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from linli.accounts import tokens
from linli.accounts.models import AreaAssignment, User
from linli.accounts.querysets import check_manageable
from linli.accounts.roles import GRANTABLE_ROLES
from linli.accounts.tokens import (
    REASON_DEACTIVATED,
    REASON_PASSWORD_CHANGED,
    REASON_PASSWORD_RESET,
    revoke_user_tokens,
)
from linli.core import audit, pagecache
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.phone import PhoneError, normalize_phone
from linli.core.querysets import require_perm


def _locked_target(user: User, actor: Actor) -> User:
    target = User.objects.select_for_update().get(pk=user.pk)
    check_manageable(actor.user, target)
    return target


def _check_grant(actor: Actor, role: str, nodes) -> None:
    """A manager grants only roles they may give, and only nodes inside their own scope."""
    user = actor.user
    if user is None or user.is_superuser:
        return
    require_perm(user, "user.manage")
    if role not in GRANTABLE_ROLES.get(user.role, ()):
        raise ValidationError({"role": "您不能授予这个角色。"})
    for node in nodes:
        if not type(node).objects.restrict(user, "manage").filter(pk=node.pk).exists():
            raise ValidationError({"nodes": f"“{node}”不在您的管辖范围内，不能分配。"})


def _set_password(user: User, password: str, field: str = "password") -> None:
    """Apply the password policy (messages on the password field), then hash."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    user.set_password(password)


def _area_of(level: str, node) -> tuple:
    """(street, community) that contains one area node (a street has no community)."""
    if level == "street":
        return node, None
    community = node if level == "community" else node.community
    return community.street, community


def _owner(nodes, actor: Actor, current: tuple) -> tuple:
    """The (street, community) that owns an account: the one community all its nodes lie in, else their street;
    with no nodes, the owner it had, else the creating manager's own area (their first assignment).

    An account whose nodes are all taken away thus stays with the area it served, where the manager who took
    them (whose scope held them all) still sees it; a new handler or volunteer stays with the office that made it.
    """
    areas = {_area_of(type(node).__name__.lower(), node) for node in nodes}
    if areas:
        communities = {community for _, community in areas}
        streets = {street for street, _ in areas}
        if len(communities) == 1 and None not in communities:
            return next(iter(areas))
        return (next(iter(streets)), None) if len(streets) == 1 else (None, None)
    if current != (None, None):
        return current
    user = actor.user
    if user is None or not getattr(user, "pk", None) or user.is_superuser:
        return None, None
    assignment = user.assignments.select_related("street", "community__street", "grid__community__street").first()
    if assignment is None:
        return None, None
    return _area_of(assignment.level, assignment.node)


def _clean_phone(phone: str) -> str:
    """A mainland mobile (1[3-9] and 9 digits) or a landline with its area code, stored in canonical form."""
    try:
        return normalize_phone(phone or "")
    except PhoneError as exc:
        raise ValidationError({"phone": f"{exc}（手机号如 13812345678，座机如 027-87654321）。"}) from exc


def _set_owner(user: User, nodes, actor: Actor) -> None:
    user.owner_street, user.owner_community = _owner(nodes, actor, (user.owner_street, user.owner_community))


def _set_nodes(user: User, nodes) -> None:
    user.assignments.all().delete()
    AreaAssignment.objects.bulk_create(
        AreaAssignment(user=user, **{type(node).__name__.lower(): node}) for node in nodes
    )
    pagecache.bump(pagecache.user_group(user.pk))  # bulk_create sends no signal
    user.__dict__.pop("_assigned", None)
    tokens.LIVE.bump()  # bulk_create sends no post_save: the cached tokens' users would keep the old areas


@transaction.atomic
def create_user(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    phone: str = "",
    nodes=(),
    resident=None,
) -> User:
    """A new account. Its password was chosen by an administrator, so it must be changed at first login."""
    _check_grant(actor, role, nodes)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "这个用户名已经有人使用。"})
    phone = _clean_phone(phone)
    user = User(username=username, role=role, full_name=full_name, phone=phone, resident=resident)
    _set_owner(user, nodes, actor)
    _set_password(user, password)
    user.must_change_password = actor.user is not None
    user.full_clean(exclude=["password"])
    user.save()
    _set_nodes(user, nodes)
    audit.record(user, ChangeAction.CREATE, None, audit.snapshot(user), actor)
    return user


@transaction.atomic
def update_user(
    user: User, *, actor: Actor, role: str, full_name: str, phone: str, is_active: bool, nodes, resident=None
) -> User:
    """Edit an account the actor may manage; refused whole (nothing saved) for any other account."""
    user = _locked_target(user, actor)
    _check_grant(actor, role, nodes)
    before = audit.snapshot(user)
    phone = _clean_phone(phone)
    user.role, user.full_name, user.phone, user.is_active, user.resident = role, full_name, phone, is_active, resident
    _set_owner(user, nodes, actor)
    user.save()
    _set_nodes(user, nodes)
    if not is_active:
        revoke_user_tokens(user, actor=actor, reason=REASON_DEACTIVATED)
    audit.record(user, ChangeAction.UPDATE, before, audit.snapshot(user), actor)
    return user


@transaction.atomic
def deactivate_user(user: User, *, actor: Actor) -> User:
    """停用: the account can no longer log in (its sessions end at their next request)."""
    user = _locked_target(user, actor)
    if actor.user is not None and actor.user.pk == user.pk:
        raise ValidationError("不能停用自己的账号。")
    before = audit.snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoke_user_tokens(user, actor=actor, reason=REASON_DEACTIVATED)
    audit.record(user, ChangeAction.UPDATE, before, audit.snapshot(user), actor)
    return user


@transaction.atomic
def reset_password(user: User, password: str, *, actor: Actor) -> None:
    """An administrator sets a password: lifts a lockout, and the owner must change it at next login."""
    user = _locked_target(user, actor)
    _set_password(user, password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    revoke_user_tokens(user, actor=actor, reason=REASON_PASSWORD_RESET)
    unlock(user)
    audit.record(user, ChangeAction.UPDATE, {"密码": "（旧密码）"}, {"密码": "（已重置，须本人修改）"}, actor)


@transaction.atomic
def change_own_password(user: User, *, old_password: str, new_password: str, actor: Actor) -> User:
    """The owner changes their password (old one required); clears the must-change flag. No password is logged."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ValidationError({"old_password": "原密码不正确。"})
    if old_password == new_password:
        raise ValidationError({"new_password1": "新密码不能与原密码相同。"})
    _set_password(user, new_password, field="new_password1")
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    revoke_user_tokens(user, actor=actor, reason=REASON_PASSWORD_CHANGED)
    audit.record(user, ChangeAction.UPDATE, {"密码": "（旧密码）"}, {"密码": "（本人已修改）"}, actor)
    return user


@transaction.atomic
def unlock_user(user: User, *, actor: Actor) -> None:
    """An administrator lifts the login lockout of an account they may manage (the password stays)."""
    from linli.accounts.twofactor import lift_lock

    user = _locked_target(user, actor)
    unlock(user)
    lift_lock(user)  # the second step's own lock too (linli.accounts.twofactor)
    audit.record(user, ChangeAction.UPDATE, {"登录锁定": "已锁定"}, {"登录锁定": "管理员解除"}, actor)


def unlock(user: User) -> None:
    """Lift a login lockout of this username (every address). Callers check who may do it."""
    from axes.utils import reset

    reset(username=user.username)
