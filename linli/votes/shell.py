"""表决 in the menu (民事民议), on the matter page, the public board, the residents' pages, the demo and the
export log (linli.core.shell, linli.deliberation.panels, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.deliberation import panels as matter_panels
from linli.votes import demo, panels
from linli.votes.choices import ExportKind

shell.menu_group("民事民议", order=45)
shell.menu_entry("民事民议", "votes:vote_list", "表决", order=30, visible=shell.perm("vote.view"))

matter_panels.matter_panel("votes", "votes/_matter_panel.html", order=40, context=panels.matter_votes)
matter_panels.public_section("votes", "votes/_public_section.html", order=40, context=panels.public_turnout)
shell.self_block(
    "votes.pending",
    "votes/_self_block.html",
    order=20,
    context=panels.my_open_votes,
    visible=shell.perm("vote.cast_self"),
)
shell.self_tile(
    "votes.pending", "待我家投票", order=60, context=panels.my_votes_tile, visible=shell.perm("vote.cast_self")
)
shell.resident_panel(
    "votes.household",
    "votes/_resident_panel.html",
    order=60,
    context=panels.household_votes,
    visible=shell.perm("vote.view"),
)

# After the deliberation step (order 70s) when it exists; the lift matter is get_or_create-d either way.
shell.demo_step("votes", demo.demo_step, order=85)

register_export_kinds(ExportKind)

from linli.votes import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)
