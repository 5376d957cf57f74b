"""功能室 in the menu, on the home page and in the demo (linli.core.shell)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.places import home
from linli.places.choices import ExportKind

shell.menu_group("场所与服务", order=50)

# timetable part: room pages, the day's timetable, usage figures, the home block
shell.menu_entry("场所与服务", "places:room_list", "功能室", order=10, visible=shell.perm("room.view"))
shell.menu_entry("场所与服务", "places:day", "今日安排", order=11, visible=shell.perm("room.view"))
shell.menu_entry("场所与服务", "places:usage", "使用统计", order=12, visible=shell.perm("room.view"))
shell.home_block("places.today", "places/_home_block.html", order=500, context=home.places_home, visible=home.visible)
register_export_kinds(ExportKind)
