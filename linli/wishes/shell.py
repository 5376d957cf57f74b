"""wishes in the shared layer (linli.core): its export kinds (the wish report, API reads)."""

from linli.core.excel.exports import register_export_kinds
from linli.wishes.choices import ExportKind

register_export_kinds(ExportKind)
