"""Accounts and API tokens in the menu's 管理 group (linli.core.shell)."""

from linli.accounts.roles import API_ROLES
from linli.core import shell

shell.menu_group("管理", order=70)
shell.menu_entry("管理", "accounts:user_list", "账号", order=10, visible=shell.perm("user.manage"))
shell.menu_entry(
    "管理",
    "accounts:token_list",
    "接口令牌",
    order=70,
    visible=lambda user: user.is_superuser or user.role in API_ROLES,
)


def _twofactor_reminder(user):
    """请设置两步验证: for an account that must have it and has none (when it is not enforced at login)."""
    from linli.accounts import twofactor

    return None if twofactor.has_device(user) else {}


def _must_use_twofactor(user) -> bool:
    from linli.accounts import twofactor

    return twofactor.two_factor_required(user)


# 两步验证 (linli.accounts.twofactor): in the menu for the accounts that must use it (others reach it from the
# password page); a reminder on the home page until it is set up.
shell.menu_entry("管理", "accounts:twofactor", "两步验证", order=80, visible=_must_use_twofactor)
shell.home_block("accounts.twofactor", "accounts/_home_twofactor.html", order=5, context=_twofactor_reminder,
                 visible=_must_use_twofactor)  # fmt: skip
