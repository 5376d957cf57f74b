"""Ledger imports and the export log in the menu, and its export kinds
(linli.core.shell, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kind
from linli.ledgers.choices import ExportKind
from linli.residents.choices import export_filter_values

shell.menu_entry("居民", "ledgers:import_list", "导入台账", order=40, visible=shell.perm("ledger.import"))
shell.menu_entry("管理", "ledgers:export_log", "导出记录", order=20, visible=shell.perm("export.log"))

for kind in ExportKind:
    # The resident list's filters name residents' codes (status "active").
    register_export_kind(
        kind, kind.label, filter_values=export_filter_values if kind == ExportKind.RESIDENTS_XLSX else None
    )
