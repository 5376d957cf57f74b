"""ledgers in the shared layer (linli.core): its export kinds (the resident ledger in Excel and print, the template)."""

from linli.core.excel.exports import register_export_kind
from linli.ledgers.choices import ExportKind
from linli.residents.choices import export_filter_values

for kind in ExportKind:
    # The resident list's filters name residents' codes (status "active").
    register_export_kind(
        kind, kind.label, filter_values=export_filter_values if kind == ExportKind.RESIDENTS_XLSX else None
    )
