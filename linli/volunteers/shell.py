"""Volunteering in the menu, on the home page and in the demo, and its export kinds
(linli.core.shell, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.residents.home import is_a_resident
from linli.volunteers import demo, home, home_resident
from linli.volunteers.choices import ExportKind

shell.menu_group("志愿", order=40)
shell.menu_entry(
    "志愿", "volunteers:activity_list", "志愿活动", order=10, visible=shell.perm("activity.view", "activity.signup")
)
shell.menu_entry("志愿", "volunteers:my_record", "我的志愿服务", order=20, visible=shell.perm("volunteer.view_self"))
shell.menu_entry("志愿", "volunteers:volunteer_list", "志愿者", order=30, visible=shell.perm("volunteer.view"))
shell.menu_entry("志愿", "volunteers:team_list", "服务队", order=40, visible=shell.perm("volunteer.view"))

shell.home_block(
    "volunteers.leading",
    "volunteers/_home_leading.html",
    order=600,
    context=home.leading,
    visible=shell.perm("activity.signup"),
)
shell.home_block(
    "volunteers.my_service",
    "volunteers/_home_mine.html",
    order=610,
    context=home.my_service,
    visible=shell.perm("activity.signup"),
)
shell.home_block(
    "volunteers.coming",
    "volunteers/_home_coming.html",
    order=30,
    section="engagement",
    context=home.coming,
    visible=shell.perm("activity.view"),
)

shell.demo_step("volunteers", demo.demo_step, order=40)

register_export_kinds(ExportKind)
from linli.volunteers import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)

# The residents' Linli (居民端): 可参加的活动 (a tile and its one-screen list).
shell.self_tile(
    "volunteers.open_activities", "可参加的活动", order=40, context=home_resident.activities_tile, visible=is_a_resident
)
shell.self_block(
    "volunteers.open_activities",
    "volunteers/_self_activities.html",
    order=60,
    context=home_resident.open_activities,
    visible=is_a_resident,
)
