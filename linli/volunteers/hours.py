"""Service-hours arithmetic, kept pure so that it can be tested without a database."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

#: Hours are kept to the hundredth (0.25 = a quarter of an hour); the certificate shows one decimal.
STEP = Decimal("0.01")


def span_hours(start: datetime.datetime, end: datetime.datetime) -> Decimal:
    """Hours from `start` to `end`, 0 when `end` is not after `start`."""
    seconds = max(0, int((end - start).total_seconds()))
    return (Decimal(seconds) / Decimal(3600)).quantize(STEP, rounding=ROUND_HALF_UP)


def served_hours(
    checked_in: datetime.datetime,
    checked_out: datetime.datetime,
    starts: datetime.datetime,
    ends: datetime.datetime,
) -> Decimal:
    """The part of check-in..check-out that falls inside the activity's time (early arrivals and late
    leavers are not counted beyond it)."""
    return span_hours(max(checked_in, starts), min(checked_out, ends))
