"""The registry's menu entries and home blocks, and its export kinds
(linli.core.shell, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.residents import demo, home
from linli.residents.choices import ExportKind, export_filter_values

shell.menu_group("居民", order=10)
shell.menu_entry("居民", "residents:resident_list", "居民", order=10, visible=shell.perm("resident.view"))
shell.menu_entry("居民", "residents:tag_list", "人员标签", order=30, visible=shell.perm("tag.manage"))
shell.menu_entry(
    "居民",
    "residents:my_record",
    "我的信息",
    order=50,
    visible=lambda user: user.has_role_perm("resident.view_self") and bool(user.resident_id),
)
shell.menu_entry("管理", "residents:reveal_list", "查看记录", order=30, visible=shell.perm("export.log"))

shell.home_block(
    "residents.figures",
    "residents/_home_figures.html",
    order=100,
    context=home.figures,
    visible=home.works_in_the_registry,
)
shell.home_block("residents.search", "residents/_home_search.html", order=120, visible=home.works_in_the_registry)

# The residents' Linli (居民端, the home page of a resident): this app's big buttons.
shell.self_tile(
    "residents.grid_worker", "联系网格员", order=90, context=home.grid_worker_tile, visible=home.is_a_resident
)
shell.self_tile("residents.family", "家人帮忙", order=95, context=home.family_tile, visible=home.is_a_resident)
shell.self_tile("residents.my_record", "我的信息", order=99, context=home.my_record_tile, visible=home.is_a_resident)

# Emergency contacts for the care groups, who get their visit interval from the visits step.
shell.demo_step("residents", demo.demo_step, order=20, after=("visits",))

register_export_kinds(ExportKind, filter_values=export_filter_values)
from linli.residents import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)

shell.resident_panel(
    "residents.family",
    "residents/_family_panel.html",
    order=95,
    context=home.family_panel,
    visible=shell.perm("resident.view"),
)
# 家人帮忙 and a grid worker's phone for the residents' home (after the logins and the residents step).
shell.demo_step("residents.home", demo.home_demo_step, order=99, after=("residents",))
# Registration times spread over the year, after every step that writes visits, before the dashboards' rollups.
shell.demo_step("residents.history", demo.history_demo_step, order=880, after=("visits",))
