"""便民服务 in the menu, on the home page, the resident page, a resident's own page and in the demo
(linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.hall import demo, home
from linli.hall.choices import ExportKind
from linli.hall.panels import guide_tile, my_appointments, resident_errands

# The group "场所与服务" is declared by linli/places/shell.py.
shell.menu_entry("场所与服务", "hall:home", "便民服务大厅", order=30, visible=shell.perm("hall.view"))
shell.menu_entry("场所与服务", "hall:matter_list", "办事指南", order=31, visible=shell.perm("hall.view"))
shell.menu_entry("场所与服务", "hall:appointment_list", "预约", order=32, visible=shell.perm("hall.view"))
shell.menu_entry("场所与服务", "hall:errand_list", "代办", order=33, visible=shell.perm("hall.view"))
shell.menu_entry("场所与服务", "hall:my_appointment_add", "预约办事", order=34, visible=shell.perm("hall.book_self"))

shell.home_block("hall.home", "hall/_home_block.html", order=520, context=home.hall_home, visible=home.visible)
shell.resident_panel("hall.errands", "hall/_resident_panel.html", order=80, context=resident_errands)
shell.self_block("hall.my_appointments", "hall/_self_appointments.html", order=50, context=my_appointments)

shell.self_tile("hall.guide", "办事指南", order=80, context=guide_tile, visible=shell.perm("hall.book_self"))
shell.demo_step("hall", demo.demo_step, order=95)

register_export_kinds(ExportKind)
