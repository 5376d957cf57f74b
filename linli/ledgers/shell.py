"""Ledger imports and the export log in the menu (linli.core.shell)."""

from linli.core import shell

shell.menu_entry("居民", "ledgers:import_list", "导入台账", order=40, visible=shell.perm("ledger.import"))
shell.menu_entry("管理", "ledgers:export_log", "导出记录", order=20, visible=shell.perm("export.log"))
