"""The demo's rooms and bookings (linli.places.demo) on the shared demo build: 青和居's twelve rooms, a term of
recurring bookings with one agreed skip, attendance and a few no-shows, a pending request and a closure."""

from linli.places.choices import BookingStatus
from linli.places.models import Booking, BookingSeries, Room


def test_qinghe_has_twelve_rooms_some_needing_approval(qinghe):
    rooms = Room.objects.filter(community=qinghe)
    assert rooms.count() == 12
    assert {"图书室", "书法室", "棋牌室", "四点半学校教室", "多功能厅", "手工室"} <= set(
        rooms.values_list("name", flat=True)
    )
    assert rooms.filter(needs_approval=True).count() >= 2


def test_a_term_of_series_with_the_calligraphy_class_skipping_one_taken_tuesday(qinghe):
    series = BookingSeries.objects.filter(community=qinghe)
    assert series.count() == 7
    calligraphy = series.get(purpose="书法班")
    assert calligraphy.rule.startswith("FREQ=WEEKLY;BYDAY=TU") and len(calligraphy.skipped) == 1
    yangge = series.get(purpose="秧歌队晨练")
    assert yangge.bookings.count() >= 75


def test_attendance_no_shows_a_pending_request_and_a_closure(qinghe):
    bookings = Booking.objects.filter(community=qinghe)
    assert bookings.filter(attendance__gt=0).count() > 100
    assert bookings.filter(no_show=True).exists()
    assert bookings.filter(status=BookingStatus.PENDING).count() == 1
    closed = bookings.filter(status=BookingStatus.CANCELLED, cancel_reason__contains="图书盘点")
    assert closed.count() == 2
