"""The week view of a room, the day view of all rooms, the door's printable week: contents, masking, junk dates,
bounded queries."""

import datetime

import pytest
from django.urls import reverse

from linli.places.choices import BookerKind, BookingStatus
from linli.places.tests.helpers import MONDAY, at, day, make_booking, make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(world):
    e1 = world.communities["e1"]
    calligraphy = make_room(e1, "书法室", open_days=[0, 1, 2, 3, 4])
    hall = make_room(e1, "多功能厅", capacity=80)
    make_booking(calligraphy, at(day(1), 14), at(day(1), 16), purpose="书法练习")
    make_booking(
        calligraphy,
        at(day(3), 9),
        at(day(3), 11),
        name="陈奶奶",
        kind=BookerKind.RESIDENT,
        purpose="孙子生日会",
        status=BookingStatus.PENDING,
    )
    make_booking(hall, at(day(1), 19), at(day(1), 20, 30), name="秧歌队", purpose="秧歌排练")
    cancelled = make_booking(hall, at(day(1), 9), at(day(1), 10), name="合唱团", purpose="取消了的合唱")
    type(cancelled).objects.filter(pk=cancelled.pk).update(status=BookingStatus.CANCELLED)
    make_booking(hall, at(day(8), 9), at(day(8), 10), purpose="下周的活动")
    return {"calligraphy": calligraphy, "hall": hall}


def test_the_week_view_shows_the_rooms_bookings_by_day_with_masked_residents(client, world, rooms):
    client.force_login(world.users["grid_worker_2"])
    page = client.get(reverse("places:room_week", args=[rooms["calligraphy"].pk]), {"week": day(2).isoformat()})
    text = page.content.decode()
    assert page.status_code == 200
    assert "书法练习" in text and "14:00–16:00" in text and "孙子生日会" in text
    assert "陈**" in text and "陈奶奶" not in text  # a grid worker of another grid reads no resident's name
    assert 'data-list-total="2"' in text
    assert "周六 3月7日" in text and "不开放" in text
    assert f"?week={(MONDAY - datetime.timedelta(days=7)).isoformat()}" in text


def test_the_staff_who_keep_bookings_see_the_residents_name(client, world, rooms):
    client.force_login(world.users["staff"])
    page = client.get(reverse("places:room_week", args=[rooms["calligraphy"].pk]), {"week": MONDAY.isoformat()})
    assert "陈奶奶" in page.content.decode()


def test_the_day_view_lists_every_room_with_its_holding_bookings(client, world, rooms):
    make_room(world.communities["w1"], "西一棋牌室")
    client.force_login(world.users["staff"])
    page = client.get(reverse("places:day"), {"date": day(1).isoformat()})
    text = page.content.decode()
    assert "书法室" in text and "多功能厅" in text and "西一" not in text
    assert "秧歌排练" in text and "19:00–20:30" in text
    assert "取消了的合唱" not in text
    assert 'data-list-total="2"' in text
    only_hall = client.get(reverse("places:day"), {"date": day(1).isoformat(), "community": "999999"})
    assert "找不到这个社区" in only_hall.content.decode()


@pytest.mark.parametrize("param", ["junk", "2026-02-30", "99999-01-01", "２０２６-03-02", "1-1-1", ""])
def test_junk_dates_fall_back_to_today_with_a_message(client, world, rooms, param):
    client.force_login(world.users["staff"])
    for name, key, args in (
        ("places:day", "date", []),
        ("places:room_week", "week", [rooms["hall"].pk]),
        ("places:room_timetable_print", "week", [rooms["hall"].pk]),
    ):
        page = client.get(reverse(name, args=args), {key: param})
        assert page.status_code == 200
        if param:
            assert "日期格式应为 YYYY-MM-DD" in page.content.decode()


def test_the_printable_week_masks_residents_even_for_staff_and_carries_a_qr_code(client, world, rooms):
    client.force_login(world.users["staff"])
    page = client.get(reverse("places:room_timetable_print", args=[rooms["calligraphy"].pk]), {"week": MONDAY})
    text = page.content.decode()
    assert page.status_code == 200
    assert "书法室" in text and "书法练习" in text and "陈**" in text and "陈奶奶" not in text
    assert "<svg" in text and "timetable_print.css" in text  # A4 landscape: the print stylesheet
    assert reverse("places:room_detail", args=[rooms["calligraphy"].pk]) in text


def test_the_day_and_week_views_read_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    e1 = world.communities["e1"]
    for n in range(12):
        room = make_room(e1, f"活动室{n}")
        for hour in (9, 14, 19):
            make_booking(room, at(day(1), hour), at(day(1), hour + 1), name=f"队伍{n}")
    client.force_login(world.users["staff"])
    client.get(reverse("places:day"))  # session and user loaded once
    with django_assert_max_num_queries(8):
        page = client.get(reverse("places:day"), {"date": day(1).isoformat()})
    assert 'data-list-total="36"' in page.content.decode()
    with django_assert_max_num_queries(8):
        client.get(reverse("places:room_week", args=[room.pk]), {"week": MONDAY.isoformat()})
