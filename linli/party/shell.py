"""党建 in the menu, on the home page, on household and building pages and in the demo (linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.party.access import may_use
from linli.party.choices import ExportKind

shell.menu_group("党建", order=45)
shell.menu_entry("党建", "party:home", "党组织", order=10, visible=may_use)

register_export_kinds(ExportKind)

# ---- structure part: 党组织 and 共建单位/中心户 menu entries, 中心户 on the building page and its diagram ----
from linli.party import structure  # noqa: E402


def _party_role(user) -> bool:
    return user.is_superuser or user.has_role_perm("party.view")


shell.menu_entry("党建", "party:unit_list", "共建单位", order=40, visible=_party_role)
shell.menu_entry("党建", "party:centre_list", "党员中心户", order=45, visible=may_use)
shell.building_panel("party.centres", "party/centre_building_panel.html", order=60, context=structure.building_panel)
shell.household_marks("party.centres", context=structure.building_marks)
# ---- end of structure part ----

# -- platform part: demo step, home block -------------------------------------------------------------------------
from linli.party import demo, home  # noqa: E402

shell.demo_step("party", demo.demo_step, order=90, after=("volunteers", "wishes"))
shell.home_block("party.home", "party/_home_block.html", order=340, context=home.party_home, visible=home.visible)
