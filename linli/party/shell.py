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
# -- organisational life part (三会一课, the compliance table, 民主评议) ----------------------------------------
shell.menu_entry("党建", "party:meeting_list", "三会一课", order=20, visible=may_use)
shell.menu_entry("党建", "party:compliance", "三会一课落实情况", order=21, visible=may_use)
shell.menu_entry("党建", "party:appraisal_list", "民主评议党员", order=22, visible=may_use)
# -- end of the organisational life part ----------------------------------------------------------------------
# ---- members part: the 党员 badge on a resident's page (a link for readers of the roster) ----
from linli.party.badges import resident_badge  # noqa: E402

shell.resident_panel("party.member_badge", "party/_member_badge.html", order=5, context=resident_badge)
shell.menu_entry("党建", "party:member_list", "党员名册", order=15, visible=may_use)
# ---- end of members part ----
