"""使用统计: bookings, hours, attendance, no-shows and cancellations by room and month; the export is logged."""

import datetime

import pytest
from django.urls import reverse

from linli.core.models import ExportRecord
from linli.places.choices import BookingStatus, ExportKind
from linli.places.models import Booking, Room
from linli.places.tests.helpers import at, make_booking, make_room
from linli.places.usage import usage

pytestmark = pytest.mark.django_db


@pytest.fixture
def used(world):
    e1 = world.communities["e1"]
    room = make_room(e1, "书法室")
    other = make_room(e1, "棋牌室")
    march, april = datetime.date(2026, 3, 3), datetime.date(2026, 4, 7)
    came = make_booking(room, at(march, 14), at(march, 16), expected_attendance=10)
    Booking.objects.filter(pk=came.pk).update(attendance=8)
    absent = make_booking(room, at(march, 18), at(march, 19, 30), expected_attendance=5)
    Booking.objects.filter(pk=absent.pk).update(no_show=True, attendance=0)
    gone = make_booking(room, at(april, 9), at(april, 10))
    Booking.objects.filter(pk=gone.pk).update(status=BookingStatus.CANCELLED)
    make_booking(room, at(april, 14), at(april, 15), status=BookingStatus.PENDING)
    make_booking(other, at(april, 9), at(april, 12), expected_attendance=4)
    make_booking(room, at(datetime.date(2025, 12, 30), 9), at(datetime.date(2025, 12, 30), 10))  # last year
    make_room(world.communities["w1"], "西一棋牌室")
    return room, other


def test_it_counts_each_month_of_each_room(world, used):
    room, other = used
    figures = usage(world.users["staff"], Room.objects.restrict(world.users["staff"]), 2026)
    rows = {r.room.name: r for r in figures.rows}
    assert set(rows) == {"书法室", "棋牌室"}
    march, april = rows["书法室"].months[2], rows["书法室"].months[3]
    assert (march.bookings, march.hours, march.expected, march.attended, march.no_shows) == (2, 3.5, 15, 8, 1)
    assert (april.bookings, april.cancelled) == (0, 1)  # the pending one is not yet a use
    assert rows["棋牌室"].total.hours == 3.0
    assert (figures.total.bookings, figures.total.cancelled, figures.months[3].bookings) == (3, 1, 1)
    assert rows["书法室"].rate == "53%"  # 8 came of the 15 expected where attendance was recorded


def test_the_page_and_the_logged_export(client, world, used):
    client.force_login(world.users["staff"])
    page = client.get(reverse("places:usage"), {"year": "2026"})
    text = page.content.decode()
    assert "书法室" in text and "棋牌室" in text and "西一" not in text and "导出Excel" in text
    response = client.get(reverse("places:usage_export"), {"year": "2026"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    b"".join(response.streaming_content)
    record = ExportRecord.objects.get()
    assert (record.kind, record.row_count, record.filters["year"]) == (ExportKind.USAGE, 2, 2026)


def test_a_grid_worker_reads_the_figures_but_may_not_export_them(client, world, used):
    client.force_login(world.users["grid_worker_1"])
    assert "导出Excel" not in client.get(reverse("places:usage")).content.decode()
    assert client.get(reverse("places:usage_export")).status_code == 403
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("year", ["junk", "1999", "²⁰²⁶", "-1"])
def test_a_junk_year_falls_back_to_this_year(client, world, year):
    client.force_login(world.users["staff"])
    page = client.get(reverse("places:usage"), {"year": year})
    assert page.status_code == 200 and "已显示今年" in page.content.decode()
