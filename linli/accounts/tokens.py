"""API tokens: issue, revoke one, revoke all of an account's (password reset, deactivation). All recorded.

A token's change is recorded on its user's history (the account page shows it), as the password
reset is, so that a manager sees in one place who issued or revoked which token and why. The record names the
token by its name and its prefix (as the token pages do), never by its key. Views call these services; nothing
else issues or revokes a token.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from linli.accounts.choices import TokenScope
from linli.accounts.models import DEFAULT_TOKEN_DAYS, TOKEN_LIFETIMES, ApiToken, User
from linli.accounts.querysets import check_manageable
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction

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
