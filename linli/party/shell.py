"""党建 in the menu, on the home page, on household and building pages and in the demo (linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.party.access import may_use
from linli.party.choices import ExportKind

shell.menu_group("党建", order=45)
shell.menu_entry("党建", "party:home", "党组织", order=10, visible=may_use)

register_export_kinds(ExportKind)

# -- pairing part: 结对帮扶, the household page, a member's own pairings, the service summary ----------------------
from linli.party import panels_pairing  # noqa: E402

shell.menu_entry("党建", "party:pairing_list", "结对帮扶", order=40, visible=may_use)
shell.menu_entry("党建", "party:service_summary", "党员服务汇总", order=45, visible=may_use)
shell.household_panel(
    "party.pairings", "party/_household_panel.html", order=40, context=panels_pairing.household_pairings
)
shell.resident_panel(
    "party.pairings", "party/_household_panel_resident.html", order=70, context=panels_pairing.resident_pairings
)
shell.self_block("party.my_pairings", "party/_self_pairings.html", order=40, context=panels_pairing.my_pairings)
shell.home_block("party.my_pairings", "party/_self_pairings.html", order=640, context=panels_pairing.my_pairings)
