"""工作报告 in the menu, on the home page, in the export log and in the demo (linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.workreports import demo, home
from linli.workreports.choices import ExportKind

shell.menu_entry("管理", "workreports:workreport_list", "工作报告", order=6, visible=shell.perm("workreport.view"))
shell.home_block(
    "workreports.latest",
    "workreports/_home_block.html",
    order=96,
    context=home.home_context,
    visible=shell.perm("workreport.view"),
)
# After the dashboards' rollup: the reports read it.
shell.demo_step("workreports", demo.build_reports, order=910, after=("dashboards",))

register_export_kinds(ExportKind)
