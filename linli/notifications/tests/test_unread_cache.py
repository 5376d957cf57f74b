"""The header's unread count is kept a minute in the cache per user; every write forgets it at once."""

import pytest
from django.urls import reverse

from linli.notifications.models import Notification
from linli.notifications.services import mark_read, notify

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


def badge(client) -> str | None:
    page = client.get(HOME).content.decode()
    marker = 'aria-label="'
    for part in page.split('class="badge" ')[1:]:
        if part.startswith(marker):
            return part[len(marker) :].split('"')[0]
    return None


def test_it_counts_a_new_message_on_the_next_page(world, login):
    me = world.users["grid_worker_1"]
    client = login(me)
    assert badge(client) is None  # 0 unread, now cached
    notify([me], kind="system", title="新消息")
    assert badge(client) == "1条未读"


def test_it_forgets_the_count_when_messages_are_read_or_deleted(world, login):
    me = world.users["grid_worker_1"]
    notify([me], kind="system", title="一")
    notify([me], kind="system", title="二")
    client = login(me)
    assert badge(client) == "2条未读"
    mark_read(me, [Notification.objects.filter(title="一").get().pk])
    assert badge(client) == "1条未读"
    Notification.objects.filter(title="二").get().delete()
    assert badge(client) is None


def test_it_never_shows_one_users_count_to_another(world, login):
    me, other = world.users["grid_worker_1"], world.users["grid_worker_2"]
    notify([me], kind="system", title="给我的")
    assert badge(login(me)) == "1条未读"
    assert badge(login(other)) is None
