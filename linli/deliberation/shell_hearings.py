"""The hearings' parts of the shell: the matter-page panel (deliberation.panels), the export kind of printed
minutes, and the demo step."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.deliberation import demo_hearings, panels
from linli.deliberation.choices_hearings import HearingExportKind
from linli.deliberation.hearings_panel import panel_context

panels.matter_panel("hearings", "deliberation/hearings/_panel.html", order=20, context=panel_context)

register_export_kinds(HearingExportKind)

# After the deliberation step, which creates “3栋加装电梯” (demo_hearings.lift_matter still creates it when missing).
shell.demo_step("deliberation_hearings", demo_hearings.demo_step, order=75, after=("deliberation",))
