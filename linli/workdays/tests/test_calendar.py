"""Working days across Spring Festival, National Day, makeup workdays, the year boundary and unknown years."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.core.audit import Actor
from linli.workdays import calendar
from linli.workdays.calendar import add_hours, add_workdays, is_workday, workday_source, workdays_between
from linli.workdays.services import add_override

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
D = dt.date
ADMIN = Actor.cli("test")


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def end_of(y, m, d):
    return dt.datetime(y, m, d, 23, 59, 59, tzinfo=SH)


def test_spring_festival_2025_days_off_and_makeup_workdays():
    for day in range(28, 32):
        assert not is_workday(D(2025, 1, day))
    for day in range(1, 5):
        assert not is_workday(D(2025, 2, day))
    assert is_workday(D(2025, 1, 26))  # Sunday, 调休上班
    assert is_workday(D(2025, 2, 8))  # Saturday, 调休上班
    assert workday_source(D(2025, 1, 26)) == "package"


def test_a_deadline_runs_over_spring_festival_and_counts_the_makeup_saturday():
    # Monday 27 Jan 2025 is the last working day before the break.
    assert add_workdays(at(2025, 1, 27), 1).due == end_of(2025, 2, 5)
    # 5 Feb=1, 6=2, 7=3, Saturday 8 Feb (makeup)=4, Monday 10 Feb=5
    assert add_workdays(at(2025, 1, 27), 5).due == end_of(2025, 2, 10)
    # Friday 24 Jan: Sunday 26 (makeup)=1, Monday 27=2, then the break
    assert add_workdays(at(2025, 1, 24), 2).due == end_of(2025, 1, 27)
    assert add_workdays(at(2025, 1, 24), 3).due == end_of(2025, 2, 5)


def test_arrival_during_the_holiday_counts_from_the_next_working_day():
    assert add_workdays(at(2025, 1, 30, 9), 1).due == end_of(2025, 2, 5)
    assert add_workdays(at(2025, 1, 30, 9), 0).due == end_of(2025, 2, 5)


def test_national_day_2025():
    for day in range(1, 9):
        assert not is_workday(D(2025, 10, day))
    assert is_workday(D(2025, 9, 28)) and is_workday(D(2025, 10, 11))
    # Friday 26 Sep: Sunday 28 (makeup)=1, Monday 29=2, Tuesday 30=3, 9 Oct=4, 10 Oct=5, Saturday 11 (makeup)=6
    assert add_workdays(at(2025, 9, 26), 3).due == end_of(2025, 9, 30)
    assert add_workdays(at(2025, 9, 26), 6).due == end_of(2025, 10, 11)
    assert add_workdays(at(2025, 9, 26), 7).due == end_of(2025, 10, 13)
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 13)) == 4  # 9, 10, 11, 13 Oct


def test_same_working_day_and_day_counting_rules():
    # n=0: the same day when it is a working day
    assert add_workdays(at(2025, 3, 5, 17, 55), 0).due == end_of(2025, 3, 5)
    # the day of arrival is never counted, even at 08:00
    assert add_workdays(at(2025, 3, 5, 8), 1).due == end_of(2025, 3, 6)
    # a naive datetime is read as Shanghai time; an aware one in UTC is converted first
    assert add_workdays(dt.datetime(2025, 3, 5, 10), 1).due == end_of(2025, 3, 6)
    utc_late = dt.datetime(2025, 3, 5, 17, 0, tzinfo=dt.UTC)  # 01:00 on 6 March in Shanghai
    assert add_workdays(utc_late, 1).due == end_of(2025, 3, 7)
    with pytest.raises(ValueError):
        add_workdays(at(2025, 3, 5), -1)


def test_a_deadline_set_on_20_december_2025_runs_into_2026():
    start = at(2025, 12, 20)  # a Saturday
    seven = add_workdays(start, 7)
    assert seven.due == end_of(2025, 12, 30)
    # 31 Dec=8, 1-3 Jan off (元旦), Sunday 4 Jan (makeup)=9, 5-9 Jan=10..14, Monday 12 Jan=15
    fifteen = add_workdays(start, 15)
    assert fifteen.due == end_of(2026, 1, 12)
    # chinesecalendar 1.11 knows 2026: no estimate, no warning
    assert calendar.package_knows(2026)
    assert (seven.estimated, seven.warning, fifteen.estimated, fifteen.warning) == (False, "", False, "")
    # 26 Dec=1, 29=2, 30=3, 31=4, Sunday 4 Jan=5, 5 Jan=6, 6 Jan=7
    assert add_workdays(at(2025, 12, 25), 7).due == end_of(2026, 1, 6)
    assert workdays_between(D(2025, 12, 20), D(2026, 1, 12)) == 15


def test_a_deadline_that_runs_past_the_package_is_estimated_with_a_warning():
    assert not calendar.package_knows(2027)
    start = at(2026, 12, 20)  # Sunday
    deadline = add_workdays(start, 15)
    # Dec 21-25, 28-31 = 9; 1 Jan 2027 is a Friday and counts as a weekday = 10; 4-8 Jan = 15
    assert deadline.due == end_of(2027, 1, 8)
    assert deadline.estimated
    assert deadline.warning == ("2027年的法定节假日尚未收录，截止时间按周一至周五推算，请管理员在“节假日设置”中补充。")
    # the part inside 2026 is exact
    assert add_workdays(start, 9) == calendar.Deadline(due=end_of(2026, 12, 31))


def test_once_administrators_enter_the_year_the_deadline_uses_it_and_the_warning_stops():
    add_override(D(2027, 1, 1), False, "元旦", actor=ADMIN)
    assert workday_source(D(2027, 1, 1)) == "override"
    assert workday_source(D(2027, 1, 4)) == "weekday"
    deadline = add_workdays(at(2026, 12, 20), 15)
    assert deadline.due == end_of(2027, 1, 11)
    assert (deadline.estimated, deadline.warning) == (False, "")


def test_an_unknown_year_falls_back_to_monday_to_friday():
    assert workday_source(D(2031, 3, 3)) == "weekday"
    assert is_workday(D(2031, 3, 7))  # Friday
    assert not is_workday(D(2031, 3, 8))  # Saturday
    deadline = add_workdays(at(2031, 3, 7), 1)
    assert deadline.due == end_of(2031, 3, 10)
    assert deadline.estimated and deadline.warning.startswith("2031年的法定节假日尚未收录")
    assert add_workdays(at(1950, 6, 1), 3).warning.startswith("1950年")


def test_an_override_in_an_unknown_year_is_honoured():
    add_override(D(2031, 3, 10), False, "测试假日", actor=ADMIN)
    add_override(D(2031, 3, 8), True, "调休", actor=ADMIN)
    assert not is_workday(D(2031, 3, 10)) and is_workday(D(2031, 3, 8))
    assert add_workdays(at(2031, 3, 7), 1).due == end_of(2031, 3, 8)
    assert add_workdays(at(2031, 3, 7), 2).due == end_of(2031, 3, 11)


def test_an_override_wins_over_the_package_and_deleting_it_restores_the_package():
    from linli.workdays.services import delete_override

    override = add_override(D(2025, 10, 8), True, "更正", actor=ADMIN)
    assert is_workday(D(2025, 10, 8)) and workday_source(D(2025, 10, 8)) == "override"
    delete_override(override, actor=ADMIN)
    assert not is_workday(D(2025, 10, 8)) and workday_source(D(2025, 10, 8)) == "package"


def test_the_table_is_read_once_not_per_day():
    add_workdays(at(2025, 1, 1), 1)  # warm the cache
    with CaptureQueriesContext(connection) as queries:
        for n in range(0, 200, 10):
            add_workdays(at(2025, 1, 1), n)
        workdays_between(D(2020, 1, 1), D(2030, 1, 1))
    assert len(queries) == 0


def test_hour_deadlines_are_calendar_hours():
    # 紧急 2 hours on a Saturday night of Spring Festival, 急办 24 hours over a weekend
    assert add_hours(at(2025, 2, 1, 23, 30), 2) == calendar.Deadline(due=at(2025, 2, 2, 1, 30))
    assert add_hours(at(2025, 3, 7, 18), 24).due == at(2025, 3, 8, 18)
    assert add_hours(dt.datetime(2025, 3, 7, 18), 24).due == at(2025, 3, 8, 18)


def test_workdays_between_is_signed_and_excludes_the_first_day():
    assert workdays_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
    assert workdays_between(D(2025, 3, 3), D(2025, 3, 4)) == 1
    assert workdays_between(D(2025, 3, 4), D(2025, 3, 3)) == -1
    assert workdays_between(D(2025, 3, 7), D(2025, 3, 10)) == 1  # Friday to Monday


dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))
times = st.times()
no_db_check = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@no_db_check
@given(day=dates, clock=times, n=st.integers(min_value=0, max_value=40))
def test_add_workdays_never_fails_and_lands_on_the_end_of_a_working_day(day, clock, n):
    start = dt.datetime.combine(day, clock, tzinfo=SH)
    deadline = add_workdays(start, n)
    assert is_workday(deadline.due.date())
    assert deadline.due.timetz().replace(tzinfo=None) == dt.time(23, 59, 59)
    assert deadline.due.utcoffset() == dt.datetime.combine(deadline.due.date(), dt.time(12), tzinfo=SH).utcoffset()
    assert deadline.estimated == bool(deadline.warning)
    if n >= 1:
        assert workdays_between(day, deadline.due.date()) == n
    later = add_workdays(start, n + 1).due
    if n >= 1 or is_workday(day):
        assert later > deadline.due
    else:
        assert later == deadline.due  # arrival on a day off: day 1 is the first working day


@no_db_check
@given(a=dates, b=dates)
def test_workdays_between_is_antisymmetric(a, b):
    assert workdays_between(a, b) == -workdays_between(b, a)
    assert abs(workdays_between(a, b)) <= abs((b - a).days)


@no_db_check
@given(a=dates, span=st.integers(min_value=-60, max_value=60))
def test_workdays_between_agrees_with_counting_day_by_day(a, span):
    b = a + dt.timedelta(days=span)
    lo, hi = min(a, b), max(a, b)
    walked = sum(is_workday(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert workdays_between(a, b) == (walked if b >= a else -walked)


def test_workdays_between_agrees_with_counting_day_by_day_around_overrides():
    add_override(D(2031, 1, 1), False, "元旦", actor=ADMIN)
    add_override(D(2031, 1, 4), True, "调休", actor=ADMIN)  # a Saturday
    add_override(D(2025, 10, 8), True, "更正", actor=ADMIN)  # overrides a package holiday
    for a, b in [
        (D(2030, 12, 25), D(2031, 1, 10)),
        (D(2025, 9, 20), D(2025, 10, 20)),
        (D(2025, 1, 1), D(2031, 12, 31)),
    ]:
        walked = sum(is_workday(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))
        assert workdays_between(a, b) == walked
