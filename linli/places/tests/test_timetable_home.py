"""The home block: today's bookings in the user's rooms open places:day, and the bookings waiting for approval open
the approval queue; each list counts the same rows as its figure."""

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.tests.figures import check_page
from linli.places.choices import BookingStatus
from linli.places.tests.helpers import at, make_booking, make_room

pytestmark = pytest.mark.django_db


def test_todays_bookings_on_the_home_page_open_the_day_view_with_the_same_total(client, world):
    today = timezone.localdate()
    room = make_room(world.communities["e1"], "书法室")
    make_booking(room, at(today, 0, 30), at(today, 1, 30))
    make_booking(room, at(today, 22), at(today, 23), status=BookingStatus.PENDING, purpose="待审核的")
    make_booking(make_room(world.communities["w1"], "西一棋牌室"), at(today, 9), at(today, 10))
    for persona in ("staff", "grid_worker_2", "street_admin"):
        client.force_login(world.users[persona])
        found = check_page(client, reverse("core:home"), persona)
        assert [f["value"] for f in found.figures if f["name"] == "places-today"] == ["2"], persona
    client.force_login(world.users["staff"])
    found = check_page(client, reverse("core:home"), "staff")
    assert [f["value"] for f in found.figures if f["name"] == "places-pending"] == ["1"]
    client.force_login(world.users["grid_worker_2"])  # reads the rooms, approves nothing
    assert 'data-figure="places-pending"' not in client.get(reverse("core:home")).content.decode()
    client.force_login(world.users["resident"])
    assert 'data-figure="places-today"' not in client.get(reverse("core:home")).content.decode()
