"""Account changes: create, edit role and scope, reset password, unlock. All recorded."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from linli.accounts.models import AreaAssignment, User
from linli.accounts.roles import GRANTABLE_ROLES
from linli.accounts.tokens import REASON_DEACTIVATED, REASON_PASSWORD_RESET, revoke_user_tokens
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.querysets import require_perm


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


def _set_password(user: User, password: str) -> None:
    """Apply the password policy (messages on the password field), then hash."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)


def _set_nodes(user: User, nodes) -> None:
    user.assignments.all().delete()
    AreaAssignment.objects.bulk_create(
        AreaAssignment(user=user, **{type(node).__name__.lower(): node}) for node in nodes
    )
    user.__dict__.pop("_assigned", None)


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
    _check_grant(actor, role, nodes)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "这个用户名已经有人使用。"})
    user = User(username=username, role=role, full_name=full_name, phone=phone, resident=resident)
    _set_password(user, password)
    user.full_clean(exclude=["password"])
    user.save()
    _set_nodes(user, nodes)
    audit.record(user, ChangeAction.CREATE, None, audit.snapshot(user), actor)
    return user


@transaction.atomic
def update_user(
    user: User, *, actor: Actor, role: str, full_name: str, phone: str, is_active: bool, nodes, resident=None
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor.user is not None and not actor.user.is_superuser:
        if not User.objects.restrict(actor.user, "manage").filter(pk=user.pk).exists():
            raise PermissionDenied("这个账号不在您的管辖范围内。")
        if user.role not in GRANTABLE_ROLES.get(actor.user.role, ()):
            raise PermissionDenied("您不能修改这个角色的账号。")
    _check_grant(actor, role, nodes)
    before = audit.snapshot(user)
    user.role, user.full_name, user.phone, user.is_active, user.resident = role, full_name, phone, is_active, resident
    user.save()
    _set_nodes(user, nodes)
    if not is_active:
        revoke_user_tokens(user, actor=actor, reason=REASON_DEACTIVATED)
    audit.record(user, ChangeAction.UPDATE, before, audit.snapshot(user), actor)
    return user


@transaction.atomic
def reset_password(user: User, password: str, *, actor: Actor) -> None:
    _set_password(user, password)
    user.save(update_fields=["password"])
    revoke_user_tokens(user, actor=actor, reason=REASON_PASSWORD_RESET)
    unlock(user)
    audit.record(user, ChangeAction.UPDATE, {"密码": "（旧密码）"}, {"密码": "（已重置）"}, actor)


def unlock(user: User) -> None:
    from axes.utils import reset

    reset(username=user.username)
