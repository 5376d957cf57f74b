"""Visits in the menu, the overdue figure on the home page, a resident's visits and diary notes on their page,
a year of visit history in the demo, and its export kinds
(linli.core.shell, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.residents.home import works_in_the_registry
from linli.visits import demo, overdue, panels
from linli.visits.choices import ExportKind

shell.menu_group("走访", order=20)
shell.menu_entry("走访", "visits:worklist", "今日走访", order=10, visible=shell.perm("visit.view"))
shell.menu_entry("走访", "visits:diary_list", "民情日记", order=20, visible=shell.perm("diary.view"))
shell.menu_entry("走访", "visits:coverage", "走访统计", order=30, visible=shell.perm("visit.coverage"))
shell.menu_entry("走访", "visits:alert_list", "走访提醒", order=40, visible=shell.perm("visit.alerts"))

shell.home_block(
    "visits.overdue",
    "visits/_home_overdue.html",
    order=110,
    context=overdue.home_context,
    visible=lambda user: works_in_the_registry(user) and user.has_role_perm("visit.coverage"),
)

# On a resident's one-view page: their visits, then the diary notes that mention them.
shell.resident_panel(
    "visits.visits",
    "visits/_resident_visits.html",
    order=10,
    context=panels.resident_visits,
    visible=shell.perm("visit.view"),
)
shell.resident_panel(
    "visits.field_notes",
    "visits/_resident_field_notes.html",
    order=20,
    context=panels.resident_field_notes,
    visible=shell.perm("diary.view"),
)

shell.demo_step("visits", demo.build_demo_visits, order=10)

register_export_kinds(ExportKind)
from linli.visits import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)
