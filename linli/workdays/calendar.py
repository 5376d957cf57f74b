"""Working days for appeal deadlines: Chinese public holidays, makeup workdays (调休) and a fallback.

Which rule decides a date (``workday_source``), first match wins:

1. ``"override"`` — the administrators' table (``HolidayOverride``, page 节假日设置). It wins over the
   package too, so administrators can fill in a year before the package is upgraded and correct it if
   ever needed.
2. ``"package"`` — chinese-calendar, for the years it ships data for (1.11.0: 2004–2026).
3. ``"weekday"`` — plain Monday to Friday, for years the package does not know. A deadline that counts
   such a day is ``estimated`` and carries a Chinese warning asking administrators to enter that
   year's holidays. Once the table holds at least one day off (放假) for a year, the year counts as
   entered and the warning stops: the State Council publishes a whole year's schedule in one notice,
   so administrators enter it in one sitting.

Deadline semantics (decided; tests in tests/test_calendar.py):

* ``add_workdays(start, n)`` — "within N working days", counted like a period in days under the Civil
  Code (民法典 第二百零一条、第二百零三条): the day of arrival is not counted, counting starts the next
  day, and the period ends at 24:00 of its last day. So the deadline is **23:59:59 (Asia/Shanghai) of
  the Nth working day after the start date**. End of day rather than the same clock time because that
  is how 12345 hotline work orders are assessed (a day's work is judged by day, not by the minute) and
  it does not penalise an appeal that arrives at 17:55. Arrival on a holiday or weekend changes nothing
  in the rule: the first working day after it is day 1.
* ``n = 0`` means "the same working day" (当日办结): 23:59:59 of the start date if that is a working
  day, otherwise of the next working day. So the ``due`` date is always a working day, and
  ``add_workdays`` is non-decreasing in ``n``: strictly increasing from ``n = 1`` on, and also from 0 to
  1 when the start date is a working day (on a holiday, n=0 and n=1 both give the first working day).
* ``add_hours(start, hours)`` — 紧急 (2 hours) and 急办 (24 hours) are **calendar hours**: urgent
  matters (a burst pipe, a stuck lift) do not wait for Monday. Never estimated.
* ``workdays_between(a, b)`` — working days in ``(a, b]`` (``a`` not counted, ``b`` counted), negative
  when ``b`` is before ``a``. It is the inverse of ``add_workdays``: for ``n >= 1``,
  ``workdays_between(start_date, add_workdays(start, n).due.date()) == n``. "超期3个工作日" is
  ``workdays_between(due.date(), today)``.

Nothing here raises for a date in 1900–2200 (only a negative ``n`` is a ValueError). The override table
is loaded once per process (one query), never per day; a version token in Django's cache (linli.core.versioned)
tells other processes to reload when an override is saved or deleted (``versioned.bump_on_change`` in apps.py).
Each process re-reads that token at most every ``VERSION_CHECK_SECONDS``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from chinese_calendar import constants as _cc
from django.db import DatabaseError
from django.utils import timezone

from linli.core.versioned import Versioned

PACKAGE_FIRST_YEAR = min(_cc.holidays).year
PACKAGE_LAST_YEAR = max(_cc.holidays).year
_PKG_HOLIDAYS: dict[dt.date, str] = _cc.holidays
_PKG_WORKDAYS: dict[dt.date, str] = _cc.workdays
_CHINESE_NAMES = {h.value: h.chinese for h in _cc.Holiday}

VERSION_CHECK_SECONDS = 5.0
END_OF_DAY = dt.time(23, 59, 59)

SOURCE_OVERRIDE = "override"
SOURCE_PACKAGE = "package"
SOURCE_WEEKDAY = "weekday"


@dataclass(frozen=True)
class Deadline:
    """When something is due, and whether that relied on the Monday–Friday guess."""

    due: dt.datetime  # aware, in settings.TIME_ZONE
    estimated: bool = False
    warning: str = ""


@dataclass(frozen=True)
class _Table:
    days: dict[dt.date, bool]
    #: years not known to the package for which administrators entered at least one day off
    entered_years: frozenset[int]
    #: every date whose status differs from plain Monday-Friday, sorted, with running totals of
    #: (status - Monday-Friday status): lets workdays_between count decades without walking them
    special_dates: list[dt.date]
    special_totals: list[int]


def _build_table(days: dict[dt.date, bool]) -> _Table:
    entered = frozenset(d.year for d, work in days.items() if not work and not package_knows(d.year))
    table = _Table(days, entered, [], [])
    total = 0
    for d in sorted({*_PKG_HOLIDAYS, *_PKG_WORKDAYS, *days}):
        delta = int(_status(d, table)[0]) - int(d.weekday() < 5)
        if delta:
            total += delta
            table.special_dates.append(d)
            table.special_totals.append(total)
    return table


def _load() -> _Table:
    from linli.workdays.models import HolidayOverride

    return _build_table(dict(HolidayOverride.objects.values_list("date", "is_workday")))


OVERRIDES = Versioned("workdays.overrides", _load, check_seconds=VERSION_CHECK_SECONDS)


def _table() -> _Table:
    try:
        return OVERRIDES.get()
    except DatabaseError:
        # Table missing (before migrate) or database away: fall back to the package, never fail (nothing kept).
        return _build_table({})


# --- single days -----------------------------------------------------------------------------------


def package_knows(year: int) -> bool:
    return PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR


def _status(d: dt.date, table: _Table) -> tuple[bool, str]:
    override = table.days.get(d)
    if override is not None:
        return override, SOURCE_OVERRIDE
    if package_knows(d.year):
        return (d in _PKG_WORKDAYS or (d.weekday() < 5 and d not in _PKG_HOLIDAYS)), SOURCE_PACKAGE
    return d.weekday() < 5, SOURCE_WEEKDAY


def _as_date(d) -> dt.date:
    if isinstance(d, dt.datetime):
        return _localise(d).date()
    return d


def is_workday(d: dt.date) -> bool:
    """Whether people work on ``d`` (a datetime is taken at its Asia/Shanghai date)."""
    return _status(_as_date(d), _table())[0]


def workday_source(d: dt.date) -> str:
    """``"override"``, ``"package"`` or ``"weekday"`` (Monday–Friday because the package lacks the year)."""
    return _status(_as_date(d), _table())[1]


# --- deadlines -------------------------------------------------------------------------------------


def _localise(value: dt.datetime | dt.date) -> dt.datetime:
    """An aware datetime in settings.TIME_ZONE; a naive one is read as Asia/Shanghai wall time."""
    tz = timezone.get_default_timezone()
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0), tzinfo=tz)
    if timezone.is_naive(value):
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def warning_for(years) -> str:
    """The Chinese warning for deadlines that counted Monday–Friday in ``years``; "" for none."""
    years = sorted(set(years))
    if not years:
        return ""
    listed = "、".join(f"{y}年" for y in years)
    return f"{listed}的法定节假日尚未收录，截止时间按周一至周五推算，请管理员在“节假日设置”中补充。"


def add_workdays(start: dt.datetime | dt.date, n: int) -> Deadline:
    """23:59:59 of the ``n``-th working day after ``start``'s date (n=0: the same or next working day)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    table = _table()
    local = _localise(start)
    d = local.date()
    guessed: set[int] = set()

    def workday(day):
        work, source = _status(day, table)
        if source == SOURCE_WEEKDAY and day.year not in table.entered_years:
            guessed.add(day.year)
        return work

    if n == 0:
        while not workday(d):
            d += dt.timedelta(days=1)
    else:
        counted = 0
        while counted < n:
            d += dt.timedelta(days=1)
            if workday(d):
                counted += 1
    due = dt.datetime.combine(d, END_OF_DAY, tzinfo=local.tzinfo)
    return Deadline(due=due, estimated=bool(guessed), warning=warning_for(guessed))


def add_hours(start: dt.datetime, hours: float) -> Deadline:
    """``start`` plus calendar hours (紧急 2 h, 急办 24 h run through nights, weekends and holidays)."""
    local = _localise(start)
    due = (local.astimezone(dt.UTC) + dt.timedelta(hours=hours)).astimezone(local.tzinfo)
    return Deadline(due=due)


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days in ``(a, b]``; negative when ``b`` is before ``a``, 0 when equal."""
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -workdays_between(b, a)
    table = _table()
    corrections = _running_total(table, b) - _running_total(table, a)
    return _weekdays_through(b.toordinal()) - _weekdays_through(a.toordinal()) + corrections


def _weekdays_through(ordinal: int) -> int:
    """Mondays-Fridays among date ordinals 1..ordinal (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _running_total(table: _Table, d: dt.date) -> int:
    i = bisect.bisect_right(table.special_dates, d)
    return table.special_totals[i - 1] if i else 0


# --- reference data for the settings page ----------------------------------------------------------


@dataclass(frozen=True)
class PackageDay:
    date: dt.date
    is_workday: bool
    name: str


def package_days(year: int) -> list[PackageDay]:
    """The package's holidays and makeup workdays in ``year`` (empty if it does not know the year)."""
    days = [PackageDay(d, False, _CHINESE_NAMES.get(n, n)) for d, n in _PKG_HOLIDAYS.items() if d.year == year]
    days += [PackageDay(d, True, _CHINESE_NAMES.get(n, n)) for d, n in _PKG_WORKDAYS.items() if d.year == year]
    return sorted(days, key=lambda p: p.date)
