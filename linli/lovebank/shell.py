"""lovebank in the shared layer (linli.core): its export kinds (statements, monthly totals, API reads)."""

from linli.core.excel.exports import register_export_kinds
from linli.lovebank.choices import ExportKind

register_export_kinds(ExportKind)
