"""API tokens: issue, revoke one, revoke all of an account's (password reset, deactivation). All recorded. And the
per-process cache of live tokens with their users that the bearer authentication answers from (`live_token`).

A token's change is recorded on its user's history (the account page shows it), as the password
reset is, so that a manager sees in one place who issued or revoked which token and why. The record names the
token by its name and its prefix (as the token pages do), never by its key. Views call these services; nothing
else issues or revokes a token.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.base import ModelState
from django.utils import timezone

from linli.accounts.choices import TokenScope
from linli.accounts.models import DEFAULT_TOKEN_DAYS, TOKEN_LIFETIMES, ApiToken, User
from linli.accounts.querysets import check_manageable
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.core.versioned import Versioned

#: Reasons written on revoked tokens (shown on the token pages).
REASON_OWNER = "本人作废"
REASON_MANAGER = "管理员作废"
REASON_PASSWORD_RESET = "密码已重置"
REASON_PASSWORD_CHANGED = "密码已修改"
REASON_DEACTIVATED = "账号已停用"

NOT_OWN = "只能为自己的账号生成令牌。"
NOT_MANAGEABLE = "这个账号不在您的管理范围内，不能作废它的令牌。"


def _label(token: ApiToken) -> str:
    return f"API令牌“{token.name}”（{token.prefix}…）"


@transaction.atomic
def issue_token(
    user: User,
    *,
    actor: Actor,
    name: str,
    days: int = DEFAULT_TOKEN_DAYS,
    scope: str = TokenScope.READ,
    personal_data: bool = False,
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the key, which is shown only once and never recorded.

    Only the account's owner issues its tokens (or the system, `actor.user` None): a token acts as its user,
    so a manager who could issue one for an account they manage would hold a key that is that account.
    The account row is locked, so a deactivation or a password reset (which revoke every token with the
    row locked) cannot pass between the check and the new token.
    """
    name = (name or "").strip()[:64]
    if not name:
        raise ValidationError({"name": "请填写令牌名称，例如“数据看板”。"})
    if days not in dict(TOKEN_LIFETIMES):
        raise ValidationError({"days": "请选择有效期：" + "、".join(label for _, label in TOKEN_LIFETIMES) + "。"})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": "请选择“只读”或“读写”。"})
    user = User.objects.select_for_update().get(pk=user.pk)  # the real row (a view passes a lazy request.user)
    if actor.user is not None and actor.user.pk != user.pk:
        raise PermissionDenied(NOT_OWN)
    if not user.is_active:
        raise PermissionDenied("停用的账号不能生成令牌。")
    token, key = ApiToken.issue(user, name, days=days, scope=scope, personal_data=personal_data)
    after = f"{token.get_scope_display()}，有效期至{timezone.localtime(token.expires_at):%Y-%m-%d}" + (
        "，含完整电话和敏感标签" if personal_data else ""
    )
    audit.record(user, ChangeAction.UPDATE, {_label(token): "（无）"}, {_label(token): after}, actor)
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Actor, reason: str) -> bool:
    """Revoke one token, by its own user or by a manager of the account (PermissionDenied otherwise).

    Refused from now on, with `reason`, the time and who kept. False if it already was revoked (nothing is
    recorded twice). The account row is locked before the check (check_manageable), then the token row, in
    the order a password reset or a deactivation locks them.
    """
    owner = User.objects.select_for_update().get(pk=token.user_id)
    me = actor.user
    if me is not None and me.pk != owner.pk:
        try:
            check_manageable(me, owner)
        except PermissionDenied as exc:
            raise PermissionDenied(NOT_MANAGEABLE) from exc
    return _revoke(token, actor=actor, reason=reason)


def _revoke(token: ApiToken, *, actor: Actor, reason: str) -> bool:
    """Revoke with the token row locked; the caller holds the transaction (and the account row)."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked:
        return False
    token.revoked = True
    token.revoked_at = timezone.now()
    token.revoked_reason = reason[:100]
    token.revoked_by = actor.user if getattr(actor.user, "pk", None) else None
    token.save(update_fields=["revoked", "revoked_at", "revoked_reason", "revoked_by"])
    label = _label(token)
    audit.record(token.user, ChangeAction.UPDATE, {label: "有效"}, {label: f"已作废（{reason}）"}, actor)
    return True


def revoke_user_tokens(user: User, *, actor: Actor, reason: str) -> int:
    """Revoke every live token of `user`: called when the password is reset or changed and on deactivation,
    so that a key made by whoever held the account before does not outlive the change. Returns how many."""
    count = 0
    with transaction.atomic():
        for token in ApiToken.objects.filter(user=user, revoked=False).order_by("pk"):
            count += _revoke(token, actor=actor, reason=reason)
    return count


# --- the live tokens, cached per process -------------------------------------------------------------------------

#: key hash → the live token with its user and the user's area assignments, as read from the database. Every request
#: checks the shared version (check_seconds=0; `eager`: read with the request's first version read, e.g. the area
#: tree's, in one cache round trip), so a token revoked, a user deactivated or given another
#: role or area by any process is refused or applied by every process on its next request; max_age bounds a copy
#: where processes share no cache (production requires Redis, linli/ops/production.py).
LIVE = Versioned("accounts.api_tokens", dict, check_seconds=0, max_age=300.0, eager=True)
#: tokens kept per process at most (a dict entry each); past it, tokens are read from the database as before
LIVE_MAX = 1000


def live_token(key_hash: str) -> ApiToken | None:
    """The unrevoked token with this key hash whose user is active (expiry is the caller's), or None.

    A copy of the token with a copy of its user: a request may set attributes on either without the next request of
    the same process seeing them. The user's area assignments are read once with the token (assigned_nodes()).
    Unknown keys are not remembered (a client sending garbage must not fill the memory)."""
    table = LIVE.get()
    found = table.get(key_hash)
    if found is None:
        # key_hash is unique: [:1] rather than first(), whose ORDER BY id only costs compilation on every request.
        rows = ApiToken.objects.select_related("user").filter(key_hash=key_hash, revoked=False, user__is_active=True)
        rows = rows[:1]
        if not rows:
            return None
        found = rows[0]
        found.user.assigned_nodes()
        if len(table) < LIVE_MAX:
            table[key_hash] = found
    token = _copy(found)
    token.user = _copy(found.user)
    return token


def _copy(obj):
    """What copy.copy() makes of a model instance (its own attributes and state, fields cache included; the values
    shared) without going through pickling's __reduce__/__getstate__/__setstate__: ~3 % of an API create's Python."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    state = new._state = ModelState()
    state.__dict__.update(obj._state.__dict__)
    state.fields_cache = dict(obj._state.fields_cache)
    return new


def remember_last_used(key_hash: str, when) -> None:
    """The cached copy's last_used_at, after the database's was written (so the next write is a minute later)."""
    found = LIVE.get().get(key_hash)
    if found is not None:
        found.last_used_at = when


def on_account_changed(sender, instance=None, update_fields=None, **kwargs) -> None:
    """post_save/post_delete of ApiToken, User and AreaAssignment: every process drops its cached tokens. A login
    (which saves only last_login) changes nothing a token acts on and is left out."""
    if sender is User and update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    LIVE.bump()
