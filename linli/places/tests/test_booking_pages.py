"""The booking pages: book once or every week (the clash report and its skip button), cancel, approve, a closure,
the list and its export, 我的预约."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.models import ExportRecord
from linli.places.choices import BookerKind, BookingStatus
from linli.places.models import Booking, BookingSeries
from linli.places.testing import make_booking
from linli.places.tests.booking_helpers import room

pytestmark = pytest.mark.django_db


def next_weekday(weekday: int, weeks_ahead: int = 1) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def form(day, **changes):
    data = {
        "day": day.isoformat(),
        "start": "14:00",
        "end": "16:00",
        "purpose": "书法练习",
        "expected_attendance": "10",
        "booker_kind": BookerKind.ORGANISATION,
        "booker_name": "老年书法班",
        "contact_phone": "",
        "repeat": "once",
    }
    data.update(changes)
    return data


def test_staff_book_a_room_once_and_land_on_the_booking(world, client):
    r = room(world)
    client.force_login(world.users["staff"])
    day = next_weekday(1)
    response = client.post(reverse("places:booking_add", args=[r.pk]), form(day))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("places:booking_detail", args=[booking.pk])
    page = client.get(response["Location"]).content.decode()
    assert "老年书法班" in page and "已确认" in page


def test_a_clash_is_shown_on_the_form_with_the_booking_in_the_way(world, client):
    r = room(world)
    day = next_weekday(2)
    make_booking(r, at(day, 15), at(day, 17), name="棋牌队")
    client.force_login(world.users["staff"])
    response = client.post(reverse("places:booking_add", args=[r.pk]), form(day))
    assert response.status_code == 200
    assert "这个时段已被预约" in response.content.decode() and "棋牌队" in response.content.decode()
    assert Booking.objects.count() == 1


def test_a_weekly_series_with_a_clash_asks_before_it_books_the_rest(world, client):
    r = room(world)
    first = next_weekday(1)
    taken = first + datetime.timedelta(weeks=1)
    make_booking(r, at(taken, 15), at(taken, 17), name="棋牌队")
    client.force_login(world.users["staff"])
    data = form(first, repeat="weekly", weekdays=["1"], until=(first + datetime.timedelta(weeks=3)).isoformat())
    url = reverse("places:booking_add", args=[r.pk])
    page = client.post(url, data).content.decode()
    assert f"{taken:%Y-%m-%d}" in page and "跳过这些日期，预约其余 3 次" in page
    assert not BookingSeries.objects.exists()
    response = client.post(url, {**data, "skip": "1"})
    assert response.status_code == 302
    series = BookingSeries.objects.get()
    assert series.skipped == [taken.isoformat()] and series.bookings.count() == 3


def test_a_resident_books_from_my_bookings_and_is_not_told_who_holds_a_taken_slot(world, client):
    r = room(world)
    day = next_weekday(3)
    make_booking(r, at(day, 9), at(day, 11), name="张三家", kind=BookerKind.RESIDENT)
    client.force_login(world.users["resident"])
    mine = client.get(reverse("places:my_bookings")).content.decode()
    assert reverse("places:booking_add", args=[r.pk]) in mine
    url = reverse("places:booking_add", args=[r.pk])
    refused = client.post(url, form(day, start="10:00", end="12:00", booker_kind=BookerKind.RESIDENT))
    text = refused.content.decode()
    assert "这个时段已被预约" in text and "张三家" not in text
    client.post(url, form(day, start="14:00", end="15:00", booker_kind=BookerKind.RESIDENT))
    booking = Booking.objects.get(resident=world.residents["chen"])
    assert booking.booker_name == "陈奶奶"
    assert "书法室" in client.get(reverse("places:my_bookings")).content.decode()


def test_the_owner_cancels_from_the_booking_page_and_the_page_says_how_many(world, client):
    r = room(world)
    day = next_weekday(4)
    booking = make_booking(
        r, at(day, 9), at(day, 10), name="陈奶奶", kind=BookerKind.RESIDENT, resident=world.residents["chen"]
    )
    client.force_login(world.users["resident"])
    response = client.post(
        reverse("places:booking_cancel", args=[booking.pk]), {"reason": "有事", "scope": "one"}, follow=True
    )
    assert "已取消 1 个预约，已通知 0 人" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_staff_approve_from_the_queue(world, client):
    hall = room(world, "多功能厅", needs_approval=True)
    day = next_weekday(2)
    pending = make_booking(hall, at(day, 9), at(day, 10), status=BookingStatus.PENDING)
    client.force_login(world.users["staff"])
    queue = client.get(reverse("places:approval_list")).content.decode()
    assert 'data-list-total="1"' in queue
    response = client.post(reverse("places:booking_approve", args=[pending.pk]), {"next": "queue"})
    assert response["Location"] == reverse("places:approval_list")
    pending.refresh_from_db()
    assert pending.status == BookingStatus.CONFIRMED


def test_a_closure_from_the_room_cancels_the_day_and_lists_what_went(world, client):
    r = room(world)
    day = next_weekday(5)
    for hour in (9, 14):
        make_booking(r, at(day, hour), at(day, hour + 1))
    client.force_login(world.users["staff"])
    url = reverse("places:room_close", args=[r.pk])
    preview = client.get(url, {"day": day.isoformat()}).content.decode()
    assert "（2 个）" in preview
    response = client.post(url, {"day": day.isoformat(), "reason": "消防检查"}, follow=True)
    assert "已取消 2 个预约" in response.content.decode()
    assert not Booking.objects.holding().exists()


def test_the_list_filters_by_room_and_status_and_its_export_is_logged(world, client):
    r, other = room(world), room(world, "棋牌室")
    day = next_weekday(1)
    make_booking(r, at(day, 9), at(day, 10), purpose="书法")
    make_booking(other, at(day, 9), at(day, 10), purpose="象棋")
    client.force_login(world.users["secretary"])
    page = client.get(reverse("places:booking_list"), {"room": r.pk}).content.decode()
    assert 'data-list-total="1"' in page and "书法" in page
    bad = client.get(reverse("places:booking_list"), {"room": "999999"}).content.decode()
    assert "找不到这间功能室" in bad
    response = client.get(reverse("places:booking_export"), {"room": r.pk})
    assert response.status_code == 200
    record = ExportRecord.objects.get(kind="place_bookings")
    assert record.row_count == 1 and record.filters["room"]["id"] == r.pk


def test_a_grid_worker_reads_the_bookings_but_a_residents_name_is_masked(world, client):
    r = room(world)
    day = next_weekday(1)
    make_booking(r, at(day, 9), at(day, 10), name="陈奶奶", kind=BookerKind.RESIDENT, resident=world.residents["chen"])
    client.force_login(world.users["grid_worker_2"])
    page = client.get(reverse("places:booking_list")).content.decode()
    assert "陈**" in page and "陈奶奶" not in page


def test_my_bookings_shows_a_volunteers_team_bookings(world, client):
    from linli.places.tests.booking_helpers import team_led_by

    team = team_led_by(world, world.users["volunteer"])
    day = next_weekday(3)
    make_booking(room(world), at(day, 9), at(day, 10), team=team, booked_by=None, status=BookingStatus.CONFIRMED)
    client.force_login(world.users["volunteer"])
    page = client.get(reverse("places:my_bookings")).content.decode()
    assert 'data-list-total="1"' in page
