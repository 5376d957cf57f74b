"""Who gets 数据看板 in the menu and on the home page."""

from __future__ import annotations

from linli.dashboards.board import PERM


def has_dashboard(user) -> bool:
    return user.is_superuser or user.has_role_perm(PERM)


def link_context(user) -> dict:
    """The home line names what the user's dashboard compares: a street its communities, a community its grids, a
    grid nothing below it."""
    from linli.dashboards.board import home_node

    found = home_node(user)
    return {"dashboard_level": found[0] if found else None}
