"""What the change log stores for each kind of value: JSON a person can read back."""

import datetime
from decimal import Decimal

from linli.core.audit import _plain


def test_times_dates_and_decimals_are_written_as_people_write_them():
    assert _plain(datetime.time(16, 30)) == "16:30"
    assert _plain(datetime.time(16, 30, 15)) == "16:30:15"
    assert _plain(datetime.date(2026, 12, 6)) == "2026-12-06"
    assert _plain(Decimal("89.50")) == "89.5"
    assert _plain((3, 1, 2)) == [1, 2, 3]
