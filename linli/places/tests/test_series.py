"""Recurring bookings: the rule, the clash report, booking the rest only when the booker agrees."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from linli.core.audit import actor_of
from linli.places.choices import BookerKind
from linli.places.models import Booking, BookingSeries
from linli.places.series import build_rule, create_series, describe_rule, plan_series, rule_dates
from linli.places.tests.booking_helpers import NOW, at, room, single
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def plan(r, actor=SYSTEM, **kwargs):
    fields = dict(
        weekdays=[1],
        first_date=datetime.date(2026, 3, 3),
        until=datetime.date(2026, 6, 30),
        start_time=datetime.time(14),
        end_time=datetime.time(16),
        purpose="书法班",
        expected_attendance=12,
        booker_kind=BookerKind.ORGANISATION,
        booker_name="老年书法班",
        now=NOW,
    )
    fields.update(kwargs)
    return plan_series(r, actor=actor, **fields)


def test_every_tuesday_until_june_is_one_rule_and_one_booking_per_date():
    rule = build_rule([1], until=datetime.date(2026, 6, 30))
    assert rule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T235959"
    dates = rule_dates(rule, datetime.date(2026, 3, 3))
    assert dates[0] == datetime.date(2026, 3, 3) and dates[-1] == datetime.date(2026, 6, 30) and len(dates) == 18
    assert describe_rule(rule) == "每周二"
    assert describe_rule(build_rule(range(5), until=datetime.date(2026, 6, 30))) == "每个工作日（周一至周五）"


def test_a_series_without_clashes_books_every_date_in_one_go(world):
    series = create_series(plan(room(world)), actor=actor_of(world.users["staff"]), skip_clashes=False, now=NOW)
    assert series.bookings.count() == 18 and series.skipped == []
    assert series.rule.startswith("FREQ=WEEKLY;BYDAY=TU")


def test_the_yangge_team_books_every_weekday_morning(world):
    dance = room(world, "舞蹈室", opens_at=datetime.time(7))
    p = plan(dance, weekdays=range(5), until=datetime.date(2026, 3, 16), start_time=datetime.time(8),
             end_time=datetime.time(9, 30), purpose="秧歌队晨练")  # fmt: skip
    series = create_series(p, actor=SYSTEM, skip_clashes=False, now=NOW)
    days = [b.starts_at.astimezone().weekday() for b in series.bookings.order_by("starts_at")]
    assert len(days) == 10 and set(days) == {0, 1, 2, 3, 4}


def test_a_series_that_hits_a_booking_reports_the_dates_and_books_nothing_unless_agreed(world):
    r = room(world, open_days=[0, 1, 2, 3, 4, 5])
    in_the_way = single(r, actor=SYSTEM, start=at(3, 17, 15), end=at(3, 17, 17), name="棋牌队")
    p = plan(r, until=datetime.date(2026, 3, 31))
    assert [o.day for o in p.taken] == [datetime.date(2026, 3, 17)]
    assert p.taken[0].clash == in_the_way
    with pytest.raises(ValidationError) as refused:
        create_series(p, actor=SYSTEM, skip_clashes=False, now=NOW)
    message = refused.value.messages[0]
    assert "2026-03-17" in message and "棋牌队" in message and "预约其余 4 次" in message
    assert not BookingSeries.objects.exists() and Booking.objects.count() == 1

    series = create_series(plan(r, until=datetime.date(2026, 3, 31)), actor=SYSTEM, skip_clashes=True, now=NOW)
    assert series.skipped == ["2026-03-17"]
    assert series.bookings.count() == 4


def test_dates_the_room_is_closed_are_reported_like_clashes(world):
    r = room(world, open_days=[0, 2, 3, 4, 5, 6])  # closed on Tuesdays
    p = plan(r, weekdays=[1, 3], until=datetime.date(2026, 3, 12))
    assert [str(o.day) for o in p.taken] == ["2026-03-03", "2026-03-10"]
    assert "周二不开放" in p.taken[0].why


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"until": datetime.date(2027, 6, 1)}, "最长一年"),
        ({"until": datetime.date(2026, 3, 1)}, "不早于开始日期"),
        ({"first_date": datetime.date(2026, 2, 24)}, "不能早于今天"),
        ({"start_time": datetime.time(20), "end_time": datetime.time(22)}, "开放时间"),
        ({"expected_attendance": 99}, "容纳人数"),
        ({"weekdays": []}, "哪几天"),
    ],
)
def test_it_refuses_a_series_no_date_could_fix(world, changes, words):
    with pytest.raises(ValidationError, match=words):
        plan(room(world), **changes)


def test_a_pending_series_asks_for_approval_once(world):
    from linli.notifications.models import Notification

    hall = room(world, "多功能厅", needs_approval=True, capacity=80)
    series = create_series(
        plan(hall, actor=actor_of(world.users["grid_worker_1"]), until=datetime.date(2026, 3, 24)),
        actor=actor_of(world.users["grid_worker_1"]),
        skip_clashes=False,
        now=NOW,
    )
    assert set(series.bookings.values_list("status", flat=True)) == {"pending"}
    assert Notification.objects.filter(user=world.users["staff"], title__contains="待审核").count() == 1
