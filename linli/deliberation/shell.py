"""民事民议 in the menu, on the home page, on a resident's own page, in the demo, and its export kind
(linli.core.shell, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.deliberation import (
    demo,
    home,
    shell_hearings,  # noqa: F401  (meetings, door-to-door asking, table talks)
)
from linli.deliberation.choices import ExportKind

shell.menu_group("民事民议", order=45)
shell.menu_entry("民事民议", "deliberation:matter_list", "议题", order=10, visible=shell.perm("matter.view"))

shell.home_block(
    "deliberation.matters",
    "deliberation/_home_matters.html",
    order=330,
    context=home.staff_block,
    visible=shell.perm("matter.view"),
)
shell.self_block(
    "deliberation.proposals",
    "deliberation/_self_proposals.html",
    order=40,
    context=home.self_block,
    visible=shell.perm("matter.propose"),
)
shell.resident_panel(
    "deliberation.matters",
    "deliberation/_resident_matters.html",
    order=40,
    context=home.resident_panel,
    visible=shell.perm("matter.view"),
)

shell.demo_step("deliberation", demo.demo_step, order=70, reset=demo.forget_orphan_records)

register_export_kinds(ExportKind)

from linli.deliberation import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)
