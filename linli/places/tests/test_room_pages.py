"""Room pages for the personas: the list's cards, a room's page and its buttons, create and edit through the form."""

import pytest
from django.urls import reverse

from linli.places.models import Room
from linli.places.tests.helpers import make_room

pytestmark = pytest.mark.django_db

FORM = {
    "name": "棋牌室",
    "kind": "sports",
    "capacity": "16",
    "opens_at": "08:30",
    "closes_at": "21:00",
    "open_days": ["0", "1", "2", "3", "4", "5"],
    "bookable_by": ["resident", "team"],
    "sort": "0",
}


def test_the_list_shows_the_rooms_in_scope_as_cards(client, world):
    make_room(world.communities["e1"], "书法室", equipment="书画桌 12 张", needs_approval=True)
    make_room(world.communities["w1"], "西一棋牌室")
    client.force_login(world.users["grid_worker_1"])
    text = client.get(reverse("places:room_list")).content.decode()
    assert "书法室" in text and "书画桌 12 张" in text and "预约需审核" in text and "西一" not in text
    assert 'data-list-total="1"' in text and "登记功能室" not in text


def test_staff_register_a_room_through_the_form_and_see_its_page(client, world):
    client.force_login(world.users["staff"])
    assert client.get(reverse("places:room_add")).status_code == 200
    response = client.post(reverse("places:room_add"), {**FORM, "community": world.communities["e1"].pk})
    room = Room.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("places:room_detail", args=[room.pk])
    assert room.open_days == [0, 1, 2, 3, 4, 5] and room.bookable_by == ["resident", "team"]
    text = client.get(response["Location"]).content.decode()
    assert "周一至周六 08:30–21:00" in text and "居民个人、志愿服务队" in text and "修改" in text


def test_the_form_shows_the_services_messages(client, world):
    make_room(world.communities["e1"], "棋牌室")
    client.force_login(world.users["staff"])
    page = client.post(
        reverse("places:room_add"), {**FORM, "community": world.communities["e1"].pk, "closes_at": "08:00"}
    )
    assert "关闭时间应晚于开放时间" in page.content.decode()
    page = client.post(reverse("places:room_add"), {**FORM, "community": world.communities["e1"].pk})
    assert "已经有名为“棋牌室”" in page.content.decode()
    page = client.post(reverse("places:room_add"), {**FORM, "community": world.communities["w1"].pk})
    assert "选项无效" in page.content.decode() or "请选择" in page.content.decode()
    assert Room.objects.count() == 1


def test_edit_and_deactivate(client, world):
    room = make_room(world.communities["e1"], "棋牌室")
    client.force_login(world.users["secretary"])
    response = client.post(reverse("places:room_edit", args=[room.pk]), {**FORM, "capacity": "40"})
    assert response.status_code == 302
    assert Room.objects.get().capacity == 40
    client.post(reverse("places:room_active", args=[room.pk]), {"active": "0"})
    assert not Room.objects.get().is_active
    text = client.get(reverse("places:room_detail", args=[room.pk])).content.decode()
    assert "已停用" in text and "重新启用" in text


def test_a_grid_worker_reads_a_room_but_may_not_edit_it(client, world):
    room = make_room(world.communities["e1"], "棋牌室")
    client.force_login(world.users["grid_worker_2"])
    text = client.get(reverse("places:room_detail", args=[room.pk])).content.decode()
    assert "棋牌室" in text and reverse("places:room_edit", args=[room.pk]) not in text
    assert client.get(reverse("places:room_edit", args=[room.pk])).status_code == 403
    assert client.post(reverse("places:room_active", args=[room.pk]), {"active": "0"}).status_code == 403
