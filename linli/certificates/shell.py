"""社区证明 in the menu, on the resident's page, in the export log and in the demo (linli.core.shell)."""

from linli.certificates import demo, panels
from linli.certificates.choices import ExportKind
from linli.core import shell
from linli.core.excel.exports import register_export_kinds

shell.menu_entry(
    "场所与服务", "certificates:certificate_list", "社区证明", order=40, visible=shell.perm("certificate.view")
)
shell.resident_panel(
    "certificates.issued",
    "certificates/_resident_panel.html",
    order=80,
    context=panels.resident_certificates,
    visible=shell.perm("certificate.view"),
)
shell.demo_step("certificates", demo.demo_step, order=95, reset=demo.forget_orphan_pdfs)

register_export_kinds(ExportKind)
