"""四点半学校 in the menu (group 场所与服务), on the home page and in the demo, and its export kinds
(linli.core.shell, linli.core.excel.exports)."""

from linli.afterschool import demo, home
from linli.afterschool.choices import ExportKind
from linli.core import shell
from linli.core.excel.exports import register_export_kinds

# The menu asks the role only (no query on every page): the secretary has the school list; a school's own staff,
# whatever their role, reach their school from the home page's 四点半学校 block.
shell.menu_entry(
    "场所与服务", "afterschool:school_list", "四点半学校", order=30, visible=shell.perm("afterschool.view")
)
shell.menu_entry(
    "场所与服务",
    "afterschool:figures",
    "四点半学校统计",
    order=31,
    visible=lambda user: user.has_role_perm("afterschool.figures") and not user.has_role_perm("afterschool.view"),
)
shell.home_block("afterschool.today", "afterschool/_home_today.html", order=345, context=home.today_block,
                 visible=home.visible)  # fmt: skip
shell.demo_step("afterschool", demo.demo_step, order=95, after=("volunteers", "places"))

register_export_kinds(ExportKind)
