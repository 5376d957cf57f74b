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
