"""党建 in the menu, on the home page, on household and building pages and in the demo (linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.party.access import may_use
from linli.party.choices import ExportKind

shell.menu_group("党建", order=45)
shell.menu_entry("党建", "party:home", "党组织", order=10, visible=may_use)

register_export_kinds(ExportKind)

# ---- members part: the 党员 badge on a resident's page (a link for readers of the roster) ----
from linli.party.badges import resident_badge  # noqa: E402

shell.resident_panel("party.member_badge", "party/_member_badge.html", order=5, context=resident_badge)
shell.menu_entry("党建", "party:member_list", "党员名册", order=20, visible=may_use)
# ---- end of members part ----
