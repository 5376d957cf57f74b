"""通知公告 in the menu, on the home page, on a resident's own page, on a notice's page (the channels' sending
progress), and its export kind (linli.core.shell, linli.notices.panels, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kind
from linli.notices import home, panels
from linli.notices.choices import ExportKind

shell.menu_group("通知", order=42)
shell.menu_entry("通知", "notices:notice_list", "通知公告", order=10, visible=shell.perm("notice.view"))
shell.menu_entry("通知", "notices:saved_audience_list", "常用名单", order=20, visible=shell.perm("notice.add"))

shell.home_block(
    "notices.latest",
    "notices/_home_notices.html",
    order=120,
    context=home.staff_block,
    visible=shell.perm("notice.view"),
)
shell.self_block(
    "notices.mine",
    "notices/_self_notices.html",
    order=10,
    context=home.self_block,
    visible=shell.perm("notice.read_self"),
)

# The residents' Linli (居民端): 我楼的通知 (its tile opens the block above alone); what a family helper reads.
shell.self_tile("notices.mine", "我楼的通知", order=30, context=home.self_tile, visible=shell.perm("notice.read_self"))
shell.family_block("notices.elder", "notices/_elder_notices.html", order=10, context=home.elder_block)
# The channels' sending progress (linli.channels.panels) on the notice's page.
panels.notice_panel(
    "channels.dispatch",
    "channels/_dispatch_panel.html",
    order=20,
    context=home.dispatch_context,
    visible=shell.perm("channel.view"),
)

# Only the audience list: the confirmations export is registered by the confirmations' module.
register_export_kind(ExportKind.AUDIENCE, ExportKind.AUDIENCE.label)

# Confirmations (the worklist part, the notices demo step) and the print and public pages register from their own
# modules.
from linli.notices import (  # noqa: E402, F401
    dashfigures,  # noqa: E402,F401  (its dashboard figures register on import)
    shell_confirm,
    shell_public,
)
