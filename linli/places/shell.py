"""功能室 in the menu, on the home page and in the demo (linli.core.shell)."""

from linli.core import shell

shell.menu_group("场所与服务", order=50)

# -- booking part (linli/places/views_booking.py): the booking list, the approval queue, 我的预约, the demo step
from linli.core.excel.exports import register_export_kinds  # noqa: E402
from linli.places import demo, home_booking  # noqa: E402
from linli.places.choices import ExportKind  # noqa: E402

shell.menu_entry("场所与服务", "places:booking_list", "功能室预约", order=20, visible=shell.perm("booking.view"))
shell.menu_entry("场所与服务", "places:approval_list", "预约审核", order=21, visible=shell.perm("booking.manage"))
shell.menu_entry("场所与服务", "places:my_bookings", "我的预约", order=22, visible=shell.perm("booking.add_self"))
shell.home_block(
    "places.my_bookings", "places/_self_bookings.html", order=650, context=home_booking.my_block,
    visible=shell.perm("booking.add_self"),
)  # fmt: skip
shell.self_block("places.my_bookings", "places/_self_bookings.html", order=50, context=home_booking.my_block)
shell.home_block(
    "places.approvals", "places/_home_approvals.html", order=655, context=home_booking.approvals_block,
    visible=shell.perm("booking.manage"),
)  # fmt: skip
shell.demo_step("places", demo.demo_step, order=95, after=("volunteers",))
register_export_kinds(ExportKind)
