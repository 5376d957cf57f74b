"""One rule for every percentage a page shows (linli.core.figures.percent)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.core.figures import percent


@pytest.mark.parametrize(
    "part, whole, digits, shown",
    [
        (1, 8, 0, 13),  # 12.5: half up, as on paper (round() would say 12)
        (3, 8, 0, 38),  # 37.5
        (1, 3, 0, 33),
        (2, 3, 1, 66.7),
        (1, 8, 1, 12.5),
        (1333, 2000, 1, 66.7),  # 66.65: half up, whatever the float 66.65 happens to be
        (0, 7, 0, 0),
        (7, 7, 1, 100.0),
    ],
)
def test_a_share_is_rounded_half_up_to_the_digits_asked(part, whole, digits, shown):
    assert percent(part, whole, digits) == shown


def test_no_whole_is_no_share():
    assert percent(0, 0) is None and percent(3, 0, 1) is None


@given(part=st.integers(0, 10_000), whole=st.integers(1, 10_000), digits=st.integers(0, 3))
def test_it_matches_decimal_half_up(part, whole, digits):
    exact = Decimal(100 * part) / Decimal(whole)
    expected = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    assert Decimal(str(percent(part, whole, digits))) == expected
