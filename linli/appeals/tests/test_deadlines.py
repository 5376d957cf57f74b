"""Appeal deadlines in working days: Spring Festival, National Day, makeup workdays and the year boundary."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from linli.appeals import services
from linli.appeals.choices import Outcome, Urgency
from linli.appeals.tests.conftest import new_appeal
from linli.workdays.models import HolidayOverride

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def end_of(y, m, d):
    return datetime.datetime(y, m, d, 23, 59, 59, tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch):
    """Set the services' clock: clock.now = <aware datetime>."""

    class Clock:
        now = at(2026, 11, 2)

    c = Clock()
    monkeypatch.setattr(services, "_now", lambda: c.now)
    return c


def dispatched(aw, clock, when, *, urgency=Urgency.NORMAL, category="corridor_light"):
    clock.now = when
    appeal = new_appeal(aw, category=category, urgency=urgency, received_at=when)
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    appeal.refresh_from_db()
    return appeal


def test_spring_festival_2026_counts_the_makeup_saturdays_and_skips_the_holiday(aw, clock):
    # Friday 13 Feb; Sat 14 Feb is a makeup workday; 15-23 Feb off; Sat 28 Feb a makeup workday.
    appeal = dispatched(aw, clock, at(2026, 2, 13, 16, 30))
    assert appeal.sign_due == end_of(2026, 2, 14)
    assert appeal.resolve_due == end_of(2026, 3, 2)
    assert appeal.due_warning == ""


def test_national_day_2026_pushes_a_seven_day_deadline_past_the_holiday(aw, clock):
    # Wednesday 30 Sep; 1-7 Oct off; Sat 10 Oct a makeup workday.
    appeal = dispatched(aw, clock, at(2026, 9, 30))
    assert appeal.sign_due == end_of(2026, 10, 8)
    assert appeal.resolve_due == end_of(2026, 10, 15)


def test_a_deadline_set_on_20_december_runs_into_the_next_year_with_a_warning(aw, clock):
    # Sunday 20 Dec 2026; 15 working days reach January 2027, a year chinese-calendar 1.11 does not know.
    appeal = dispatched(aw, clock, at(2026, 12, 20), urgency=Urgency.COMPLEX)
    assert appeal.sign_due == end_of(2026, 12, 21)
    # 21-25, 28-31 Dec (9 days), then Mon-Fri in 2027: 1, 4, 5, 6, 7, 8 Jan.
    assert appeal.resolve_due == end_of(2027, 1, 8)
    assert "2027年的法定节假日尚未收录" in appeal.due_warning


def test_an_administrators_holiday_entry_for_the_unknown_year_is_honoured(aw, clock):
    HolidayOverride.objects.create(date=datetime.date(2027, 1, 1), is_workday=False, name="元旦")
    appeal = dispatched(aw, clock, at(2026, 12, 20), urgency=Urgency.COMPLEX)
    assert appeal.resolve_due == end_of(2027, 1, 11)
    assert appeal.due_warning == ""


def test_urgent_and_expedited_run_in_calendar_hours_through_holidays(aw, clock):
    urgent = dispatched(aw, clock, at(2026, 10, 1, 22, 0), urgency=Urgency.URGENT)
    assert urgent.resolve_due == at(2026, 10, 2, 0, 0)
    assert urgent.sign_due == urgent.resolve_due  # signed for no later than it must be resolved
    expedited = dispatched(aw, clock, at(2026, 10, 1, 22, 0), urgency=Urgency.EXPEDITED)
    assert expedited.resolve_due == at(2026, 10, 2, 22, 0)


def test_late_flags_and_the_reply_deadline_follow_the_clock(aw, clock):
    appeal = dispatched(aw, clock, at(2026, 11, 2, 9, 0))  # Monday: sign by Tue 3 Nov, resolve by Wed 11 Nov
    clock.now = at(2026, 11, 4, 9, 0)
    services.sign(appeal, actor=aw.actor("dept_handler"))
    clock.now = at(2026, 11, 11, 18, 0)
    services.resolve(appeal, actor=aw.actor("dept_handler"), outcome=Outcome.SOLVED, resolution="已修复")
    appeal.refresh_from_db()
    assert (appeal.signed_late, appeal.resolved_late) == (True, False)
    assert appeal.reply_due == end_of(2026, 11, 13) == appeal.current_due
    clock.now = at(2026, 11, 16, 9, 0)
    services.reply(appeal, actor=aw.actor("staff"), text="已修好", method="phone", rating="satisfied")
    appeal.refresh_from_db()
    assert appeal.replied_late is True and appeal.current_due is None


def test_an_approved_extension_counts_working_days_from_the_old_deadline(aw, clock):
    appeal = dispatched(aw, clock, at(2026, 9, 28))  # Monday
    assert appeal.resolve_due == end_of(2026, 10, 13)  # 29, 30 Sep; 1-7 Oct off; 8, 9, 10 (makeup Sat), 12, 13 Oct
    services.sign(appeal, actor=aw.actor("dept_handler"))
    ext = services.request_extension(appeal, actor=aw.actor("dept_handler"), workdays=2, reason="等配件")
    services.decide_extension(ext, actor=aw.actor("secretary"), approve=True)
    appeal.refresh_from_db()
    assert appeal.resolve_due == end_of(2026, 10, 15)


def test_the_overdue_sweep_tells_the_handler_and_secretary_once_per_deadline(aw, clock):
    from linli.notifications.models import Notification

    appeal = dispatched(aw, clock, at(2026, 11, 2, 9, 0))
    clock.now = at(2026, 11, 4, 9, 0)
    assert services.flag_overdue(now=clock.now) == 1
    assert services.flag_overdue(now=clock.now) == 0
    titles = set(Notification.objects.filter(kind="appeal_overdue").values_list("user__username", "title").distinct())
    assert ("dept_handler", f"超期未签收：{appeal.number} {appeal.summary}") in titles
    assert ("secretary", f"超期未签收：{appeal.number} {appeal.summary}") in titles
    assert appeal.events.filter(action="overdue").count() == 1


def test_a_sources_own_deadline_caps_every_round_and_an_extension(aw, clock):
    """12345's 办理时限 (external_due): dispatch, an approved extension and a reopen never run past it."""
    clock.now = at(2026, 11, 2, 9, 0)  # Monday; 一般 = 7 working days would be 11 Nov
    cap = at(2026, 11, 5, 12, 0)
    appeal = new_appeal(aw, channel="hotline", received_at=clock.now, external_due=cap)
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    appeal.refresh_from_db()
    assert appeal.resolve_due == cap and appeal.sign_due == end_of(2026, 11, 3)
    assert "办结时限不能晚于12345转办的办理时限，定为2026-11-05 12:00" in appeal.events.get(action="dispatched").note

    services.sign(appeal, actor=aw.actor("dept_handler"))
    ext = services.request_extension(appeal, actor=aw.actor("dept_handler"), workdays=3, reason="等配件")
    services.decide_extension(ext, actor=aw.actor("secretary"), approve=True)
    appeal.refresh_from_db()
    assert appeal.resolve_due == cap and appeal.current_due == cap
    assert "更长的时间须向来源申请" in appeal.events.get(action="ext_approved").note


def test_a_cap_already_past_makes_the_dispatched_appeal_overdue_at_once(aw, clock):
    clock.now = at(2026, 11, 2, 9, 0)
    cap = at(2026, 11, 1, 18, 0)
    appeal = new_appeal(aw, channel="hotline", received_at=at(2026, 10, 30, 9, 0), external_due=cap)
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    appeal.refresh_from_db()
    assert appeal.sign_due == appeal.resolve_due == appeal.current_due == cap
    assert services.flag_overdue(now=clock.now) == 1


def test_without_a_source_deadline_nothing_is_capped(aw, clock):
    appeal = dispatched(aw, clock, at(2026, 11, 2, 9, 0))
    assert appeal.resolve_due == end_of(2026, 11, 11)
    assert "办理时限" not in appeal.events.get(action="dispatched").note
