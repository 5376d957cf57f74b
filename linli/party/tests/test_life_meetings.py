"""Recording 三会一课: who records which organisation's meetings, the attendance list, the checks, the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from linli.attachments.services import photos_of
from linli.attachments.tests.images import photo
from linli.core.models import ChangeRecord
from linli.party import services_life
from linli.party.choices import Attendance, MeetingKind
from linli.party.models import MeetingAttendance, PartyMeeting

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def post_meeting(client, org, **extra):
    data = {"org": org.pk, "kind": "theme_day", "held_on": "2026-11-18", "topic": "学习二十届四中全会精神", **extra}
    return client.post(reverse("party:meeting_add"), data)


def test_a_branch_secretary_records_their_branchs_meeting_with_everyone_present_by_default(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    page = client.get(reverse("party:meeting_add") + f"?org={pw.orgs['e1'].pk}&kind=lecture")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="lecture" selected' in html or 'value="lecture"selected' in html.replace(" ", "")
    li, liu = pw.members["e1"], pw.members["e1_in_service"]
    assert f'name="att_{li.pk}" value="present" checked' in html
    assert "王五" not in html  # branch 2's member
    response = post_meeting(
        client, pw.orgs["e1"], **{f"att_{li.pk}": "present", f"att_{liu.pk}": "leave", f"reason_{liu.pk}": "出差"}
    )
    meeting = PartyMeeting.objects.get(topic="学习二十届四中全会精神")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert dict(meeting.attendance.values_list("member__name", "status")) == {"李四": "present", "刘在职": "leave"}
    assert meeting.attendance.get(member=liu).reason == "出差"
    assert meeting.recorded_by == pw.users["grid_worker_1"]
    assert ChangeRecord.objects.filter(object_id=meeting.pk, action="create").exists()


def test_a_branch_secretary_cannot_record_for_the_other_branch(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    assert client.get(reverse("party:meeting_add") + f"?org={pw.orgs['e1_b2'].pk}").status_code == 404
    assert post_meeting(client, pw.orgs["e1_b2"]).status_code == 404
    assert post_meeting(client, pw.orgs["w1"]).status_code == 404
    assert not PartyMeeting.objects.filter(topic="学习二十届四中全会精神").exists()


def test_staff_without_a_party_role_are_refused(pw, client):
    client.force_login(pw.users["staff"])
    assert client.get(reverse("party:meeting_list")).status_code == 403
    assert post_meeting(client, pw.orgs["e1"]).status_code == 403


def test_a_member_not_of_the_organisation_is_refused_and_nothing_is_written(pw, client):
    client.force_login(pw.users["secretary"])
    wang = pw.members["e1_b2"]
    response = post_meeting(client, pw.orgs["e1"], **{f"att_{wang.pk}": "present"})
    assert response.status_code == 200
    assert "名单外的党员不能登记出席情况" in response.content.decode()
    assert not PartyMeeting.objects.filter(topic="学习二十届四中全会精神").exists()
    with pytest.raises(ValidationError, match="王五不是东一第1网格党支部的党员"):
        services_life.create_meeting(
            pw.orgs["e1"],
            actor=pw.actor("secretary"),
            kind=MeetingKind.THEME_DAY,
            held_on=TODAY,
            topic="x",
            attendance={wang.pk: (Attendance.PRESENT, "")},
            today=TODAY,
        )


@pytest.mark.parametrize("bad", ["²", "abc", "present"])
def test_odd_attendance_keys_and_values_are_a_message_not_a_500(pw, client, bad):
    client.force_login(pw.users["secretary"])
    li = pw.members["e1"]
    response = post_meeting(client, pw.orgs["e1"], **{f"att_{bad}": "present", f"att_{li.pk}": "maybe"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not PartyMeeting.objects.filter(topic="学习二十届四中全会精神").exists()


def test_the_kind_must_be_one_the_organisation_holds(pw):
    actor = pw.actor("grid_worker_1")
    with pytest.raises(ValidationError, match="党小组会由党小组记录"):
        services_life.create_meeting(
            pw.orgs["e1"], actor=actor, kind=MeetingKind.GROUP, held_on=TODAY, topic="x", today=TODAY
        )
    with pytest.raises(ValidationError, match="党小组不召开支部委员会"):
        services_life.create_meeting(
            pw.orgs["e1_group"], actor=actor, kind=MeetingKind.COMMITTEE, held_on=TODAY, topic="x", today=TODAY
        )
    group_meeting = services_life.create_meeting(
        pw.orgs["e1_group"], actor=actor, kind=MeetingKind.GROUP, held_on=TODAY, topic="小组学习", today=TODAY
    )
    assert list(group_meeting.attendance.values_list("member__name", flat=True)) == ["李四"]


def test_a_meeting_is_recorded_after_it_is_held(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    response = post_meeting(client, pw.orgs["e1"], held_on="2999-01-01")
    assert "会议日期不能晚于今天" in response.content.decode()
    response = post_meeting(client, pw.orgs["e1"], held_on="2026-02-30")
    assert response.status_code == 200 and "会议日期" in response.content.decode()
    assert not PartyMeeting.objects.filter(topic="学习二十届四中全会精神").exists()


def test_the_service_refuses_an_organisation_outside_the_actors_scope(pw):
    with pytest.raises(Http404):
        services_life.create_meeting(
            pw.orgs["e1_b2"], actor=pw.actor("grid_worker_1"), kind="lecture", held_on=TODAY, topic="x", today=TODAY
        )


def test_editing_changes_the_record_and_the_attendance_with_a_change_record(pw, client):
    meeting = pw.meetings["e1"]
    liu = pw.members["e1_in_service"]
    client.force_login(pw.users["grid_worker_1"])
    page = client.get(reverse("party:meeting_edit", args=[meeting.pk])).content.decode()
    assert f'name="att_{liu.pk}" value="leave" checked' in page
    response = client.post(
        reverse("party:meeting_edit", args=[meeting.pk]),
        {
            "org": meeting.org_id,
            "kind": "committee",
            "held_on": "2026-11-10",
            "topic": "十一月支委会（补记）",
            "minutes": "研究冬季走访安排。",
            f"att_{liu.pk}": "absent",
            f"reason_{liu.pk}": "未请假",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.topic == "十一月支委会（补记）"
    assert MeetingAttendance.objects.get(meeting=meeting, member=liu).status == "absent"
    assert MeetingAttendance.objects.get(meeting=meeting, member=pw.members["e1"]).status == "present"
    assert ChangeRecord.objects.filter(object_id=meeting.pk, note__startswith="登记参会情况").exists()


def test_photos_are_attached_to_the_meeting(pw, client, settings):
    client.force_login(pw.users["grid_worker_1"])
    response = post_meeting(client, pw.orgs["e1"], photos=[photo()])
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = PartyMeeting.objects.get(topic="学习二十届四中全会精神")
    assert photos_of(meeting).count() == 1
    assert "photo-thumbs" in client.get(meeting.get_absolute_url()).content.decode()


def test_the_list_filters_by_organisation_kind_and_month_in_a_fixed_number_of_queries(
    pw, client, django_assert_max_num_queries
):
    actor = pw.actor("secretary")
    for day in range(1, 9):
        services_life.create_meeting(
            pw.orgs["e1_b2"], actor=actor, kind="theme_day", held_on=datetime.date(2026, 10, day), topic=f"党日{day}"
        )
    client.force_login(pw.users["secretary"])
    url = reverse("party:meeting_list")
    with django_assert_max_num_queries(14):
        html = client.get(url).content.decode()
    assert "党日8" in html and "东一第1网格十一月支委会" in html and "西一" not in html
    html = client.get(url + f"?org={pw.orgs['e1'].pk}").content.decode()
    assert "东一第1网格十一月支委会" in html and "党日8" not in html
    html = client.get(url + "?month=2026-10&kind=theme_day").content.decode()
    assert "党日8" in html and "东一第1网格十一月支委会" not in html
    html = client.get(url + "?month=2026-13").content.decode()
    assert "月份格式应为 YYYY-MM" in html
    html = client.get(url + f"?org={pw.orgs['w1'].pk}").content.decode()
    assert "不在您的管辖范围内" in html and "西一主题党日" not in html


def test_a_branch_secretary_lists_only_their_branchs_meetings(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    html = client.get(reverse("party:meeting_list")).content.decode()
    assert "东一第1网格十一月支委会" in html and "西一主题党日" not in html
    assert client.get(reverse("party:meeting_detail", args=[pw.meetings["w1"].pk])).status_code == 404
