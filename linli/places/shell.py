"""功能室 in the menu, on the home page, on residents' own pages and in the demo (linli.core.shell).

The group 场所与服务 is declared here; the 四点半学校, 便民服务, 社区证明 and 帮扶与共建 apps put their entries
in it."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.places import demo, home, home_booking
from linli.places.choices import ExportKind

shell.menu_group("场所与服务", order=50)

shell.menu_entry("场所与服务", "places:room_list", "功能室", order=10, visible=shell.perm("room.view"))
shell.menu_entry("场所与服务", "places:day", "今日安排", order=11, visible=shell.perm("room.view"))
shell.menu_entry("场所与服务", "places:usage", "使用统计", order=12, visible=shell.perm("room.view"))
shell.menu_entry("场所与服务", "places:booking_list", "功能室预约", order=20, visible=shell.perm("booking.view"))
shell.menu_entry("场所与服务", "places:approval_list", "预约审核", order=21, visible=shell.perm("booking.manage"))
shell.menu_entry("场所与服务", "places:my_bookings", "我的预约", order=22, visible=shell.perm("booking.add_self"))

shell.home_block("places.today", "places/_home_block.html", order=500, context=home.places_home, visible=home.visible)
# A resident's or volunteer's own bookings: on the home page and on 我的.
shell.home_block(
    "places.my_bookings", "places/_self_bookings.html", order=650, context=home_booking.my_block,
    visible=shell.perm("booking.add_self"),
)  # fmt: skip
shell.self_block("places.my_bookings", "places/_self_bookings.html", order=50, context=home_booking.my_block)

shell.self_tile(
    "places.my_bookings", "场地预约", order=70, context=home_booking.my_tile, visible=shell.perm("booking.add_self")
)
shell.demo_step("places", demo.demo_step, order=95, after=("volunteers",))
register_export_kinds(ExportKind)

from linli.places import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)
