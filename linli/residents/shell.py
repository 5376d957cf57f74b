"""residents in the shared layer (linli.core): its export kinds (API reads of residents)."""

from linli.core.excel.exports import register_export_kinds
from linli.residents.choices import ExportKind, export_filter_values

register_export_kinds(ExportKind, filter_values=export_filter_values)
