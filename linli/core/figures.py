"""Figures shown to people: one rule for a percentage, so two pages never show the same share differently."""

from __future__ import annotations

from fractions import Fraction


def percent(part: int, whole: int, digits: int = 0) -> int | float | None:
    """`part` of `whole` as a percentage, rounded half up to `digits` decimals (12.5 → 13, 66.65 → 66.7): the way
    people round on paper. Computed exactly, so no float error decides a half. None when `whole` is 0 (no share
    to show: a page prints "—", not "0%"). An int when `digits` is 0, else a float."""
    if not whole:
        return None
    scale = 10**digits
    value = Fraction(100 * part * scale, whole)
    rounded = int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))
    return rounded if digits == 0 else rounded / scale
