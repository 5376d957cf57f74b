"""hotline in the shared layer (linli.core): its export kinds (the reply sheet to the 12345 hotline)."""

from linli.core.excel.exports import register_export_kinds
from linli.hotline.choices import ExportKind

register_export_kinds(ExportKind)
