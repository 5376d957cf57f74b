"""Who gets 数据看板 in the menu and on the home page."""

from __future__ import annotations

from linli.dashboards.board import PERM


def has_dashboard(user) -> bool:
    return user.is_superuser or user.has_role_perm(PERM)
