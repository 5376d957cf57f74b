"""The holiday table in the menu (linli.core.shell)."""

from linli.core import shell

shell.menu_entry("管理", "workdays:holiday_list", "节假日设置", order=40, visible=shell.perm("holiday.view"))
