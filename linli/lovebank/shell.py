"""The love bank in the menu, on the home page and in the demo, and its export kinds
(linli.core.shell, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.lovebank import demo, home
from linli.lovebank.choices import ExportKind

shell.menu_group("爱心银行", order=50)
shell.menu_entry("爱心银行", "lovebank:account_list", "积分账户", order=10, visible=shell.perm("lovebank.view"))
shell.menu_entry("爱心银行", "lovebank:deed_list", "好人好事", order=20, visible=shell.perm("lovebank.view"))
shell.menu_entry("爱心银行", "lovebank:honour_board", "光荣榜", order=30, visible=shell.perm("lovebank.view"))
shell.menu_entry("爱心银行", "lovebank:rule_list", "积分规则", order=40, visible=shell.perm("lovebank.manage"))
shell.menu_entry(
    "爱心银行",
    "lovebank:my_account",
    "我的积分",
    order=50,
    visible=lambda user: user.has_role_perm("lovebank.view_self") and bool(user.resident_id),
)

shell.self_tile(
    "lovebank.my_points",
    "我的爱心积分",
    order=50,
    context=home.my_points_tile,
    visible=lambda user: bool(user.resident_id) and user.has_role_perm("lovebank.view_self"),
)
shell.home_block(
    "lovebank.pending",
    "lovebank/_home_pending.html",
    order=10,
    section="engagement",
    figures=True,
    context=home.pending,
    visible=shell.perm("lovebank.view"),
)

# Points are awarded for the volunteers' attendances: after their demo.
shell.demo_step("lovebank", demo.demo_step, order=50, after=("volunteers",))

register_export_kinds(ExportKind)
from linli.lovebank import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)
