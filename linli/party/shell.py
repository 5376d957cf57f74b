"""党建 in the menu, on the home page, on household and building pages and in the demo (linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.party.access import may_use
from linli.party.choices import ExportKind

shell.menu_group("党建", order=45)
shell.menu_entry("党建", "party:home", "党组织", order=10, visible=may_use)

register_export_kinds(ExportKind)

# -- organisational life part (三会一课, the compliance table, 民主评议) ----------------------------------------
shell.menu_entry("党建", "party:meeting_list", "三会一课", order=40, visible=may_use)
shell.menu_entry("党建", "party:compliance", "三会一课落实情况", order=41, visible=may_use)
shell.menu_entry("党建", "party:appraisal_list", "民主评议党员", order=42, visible=may_use)
# -- end of the organisational life part ----------------------------------------------------------------------
