"""save_room and set_room_active: the rules of a room's facts, who may keep rooms, photos, the change record."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from linli.accounts.roles import Role
from linli.attachments.services import photos_of
from linli.core import audit
from linli.core.audit import actor_of
from linli.places.choices import BookerKind
from linli.places.models import Room
from linli.places.services_rooms import bookable_label, open_days_label, save_room, set_room_active
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def new_room(world, **fields) -> Room:
    fields.setdefault("community", world.communities["e1"])
    fields.setdefault("name", "书法室")
    fields.setdefault("capacity", 20)
    return Room(**fields)


def photo(name="room.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 50)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_staff_registers_a_room_of_their_community_with_photos_and_a_change_record(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    room = save_room(new_room(world, name="  书法 室 "), actor=actor_of(world.users["staff"]), photos=[photo()])
    assert room.pk and room.name == "书法 室" and room.street_id == world.communities["e1"].street_id
    assert len(photos_of(room)) == 1
    assert audit.history_of(room).exists()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"capacity": 0}, "capacity", "容纳人数应大于0"),
        ({"opens_at": datetime.time(18), "closes_at": datetime.time(9)}, "closes_at", "关闭时间应晚于开放时间"),
        ({"open_days": []}, "open_days", "至少选择一个开放日"),
        ({"open_days": [7]}, "open_days", "至少选择一个开放日"),
        ({"bookable_by": ["everyone"]}, "bookable_by", "至少选择一类可预约对象"),
        ({"bookable_by": []}, "bookable_by", "至少选择一类可预约对象"),
        ({"name": "  "}, "name", "请填写功能室名称"),
    ],
)
def test_bad_facts_are_refused_with_a_chinese_message_and_nothing_saved(world, fields, field, message):
    with pytest.raises(ValidationError) as error:
        save_room(new_room(world, **fields), actor=actor_of(world.users["staff"]))
    assert message in error.value.message_dict[field][0]
    assert not Room.objects.exists()


def test_a_second_room_of_the_same_name_in_a_community_is_refused_but_another_community_may_use_it(world):
    save_room(new_room(world), actor=actor_of(world.users["staff"]))
    with pytest.raises(ValidationError) as error:
        save_room(new_room(world, name="书法室"), actor=actor_of(world.users["secretary"]))
    assert "已经有名为“书法室”" in error.value.message_dict["name"][0]
    save_room(new_room(world, community=world.communities["e2"]), actor=actor_of(world.users["street_admin"]))
    assert Room.objects.count() == 2


def test_a_bad_photo_refuses_the_whole_save(world):
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        save_room(new_room(world), actor=actor_of(world.users["staff"]), photos=[bad])
    assert not Room.objects.exists()


def test_who_may_keep_rooms(world):
    with pytest.raises(PermissionDenied):  # a grid worker reads rooms but does not keep them
        save_room(new_room(world), actor=actor_of(world.users["grid_worker_1"]))
    with pytest.raises(Http404):  # 东一's staff cannot register a room in 西一
        save_room(new_room(world, community=world.communities["w1"]), actor=actor_of(world.users["staff"]))
    room = save_room(new_room(world), actor=actor_of(world.users["staff"]))
    room.capacity = 30
    with pytest.raises(Http404):
        save_room(room, actor=actor_of(make_user("w1_room_staff", Role.STAFF, world.communities["w1"])))
    assert Room.objects.get().capacity == 20


def test_edit_keeps_the_community_and_records_the_change(world):
    staff = actor_of(world.users["staff"])
    room = save_room(new_room(world), actor=staff)
    room.capacity, room.needs_approval = 35, True
    save_room(room, actor=staff)
    assert Room.objects.get().capacity == 35
    room.community = world.communities["e2"]
    with pytest.raises(ValidationError):
        save_room(room, actor=actor_of(world.users["street_admin"]))


def test_deactivating_and_reactivating_a_room(world):
    staff = actor_of(world.users["staff"])
    room = save_room(new_room(world), actor=staff)
    set_room_active(room, active=False, actor=staff)
    assert not Room.objects.get().is_active
    with pytest.raises(ValidationError):
        set_room_active(room, active=False, actor=staff)
    set_room_active(room, active=True, actor=staff)
    assert Room.objects.get().is_active


def test_labels_of_open_days_and_bookers():
    assert open_days_label([0, 1, 2, 3, 4]) == "周一至周五"
    assert open_days_label(list(range(7))) == "每天"
    assert open_days_label([0, 2, 5]) == "周一、周三、周六"
    assert bookable_label([BookerKind.TEAM, BookerKind.RESIDENT]) == "居民个人、志愿服务队"
