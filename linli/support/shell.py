"""帮扶与共建 in the menu, on the home page, on household and resident pages, on 我的 and in the demo
(linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.support import demo, panels
from linli.support.choices import ExportKind

GROUP = "场所与服务"  # declared by linli/places/shell.py

# -- support (帮扶与共建): menu entries in 场所与服务
shell.menu_entry(GROUP, "support:assistance_list", "帮扶台账", order=60, visible=shell.perm("support.view"))
shell.menu_entry(GROUP, "support:pairing_list", "结对帮扶（志愿者/单位）", order=61, visible=shell.perm("support.view"))
shell.menu_entry(GROUP, "support:organisation_list", "驻区单位名录", order=62, visible=shell.perm("directory.view"))
shell.menu_entry(GROUP, "support:merchant_list", "好商家", order=63, visible=shell.perm("directory.view"))

shell.home_block("support.figures", "support/_home_block.html", order=650, context=panels.home_figures)
# A helper volunteer's own pairings with a one-tap 记一笔: the home page (volunteer accounts) and 我的 (residents).
shell.home_block("support.my_pairings", "support/_self_pairings.html", order=641, context=panels.my_help_pairings)
shell.self_block("support.my_pairings", "support/_self_pairings.html", order=41, context=panels.my_help_pairings)
shell.household_panel("support.household", "support/_household_panel.html", order=41, context=panels.household_support)
shell.resident_panel("support.helper", "support/_resident_panel.html", order=71, context=panels.resident_helper)

shell.demo_step("support", demo.demo_step, order=95, after=("party", "wishes", "volunteers"))

register_export_kinds(ExportKind)
