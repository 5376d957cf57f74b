"""党建 in the menu, on the home page, on household and building pages and in the demo (linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.party.access import may_use
from linli.party.choices import ExportKind

shell.menu_group("党建", order=45)
shell.menu_entry("党建", "party:home", "党组织", order=10, visible=may_use)

register_export_kinds(ExportKind)

# -- platform part: demo step, home block -------------------------------------------------------------------------
from linli.party import demo, home  # noqa: E402

shell.demo_step("party", demo.demo_step, order=90, after=("volunteers", "wishes"))
shell.home_block("party.home", "party/_home_block.html", order=340, context=home.party_home, visible=home.visible)
