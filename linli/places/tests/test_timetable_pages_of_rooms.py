"""A street's day view comes a page of rooms at a time; its total counts every page (as the home page does)."""

import pytest
from django.urls import reverse

from linli.places.tests.helpers import at, make_booking, make_room
from linli.places.tests.test_timetable_views import day
from linli.places.views_timetable import ROOMS_PER_PAGE

pytestmark = pytest.mark.django_db


def test_the_street_day_view_pages_its_rooms_and_counts_the_bookings_of_all_pages(client, world):
    e1, e2 = world.communities["e1"], world.communities["e2"]
    rooms = [make_room(e1 if n % 2 else e2, f"活动室{n:02d}") for n in range(ROOMS_PER_PAGE + 2)]
    for room in rooms:
        make_booking(room, at(day(1), 9), at(day(1), 10))
    client.force_login(world.users["street_admin"])
    first = client.get(reverse("places:day"), {"date": day(1).isoformat()}).content.decode()
    last = client.get(reverse("places:day"), {"date": day(1).isoformat(), "page": 2}).content.decode()
    total = f'data-list-total="{len(rooms)}"'
    assert total in first and total in last
    assert first.count('class="tt-room') == ROOMS_PER_PAGE and last.count('class="tt-room') == 2
    assert "第1/2页" in first
