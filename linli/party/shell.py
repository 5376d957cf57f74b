"""党建 in the menu, on the home page, on resident, household and building pages and in the demo (linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.party import demo, home, panels_pairing, structure
from linli.party.access import may_use
from linli.party.badges import resident_badge
from linli.party.choices import ExportKind


def _party_role(user) -> bool:
    """Pages for the party-work roles only (共建单位: a branch secretary does not keep them)."""
    return user.is_superuser or user.has_role_perm("party.view")


shell.menu_group("党建", order=45)
shell.menu_entry("党建", "party:home", "党组织", order=10, visible=may_use)
shell.menu_entry("党建", "party:member_list", "党员名册", order=15, visible=may_use)
shell.menu_entry("党建", "party:meeting_list", "三会一课", order=20, visible=may_use)
shell.menu_entry("党建", "party:compliance", "三会一课落实情况", order=21, visible=may_use)
shell.menu_entry("党建", "party:appraisal_list", "民主评议党员", order=22, visible=may_use)
shell.menu_entry("党建", "party:pairing_list", "结对帮扶", order=30, visible=may_use)
shell.menu_entry("党建", "party:service_summary", "党员服务汇总", order=35, visible=may_use)
shell.menu_entry("党建", "party:unit_list", "共建单位", order=40, visible=_party_role)
shell.menu_entry("党建", "party:centre_list", "党员中心户", order=45, visible=may_use)

shell.home_block("party.home", "party/_home_block.html", order=340, context=home.party_home, visible=home.visible)
# A member's own pairings with a one-tap 记一笔: on the home page (staff, volunteer accounts) and on 我的 (residents).
shell.home_block("party.my_pairings", "party/_self_pairings.html", order=640, context=panels_pairing.my_pairings)
shell.self_block("party.my_pairings", "party/_self_pairings.html", order=40, context=panels_pairing.my_pairings)

# A bare 党员 tag for other staff, a link to the member page for readers of the roster.
shell.resident_panel("party.member_badge", "party/_member_badge.html", order=5, context=resident_badge)
# 结对帮扶 on the household page (the member's name and the last notes) and a pointer to it on the resident's page.
shell.household_panel(
    "party.pairings", "party/_household_panel.html", order=40, context=panels_pairing.household_pairings
)
shell.resident_panel(
    "party.pairings", "party/_household_panel_resident.html", order=70, context=panels_pairing.resident_pairings
)
# 党员中心户 on the building page: a panel, and badges on the diagram's rooms (党 the centre, 联 those it covers).
shell.building_panel("party.centres", "party/centre_building_panel.html", order=60, context=structure.building_panel)
shell.household_marks("party.centres", context=structure.building_marks)

shell.demo_step("party", demo.demo_step, order=90, after=("volunteers", "wishes"))

register_export_kinds(ExportKind)

from linli.party import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)
