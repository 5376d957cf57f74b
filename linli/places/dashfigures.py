"""Room use on the dashboards (linli.core.shell.dashboard_figure), per community, as 使用统计 (linli.places.usage):
the confirmed bookings by the day they start, and their hours."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DurationField, ExpressionWrapper, F, Sum

from linli.core import shell
from linli.core.figures import Counted, day_bounds, list_link
from linli.places.choices import BookingStatus
from linli.places.models import Booking

NO_GRID = {"grid": None}
LENGTH = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def _confirmed(start, end):
    low, high = day_bounds(start, end)
    return Booking.objects.filter(status=BookingStatus.CONFIRMED, starts_at__gte=low, starts_at__lt=high)


#: The confirmed bookings by the day they start: their number and their hours (one grouped query on a dashboard).
CONFIRMED = Counted(_confirmed, day="starts_at", paths=NO_GRID)
bookings = CONFIRMED.part()
hours = CONFIRMED.part(
    value=lambda where: Sum(LENGTH, filter=where), convert=lambda length: Decimal(length.total_seconds()) / 3600
)


def booking_list(node, start, end):
    community = node.id if node.level == "community" else None
    return list_link(
        "places:booking_list", status=BookingStatus.CONFIRMED, community=community, date_from=start, date_to=end
    )


shell.dashboard_family("places", "场地使用", order=110, visible=shell.perm("booking.view"))
shell.dashboard_figure(
    "places.bookings",
    family="places",
    label="预约使用",
    unit="次",
    kind=shell.FLOW,
    compute=bookings,
    link=booking_list,
    grids=False,
    order=10,
)
shell.dashboard_figure(
    "places.hours",
    family="places",
    label="使用时长",
    unit="小时",
    kind=shell.FLOW,
    compute=hours,
    link=booking_list,  # the same bookings the hours add up (使用统计 counts the month's bookings still to come)
    grids=False,
    order=20,
)
