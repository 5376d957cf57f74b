"""大屏 in the menu (管理) and in the demo (linli.core.shell)."""

from linli.bigscreen import demo
from linli.core import shell

shell.menu_entry("管理", "bigscreen:screen_list", "社区大屏", order=6, visible=shell.perm("screen.view"))
shell.menu_entry("管理", "bigscreen:wall", "好人好事墙", order=7, visible=shell.perm("screen.manage"))
shell.demo_step("bigscreen", demo.demo_step, order=910, after=("lovebank", "volunteers", "dashboards"))
