"""12345 work orders in the menu, and its export kinds
(linli.core.shell, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.hotline.choices import ExportKind

shell.menu_entry(
    "诉求",
    "hotline:order_list",
    "12345工单",
    order=30,
    visible=lambda user: user.has_role_perm("appeal.add") and user.has_role_perm("appeal.dispatch"),
)

register_export_kinds(ExportKind)
