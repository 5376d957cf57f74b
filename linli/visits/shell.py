"""visits in the shared layer (linli.core): its export kinds (走访台账, 民情日记, 走访统计 in Excel and in print)."""

from linli.core.excel.exports import register_export_kinds
from linli.visits.choices import ExportKind

register_export_kinds(ExportKind)
