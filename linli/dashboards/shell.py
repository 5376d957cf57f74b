"""数据看板 in the menu and on the home page, and a year of rollups in the demo (linli.core.shell)."""

from linli.core import shell
from linli.dashboards import demo, home

shell.menu_entry("管理", "dashboards:dashboard_home", "数据看板", order=5, visible=home.has_dashboard)
shell.home_block(
    "dashboards.link", "dashboards/_home_link.html", order=95, context=home.link_context, visible=home.has_dashboard
)
# Last: it counts what every other step built.
shell.demo_step("dashboards", demo.build_rollups, order=900)
