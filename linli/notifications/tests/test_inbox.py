"""消息: each user reads only their own messages; opening one marks it read and follows its link."""

import pytest
from django.urls import reverse

from linli.notifications.models import Notification
from linli.notifications.services import mark_read, notify

pytestmark = pytest.mark.django_db


def test_it_lists_only_my_unread_messages_and_counts_them_in_the_header(world, login, client):
    me, other = world.users["grid_worker_1"], world.users["grid_worker_2"]
    notify([me], kind="system", title="给我的消息", url="/visits/")
    notify([other], kind="system", title="给别人的消息")
    login(me)
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert "给我的消息" in page
    assert "给别人的消息" not in page
    assert 'aria-label="1条未读"' in page


def test_opening_a_message_marks_it_read_and_follows_its_link(world, login, client):
    me = world.users["grid_worker_1"]
    notify([me], kind="system", title="去走访", url="/visits/")
    note = Notification.objects.get()
    login(me)
    response = client.get(reverse("notifications:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/visits/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "去走访" not in client.get(reverse("notifications:notification_list")).content.decode()
    assert "去走访" in client.get(reverse("notifications:notification_list") + "?show=all").content.decode()


def test_it_refuses_to_open_someone_elses_message(world, login, client):
    notify([world.users["grid_worker_2"]], kind="system", title="别人的")
    login(world.users["grid_worker_1"])
    note = Notification.objects.get()
    assert client.get(reverse("notifications:notification_open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_it_never_redirects_off_site(world, login, client):
    me = world.users["grid_worker_1"]
    notify([me], kind="system", title="外链", url="https://evil.example/")
    login(me)
    response = client.get(reverse("notifications:notification_open", args=[Notification.objects.get().pk]))
    assert response["Location"] == reverse("notifications:notification_list")


def test_read_all_marks_only_my_messages(world, login, client):
    me, other = world.users["grid_worker_1"], world.users["grid_worker_2"]
    notify([me], kind="system", title="一")
    notify([me], kind="system", title="二")
    notify([other], kind="system", title="三")
    login(me)
    response = client.post(reverse("notifications:notification_read_all"), follow=True)
    assert "已将 2 条消息标为已读。" in response.content.decode()
    assert Notification.objects.unread().get().user == other


def test_a_key_tells_each_user_once_and_skips_inactive_accounts(world):
    a, b = world.users["secretary"], world.users["staff"]
    b.is_active = False
    b.save()
    assert notify([a, b], kind="system", title="x", key="k1") == 1
    assert notify([a, b], kind="system", title="x", key="k1") == 0
    assert notify([a], kind="system", title="x", key="k2") == 1
    assert Notification.objects.filter(user=a).count() == 2


def test_opening_a_message_again_keeps_when_it_was_first_read(world, login, client):
    me = world.users["grid_worker_1"]
    notify([me], kind="system", title="去走访", url="/visits/")
    note = Notification.objects.get()
    login(me)
    client.get(reverse("notifications:notification_open", args=[note.pk]))
    note.refresh_from_db()
    first = note.read_at
    client.get(reverse("notifications:notification_open", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at == first


def test_mark_read_ignores_someone_elses_message(world):
    me, other = world.users["grid_worker_1"], world.users["grid_worker_2"]
    notify([other], kind="system", title="别人的")
    note = Notification.objects.get()
    assert mark_read(me, [note.pk]) == 0
    note.refresh_from_db()
    assert note.read_at is None
