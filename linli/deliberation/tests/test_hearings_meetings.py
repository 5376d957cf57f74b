"""集中议: meetings on a matter, their participants, the messages to invited residents, and the pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import actor_of
from linli.core.models import ChangeRecord, ExportRecord
from linli.deliberation import services_hearings as services
from linli.deliberation.choices import MatterStatus
from linli.deliberation.models import Meeting, MeetingParticipant
from linli.deliberation.testing_hearings import make_matter, make_meeting
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(world):
    return make_matter(world.communities["e1"])


def test_a_scheduled_meeting_tells_invited_residents_with_an_account(world, matter):
    meeting = make_meeting(
        matter,
        actor=actor_of(world.users["staff"]),
        days=3,
        residents=[world.residents["chen"], world.residents["zhang"]],
        guests=[services.Guest("刘经理", "物业公司")],
    )
    assert [str(p) for p in meeting.participants.all()] == ["陈奶奶（居民）", "张三（居民）", "刘经理（物业公司）"]
    # 陈奶奶 has the resident account; 张三 has none
    told = Notification.objects.get()
    assert told.user == world.users["resident"]
    assert "议事会通知" in told.title and "社区会议室" in told.body
    assert ChangeRecord.objects.filter(object_id=meeting.pk, action="create").exists()


def test_a_meeting_recorded_afterwards_sends_nothing(world, matter):
    make_meeting(matter, days=-2, residents=[world.residents["chen"]])
    assert Notification.objects.count() == 0


def test_moving_the_meeting_tells_the_invited_again_but_an_edit_of_the_minutes_does_not(world, matter):
    meeting = make_meeting(matter, days=3, residents=[world.residents["chen"]])
    fields = dict(kind=meeting.kind, held_at=meeting.held_at, place=meeting.place, attendance=None)
    services.update_meeting(
        meeting, actor=actor_of(world.users["staff"]), residents=[world.residents["chen"]], minutes="改了", **fields
    )
    assert Notification.objects.count() == 1
    fields["held_at"] = meeting.held_at + datetime.timedelta(days=1)
    services.update_meeting(
        meeting, actor=actor_of(world.users["staff"]), residents=[world.residents["chen"]], **fields
    )
    assert Notification.objects.count() == 2


def test_a_meeting_without_a_place_is_refused_and_nothing_is_written(world, matter):
    with pytest.raises(ValidationError) as err:
        make_meeting(matter, place="  ", residents=[world.residents["zhang"]])
    assert err.value.message_dict["place"] == ["请填写地点。"]
    assert Meeting.objects.count() == 0 and MeetingParticipant.objects.count() == 0


def test_a_resident_of_another_community_cannot_be_invited(world, matter):
    with pytest.raises(ValidationError) as err:
        make_meeting(matter, residents=[world.residents["sun"]])
    assert "孙七不是本社区的居民" in err.value.message_dict["residents"][0]


def test_a_grid_worker_invites_only_residents_they_may_see(world, matter):
    with pytest.raises(ValidationError):
        make_meeting(matter, actor=actor_of(world.users["grid_worker_2"]), residents=[world.residents["chen"]])
    meeting = make_meeting(matter, actor=actor_of(world.users["grid_worker_2"]), residents=[world.residents["wang"]])
    assert meeting.recorded_by == world.users["grid_worker_2"]


def test_other_grids_residents_are_counted_not_named(world, matter):
    meeting = make_meeting(matter, residents=[world.residents["chen"], world.residents["wang"]])
    shown, others = services.visible_participants(meeting, world.users["grid_worker_2"])
    assert [p.name for p in shown] == ["王五"] and others == 1
    shown, others = services.visible_participants(meeting, world.users["secretary"])
    assert len(shown) == 2 and others == 0


def test_roles_without_hearing_add_and_other_areas_are_refused(world, matter):
    with pytest.raises(PermissionDenied):
        make_meeting(matter, actor=actor_of(world.users["volunteer"]))
    other = make_matter(world.communities["w1"])
    with pytest.raises(Http404):
        make_meeting(other, actor=actor_of(world.users["secretary"]))


def test_a_finished_matter_takes_no_more_meetings(world, matter):
    matter.status = MatterStatus.DONE
    matter.save()
    with pytest.raises(ValidationError, match="已办结"):
        make_meeting(matter)


def test_the_add_page_saves_a_meeting_and_shows_errors_in_chinese(client, world, matter):
    client.force_login(world.users["grid_worker_1"])
    url = reverse("deliberation:meeting_add", args=[matter.pk])
    response = client.post(url, {"kind": "council", "held_at": "", "place": ""})
    assert response.status_code == 200
    assert "请填写时间" in response.content.decode() and Meeting.objects.count() == 0
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "kind": "forum",
            "held_at": when,
            "place": "3栋楼下",
            "residents": [world.residents["chen"].pk],
            "guests": "刘经理，物业公司\n赵工 电梯公司",
            "decisions": "一\n\n二",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.decision_list == ["一", "二"]
    assert [p.role for p in meeting.participants.all()] == ["居民", "物业公司", "电梯公司"]


def test_the_detail_and_the_printed_minutes(client, world, matter):
    meeting = make_meeting(matter, residents=[world.residents["chen"]])
    client.force_login(world.users["grid_worker_2"])
    page = client.get(reverse("deliberation:meeting_detail", args=[meeting.pk])).content.decode()
    assert "大家同意先入户征求意见" in page and "另有1位居民" in page and "陈奶奶" not in page
    client.force_login(world.users["secretary"])
    page = client.get(reverse("deliberation:meeting_minutes", args=[meeting.pk])).content.decode()
    assert "会议纪要" in page and "陈奶奶" in page and "1. 入户征求意见" in page
    assert ExportRecord.objects.filter(kind="meeting_minutes", user=world.users["secretary"]).count() == 1


def test_the_participant_search_finds_residents_of_the_matter_in_scope(client, world, matter):
    url = reverse("deliberation:hearing_resident_search", args=[matter.pk])
    client.force_login(world.users["grid_worker_2"])
    assert "王五" in client.get(url, {"resident_q": "王"}).content.decode()
    assert "陈奶奶" not in client.get(url, {"resident_q": "陈"}).content.decode()
    client.force_login(world.users["secretary"])
    assert "陈奶奶" in client.get(url, {"resident_q": "陈"}).content.decode()
    assert "孙七" not in client.get(url, {"resident_q": "孙"}).content.decode()


def test_a_grid_worker_editing_a_meeting_keeps_the_residents_of_other_grids(world, matter):
    meeting = make_meeting(matter, residents=[world.residents["chen"], world.residents["wang"]])
    fields = dict(kind=meeting.kind, held_at=meeting.held_at, place="新地点", attendance=3)
    services.update_meeting(meeting, actor=actor_of(world.users["grid_worker_2"]), residents=[], **fields)
    assert sorted(p.name for p in meeting.participants.all()) == ["陈奶奶"]  # 王五 removed, 陈奶奶 kept


def test_photos_of_a_meeting_are_served_to_those_who_see_the_meeting(client, world, matter, settings, tmp_path):
    from linli.attachments.services import photos_of
    from linli.attachments.tests.images import jpeg_bytes, upload

    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(matter, photos=[upload(jpeg_bytes(size=(60, 40)))])
    photo = photos_of(meeting).get()
    url = reverse("attachments:photo", args=[photo.pk])
    client.force_login(world.users["grid_worker_2"])
    assert client.get(url).status_code == 200
    client.force_login(world.users["volunteer"])
    assert client.get(url).status_code == 404


def test_a_bad_photo_refuses_the_whole_meeting(world, matter):
    from linli.attachments.tests.images import upload

    with pytest.raises(ValidationError, match="不是有效的图片"):
        make_meeting(matter, photos=[upload(b"not an image")])
    assert Meeting.objects.count() == 0
