"""Booking a room: who may book what, opening hours, capacity, approval, use, cancelling and closures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.notifications.models import Notification
from linli.places import services
from linli.places.booking import BookingClash
from linli.places.choices import BookerKind, BookingStatus, CancelScope
from linli.places.models import Booking
from linli.places.tests.booking_helpers import NOW, at, room, single, team_led_by
from linli.testing import SYSTEM
from linli.tracking import sms

pytestmark = pytest.mark.django_db


def test_staff_book_a_room_of_their_community_and_the_change_is_recorded(world):
    r = room(world)
    booking = single(r, actor=actor_of(world.users["staff"]), start=at(3, 3, 14), end=at(3, 3, 16))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.booked_by == world.users["staff"]
    assert ChangeRecord.objects.filter(object_id=booking.pk, action="create").exists()


def test_a_grid_worker_books_the_rooms_of_their_grids_community(world):
    booking = single(room(world), actor=actor_of(world.users["grid_worker_2"]), start=at(3, 3, 9), end=at(3, 3, 10))
    assert booking.pk


def test_staff_of_another_community_may_not_book_it(world):
    with pytest.raises(PermissionDenied):
        single(room(world, community="w1"), actor=actor_of(world.users["staff"]), start=at(3, 3, 9), end=at(3, 3, 10))
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "start, end, field, words",
    [
        (at(3, 3, 7), at(3, 3, 9), "starts_at", "开放时间是 08:30–20:30"),
        (at(3, 3, 20), at(3, 3, 21), "starts_at", "开放时间"),
        (at(2, 28, 9), at(2, 28, 10), "starts_at", "过去"),
        (at(3, 3, 10), at(3, 3, 9), "ends_at", "晚于"),
        (at(3, 8, 9), at(3, 8, 10), "starts_at", "周日不开放"),
    ],
)
def test_it_refuses_outside_the_opening_hours_closed_days_and_the_past(world, start, end, field, words):
    r = room(world, open_days=[0, 1, 2, 3, 4, 5])
    with pytest.raises(ValidationError) as refused:
        single(r, actor=actor_of(world.users["staff"]), start=start, end=end)
    assert words in " ".join(refused.value.message_dict[field])
    assert not Booking.objects.exists()


def test_it_refuses_more_people_than_the_room_holds_and_an_inactive_room(world):
    r = room(world, capacity=12)
    with pytest.raises(ValidationError, match="容纳人数（12人）"):
        single(r, actor=actor_of(world.users["staff"]), start=at(3, 3, 9), end=at(3, 3, 10), expected_attendance=13)
    r.is_active = False
    r.save()
    with pytest.raises(ValidationError, match="已停用"):
        single(r, actor=actor_of(world.users["staff"]), start=at(3, 3, 9), end=at(3, 3, 10))


def test_a_resident_books_as_themself_in_their_own_community_only(world):
    user = world.users["resident"]
    booking = single(
        room(world), actor=actor_of(user), start=at(3, 3, 9), end=at(3, 3, 10), kind=BookerKind.RESIDENT, name="别人"
    )
    assert (booking.resident, booking.booker_name) == (world.residents["chen"], "陈奶奶")
    with pytest.raises(PermissionDenied):
        single(
            room(world, "西一棋牌室", community="w1"),
            actor=actor_of(user),
            start=at(3, 3, 9),
            end=at(3, 3, 10),
            kind=BookerKind.RESIDENT,
        )
    with pytest.raises(ValidationError, match="社区工作人员"):
        single(room(world, "棋牌室"), actor=actor_of(user), start=at(3, 3, 9), end=at(3, 3, 10), kind=BookerKind.STAFF)


def test_a_room_takes_only_the_bookers_it_is_open_to(world):
    r = room(world, bookable_by=[BookerKind.TEAM, BookerKind.STAFF])
    with pytest.raises(ValidationError, match="不对“居民个人”开放预约"):
        single(
            r, actor=actor_of(world.users["resident"]), start=at(3, 3, 9), end=at(3, 3, 10), kind=BookerKind.RESIDENT
        )


def test_a_volunteer_books_for_their_own_team(world):
    user = world.users["volunteer"]
    team = team_led_by(world, user)
    booking = single(room(world), actor=actor_of(user), start=at(3, 3, 9), end=at(3, 3, 10), team=team)
    assert (booking.team, booking.booker_name) == (team, "书法队")
    other = team_led_by(world, world.users["grid_worker_1"], name="合唱团")
    other.memberships.all().delete()
    with pytest.raises(ValidationError, match="不是这个志愿服务队的队员"):
        single(room(world, "棋牌室"), actor=actor_of(user), start=at(3, 3, 9), end=at(3, 3, 10), team=other)


def test_a_room_that_needs_approval_holds_the_slot_pending_until_staff_decide(world):
    hall = room(world, "多功能厅", capacity=80, needs_approval=True)
    user = world.users["resident"]
    pending = single(hall, actor=actor_of(user), start=at(3, 4, 9), end=at(3, 4, 11), kind=BookerKind.RESIDENT)
    assert pending.status == BookingStatus.PENDING
    assert Notification.objects.filter(user=world.users["staff"], title__contains="待审核").exists()
    with pytest.raises(BookingClash):
        single(hall, actor=actor_of(world.users["staff"]), start=at(3, 4, 10), end=at(3, 4, 12))
    services.approve(pending, actor=actor_of(world.users["staff"]))
    pending.refresh_from_db()
    assert pending.status == BookingStatus.CONFIRMED
    assert Notification.objects.filter(user=user, title__contains="已通过审核").count() == 1


def test_staff_who_manage_bookings_confirm_at_once_even_where_approval_is_needed(world):
    hall = room(world, "多功能厅", needs_approval=True)
    assert single(hall, actor=actor_of(world.users["staff"]), start=at(3, 4, 9), end=at(3, 4, 10)).status == "confirmed"
    gw = single(hall, actor=actor_of(world.users["grid_worker_1"]), start=at(3, 4, 10), end=at(3, 4, 11))
    assert gw.status == BookingStatus.PENDING


def test_a_refusal_frees_the_slot_and_tells_the_booker_why(world):
    hall = room(world, "多功能厅", needs_approval=True)
    user = world.users["resident"]
    pending = single(hall, actor=actor_of(user), start=at(3, 4, 9), end=at(3, 4, 11), kind=BookerKind.RESIDENT)
    with pytest.raises(PermissionDenied):
        services.reject(pending, actor=actor_of(world.users["grid_worker_1"]), reason="不行")
    with pytest.raises(ValidationError, match="原因"):
        services.reject(pending, actor=actor_of(world.users["staff"]), reason=" ")
    services.reject(pending, actor=actor_of(world.users["staff"]), reason="当天有区里检查。")
    pending.refresh_from_db()
    assert pending.status == BookingStatus.REJECTED
    assert "当天有区里检查" in Notification.objects.get(user=user, title__contains="未通过").body
    single(hall, actor=actor_of(world.users["staff"]), start=at(3, 4, 9), end=at(3, 4, 11))


def test_attendance_and_no_shows_are_recorded_after_the_start_only(world):
    r = room(world)
    booking = single(r, actor=SYSTEM, start=at(3, 3, 9), end=at(3, 3, 11))
    staff = actor_of(world.users["staff"])
    with pytest.raises(ValidationError, match="开始以后"):
        services.record_use(booking, actor=staff, attendance=8, no_show=False, now=NOW)
    services.record_use(booking, actor=staff, attendance=8, no_show=False, now=at(3, 3, 12))
    booking.refresh_from_db()
    assert (booking.attendance, booking.no_show) == (8, False)
    services.record_use(booking, actor=staff, attendance=None, no_show=True, now=at(3, 3, 12))
    booking.refresh_from_db()
    assert (booking.attendance, booking.no_show) == (0, True)
    with pytest.raises(PermissionDenied):
        services.record_use(booking, actor=actor_of(world.users["grid_worker_1"]), attendance=3, no_show=False)


def test_an_owner_cancels_their_booking_and_staff_are_not_told_of_it(world):
    user = world.users["resident"]
    booking = single(room(world), actor=actor_of(user), start=at(3, 3, 9), end=at(3, 3, 10), kind=BookerKind.RESIDENT)
    with pytest.raises(PermissionDenied):
        services.cancel(booking, actor=actor_of(world.users["volunteer"]), reason="x", now=NOW)
    done = services.cancel(booking, actor=actor_of(user), reason="身体不舒服", now=NOW)
    assert (len(done.bookings), done.told) == (1, 0)
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == (BookingStatus.CANCELLED, "身体不舒服")
    with pytest.raises(ValidationError, match="已取消"):
        services.cancel(booking, actor=actor_of(user), reason="再取消", now=NOW)


def test_staff_cancel_a_booking_and_its_booker_without_an_account_gets_a_text(
    world, settings, django_capture_on_commit_callbacks
):
    settings.LINLI_SMS_BACKEND = "linli.tracking.sms.LocMemBackend"
    sms.outbox.clear()
    booking = single(room(world), actor=SYSTEM, start=at(3, 3, 9), end=at(3, 3, 10), contact_phone="139 1111 2222")
    with django_capture_on_commit_callbacks(execute=True):
        done = services.cancel(booking, actor=actor_of(world.users["staff"]), reason="停电检修。", now=NOW)
    assert done.message == "已取消 1 个预约，已通知 1 人。"
    assert [m.phone for m in sms.outbox] == ["13911112222"]
    assert "书法室" in sms.outbox[0].text and "停电检修" in sms.outbox[0].text
    sms.outbox.clear()


def test_a_series_occurrence_or_the_rest_of_the_series_is_cancelled_and_the_team_leader_told(world):
    from linli.places.series import create_series, plan_series

    leader = world.users["volunteer"]
    team = team_led_by(world, leader)
    r = room(world)
    plan = plan_series(
        r,
        actor=SYSTEM,
        weekdays=[1],
        first_date=datetime.date(2026, 3, 3),
        until=datetime.date(2026, 3, 31),
        start_time=datetime.time(14),
        end_time=datetime.time(16),
        purpose="书法班",
        expected_attendance=12,
        booker_kind=BookerKind.TEAM,
        team=team,
        now=NOW,
    )
    series = create_series(plan, actor=SYSTEM, skip_clashes=False, now=NOW)
    dates = list(series.bookings.order_by("starts_at"))
    assert len(dates) == 5
    staff = actor_of(world.users["staff"])
    one = services.cancel(dates[1], actor=staff, reason="清明前大扫除", now=NOW)
    assert [b.pk for b in one.bookings] == [dates[1].pk] and one.told == 1
    rest = services.cancel(dates[3], actor=staff, reason="书法班停课", scope=CancelScope.REST, now=NOW)
    assert [b.pk for b in rest.bookings] == [dates[3].pk, dates[4].pk]
    assert rest.told == 1
    held = Booking.objects.holding().filter(series=series).order_by("starts_at")
    assert list(held) == [dates[0], dates[2]]
    told = Notification.objects.filter(user=leader).order_by("id")
    assert told.count() == 2 and "等2次" in told.last().title


def test_a_closure_cancels_every_booking_of_the_room_that_day_in_one_step(world):
    r, other = room(world), room(world, "棋牌室")
    chen = world.users["resident"]
    a = single(r, actor=actor_of(chen), start=at(3, 3, 9), end=at(3, 3, 10), kind=BookerKind.RESIDENT)
    b = single(r, actor=SYSTEM, start=at(3, 3, 14), end=at(3, 3, 16), contact_phone="13911112222")
    kept = [
        single(r, actor=SYSTEM, start=at(3, 4, 9), end=at(3, 4, 10)),
        single(other, actor=SYSTEM, start=at(3, 3, 9), end=at(3, 3, 10)),
    ]
    with pytest.raises(PermissionDenied):
        services.close_room_for_day(r, datetime.date(2026, 3, 3), actor=actor_of(chen), reason="维修", now=NOW)
    done = services.close_room_for_day(
        r, datetime.date(2026, 3, 3), actor=actor_of(world.users["staff"]), reason="空调维修", now=NOW
    )
    assert [x.pk for x in done.bookings] == [a.pk, b.pk]
    assert done.told == 2  # 陈奶奶's account, and a text to the phone of the team's booking
    assert Notification.objects.get(user=chen).title.startswith("功能室闭馆")
    assert set(Booking.objects.holding().values_list("pk", flat=True)) == {k.pk for k in kept}
