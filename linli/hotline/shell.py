"""12345 work orders in the menu (linli.core.shell)."""

from linli.core import shell

shell.menu_entry(
    "诉求",
    "hotline:order_list",
    "12345工单",
    order=30,
    visible=lambda user: user.has_role_perm("appeal.add") and user.has_role_perm("appeal.dispatch"),
)
