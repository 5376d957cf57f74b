"""volunteers in the shared layer (linli.core): its export kinds (service hours in Excel and by API)."""

from linli.core.excel.exports import register_export_kinds
from linli.volunteers.choices import ExportKind

register_export_kinds(ExportKind)
