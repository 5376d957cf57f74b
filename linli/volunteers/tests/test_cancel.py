"""Cancelling a whole activity (rain stops a patrol): who may, what it closes, what it refuses afterwards."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.core.models import ChangeRecord
from linli.notifications.models import Notification
from linli.testing import SYSTEM
from linli.volunteers import services, tokens
from linli.volunteers.choices import ActivityStatus
from linli.volunteers.models import Activity, Attendance, SignUp
from linli.volunteers.tests.helpers import activity, as_, at, team_led_by, volunteer

pytestmark = pytest.mark.django_db


def told(user) -> int:
    return Notification.objects.filter(user=user, title__startswith="活动取消").count()


@pytest.fixture
def full(world):
    """A patrol with one place: someone else holds it, the `volunteer` persona waits."""
    a = activity(world, capacity=1, title="夜间巡逻", kind="patrol")
    services.sign_up(a, volunteer(world, name="甲"), actor=SYSTEM)
    mine = volunteer(world, name="本人", user=world.users["volunteer"])
    services.sign_up(a, mine, actor=as_(world, "volunteer"))
    return a, mine


def test_cancelling_cancels_every_live_sign_up_and_tells_the_waiting_list_too(world, full):
    a, mine = full
    cancelled = services.cancel_activity(a, actor=as_(world, "staff"), reason="下雨，巡逻取消")
    assert [s.volunteer.name for s in cancelled] == ["甲", "本人"]
    a.refresh_from_db()
    assert (a.status, a.cancel_reason, a.cancelled_by) == (
        ActivityStatus.CANCELLED,
        "下雨，巡逻取消",
        world.users["staff"],
    )
    assert set(a.signups.values_list("status", flat=True)) == {"cancelled"}
    assert told(world.users["volunteer"]) == 1
    body = Notification.objects.get(user=world.users["volunteer"]).body
    assert "下雨，巡逻取消" in body and "夜间巡逻" in body
    note = ChangeRecord.objects.filter(object_id=a.pk, note__startswith="取消活动").get()
    assert note.actor == world.users["staff"] and "2人的报名" in note.note


def test_a_second_cancel_is_refused_and_sends_nothing_more(world, full):
    a, _ = full
    services.cancel_activity(a, actor=as_(world, "staff"), reason="下雨")
    with pytest.raises(ValidationError, match="不用重复取消"):
        services.cancel_activity(a, actor=as_(world, "secretary"), reason="还是下雨")
    assert told(world.users["volunteer"]) == 1
    assert Activity.objects.get(pk=a.pk).cancel_reason == "下雨"


def test_a_reason_is_required_and_an_ended_activity_cannot_be_cancelled(world, full):
    a, _ = full
    with pytest.raises(ValidationError, match="请填写取消原因"):
        services.cancel_activity(a, actor=as_(world, "staff"), reason="  ")
    past = activity(world, start=-3, length=2)
    with pytest.raises(ValidationError, match="已经结束"):
        services.cancel_activity(past, actor=as_(world, "staff"), reason="下雨")
    assert not Activity.objects.filter(status=ActivityStatus.CANCELLED).exists()
    assert a.signups.live().count() == 2


def test_only_a_manager_of_the_activity_may_cancel_it_not_its_team_leader(world):
    leader = volunteer(world, name="队长", user=world.users["volunteer"])
    a = activity(world, team=team_led_by(world, leader))
    with pytest.raises(PermissionDenied, match="社区工作人员"):
        services.cancel_activity(a, actor=as_(world, "volunteer"), reason="下雨")
    there = activity(world, community="w1")
    with pytest.raises(PermissionDenied):
        services.cancel_activity(there, actor=as_(world, "secretary"), reason="下雨")
    assert not Activity.objects.filter(status=ActivityStatus.CANCELLED).exists()


def test_a_cancelled_activity_takes_no_sign_up_check_in_scan_or_attendance(world):
    a = activity(world, start=-0.5, length=2, capacity=5)
    mine = volunteer(world, name="本人", user=world.users["volunteer"])
    services.sign_up(a, mine, actor=SYSTEM)
    services.cancel_activity(a, actor=as_(world, "staff"), reason="台风预警")
    other = volunteer(world, name="乙")
    with pytest.raises(ValidationError, match="活动已取消（台风预警），不能报名"):
        services.sign_up(a, other, actor=SYSTEM)
    with pytest.raises(ValidationError, match="活动已取消（台风预警），不能签到"):
        services.check_in(a, mine, actor=as_(world, "volunteer"))
    with pytest.raises(ValidationError, match="活动已取消"):
        services.scan(tokens.make_token(a.pk, "in"), a, mine, actor=as_(world, "volunteer"))
    with pytest.raises(ValidationError, match="不能登记考勤"):
        services.mark_attendance(a, other, actor=as_(world, "staff"))
    with pytest.raises(ValidationError, match="不能再修改"):
        services.save_activity(Activity.objects.get(pk=a.pk), actor=as_(world, "staff"))
    assert not Attendance.objects.filter(activity=a).exists()
    assert not SignUp.objects.filter(activity=a, volunteer=other).exists()


def test_confirmed_attendance_stays_and_an_open_check_in_is_closed_at_the_cancel(world):
    a = activity(world, start=-1, length=3, capacity=5)
    done, here = volunteer(world, name="已签退"), volunteer(world, name="在场")
    for v in (done, here):
        services.sign_up(a, v, actor=SYSTEM)
        services.check_in(a, v, actor=SYSTEM, at=at(-1))
    services.check_out(a, done, actor=SYSTEM, at=at(-0.5))
    services.cancel_activity(a, actor=as_(world, "staff"), reason="下雨")
    rows = {r.volunteer.name: r for r in Attendance.objects.filter(activity=a).select_related("volunteer")}
    assert rows["已签退"].confirmed and str(rows["已签退"].hours) == "0.50"
    assert rows["在场"].confirmed and rows["在场"].hours >= 1  # served from the start until the rain
    assert services.hours_summary(here)["count"] == 1


def test_the_activity_page_offers_cancel_to_managers_and_shows_it_cancelled(world, login, full):
    a, _ = full
    client = login(world.users["volunteer"])
    assert "取消活动" not in client.get(reverse("volunteers:activity_detail", args=[a.pk])).content.decode()
    assert client.post(reverse("volunteers:activity_cancel", args=[a.pk]), {"reason": "下雨"}).status_code == 403
    client = login(world.users["staff"])
    page = client.get(reverse("volunteers:activity_detail", args=[a.pk])).content.decode()
    assert "取消活动" in page and 'name="reason"' in page
    response = client.post(reverse("volunteers:activity_cancel", args=[a.pk]), {"reason": ""})
    assert response.status_code == 400 and "请填写取消原因" in response.content.decode()
    response = client.post(reverse("volunteers:activity_cancel", args=[a.pk]), {"reason": "下雨"}, follow=True)
    page = response.content.decode()
    assert "已通知2位" in page and "已取消" in page and "原因：下雨" in page
    again = client.post(reverse("volunteers:activity_cancel", args=[a.pk]), {"reason": "下雨"})
    assert again.status_code == 400 and "不用重复取消" in again.content.decode()
    assert "已取消" in client.get(reverse("volunteers:activity_list")).content.decode()
    code = client.get(reverse("volunteers:activity_code", args=[a.pk])).content.decode()
    assert "不能再签到签退" in code and "<svg" not in code


def test_other_communities_staff_get_404_on_cancel(world, login):
    there = activity(world, community="w1")
    client = login(world.users["secretary"])
    assert client.post(reverse("volunteers:activity_cancel", args=[there.pk]), {"reason": "下雨"}).status_code == 404
    assert Activity.objects.get(pk=there.pk).status == ActivityStatus.OPEN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_cancelling_at_once_cancel_once_and_message_once(world):
    from django.db import connection

    from linli.volunteers.tests.test_signup import run_together

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: tested on PostgreSQL")
    a = activity(world, capacity=3)
    mine = volunteer(world, name="本人", user=world.users["volunteer"])
    services.sign_up(a, mine, actor=SYSTEM)
    managers = [as_(world, p) for p in ("staff", "secretary", "street_admin", "staff")]
    failures = run_together(lambda actor: services.cancel_activity(a, actor=actor, reason="下雨"), managers)
    assert len(failures) == 3 and all("不用重复取消" in str(f) for f in failures)
    assert told(world.users["volunteer"]) == 1
    assert ChangeRecord.objects.filter(object_id=a.pk, note__startswith="取消活动").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_check_ins_racing_a_cancel_leave_no_open_check_in_on_the_cancelled_activity(world):
    """Check-ins take the activity row FOR SHARE (they do not queue behind each other), the cancel FOR UPDATE:
    every check-in either commits before the cancel, which then closes it, or sees the cancel and is refused."""
    from django.db import connection

    from linli.volunteers.choices import AttendanceStatus
    from linli.volunteers.models import Attendance
    from linli.volunteers.tests.test_signup import run_together

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: tested on PostgreSQL")
    a = activity(world, start=-0.5, length=2, capacity=30)
    people = [volunteer(world, name=f"志愿者{i}") for i in range(16)]
    for p in people:
        services.sign_up(a, p, actor=SYSTEM)
    calls = [("in", p) for p in people] + [("cancel", None)]

    def act(call):
        kind, person = call
        if kind == "cancel":
            services.cancel_activity(a, actor=as_(world, "staff"), reason="暴雨预警")
        else:
            services.check_in(a, person, actor=SYSTEM)

    failures = run_together(act, calls)
    assert all("活动已取消" in str(f) for f in failures), failures
    attendances = Attendance.objects.filter(activity=a)
    assert attendances.count() == len(people) - len(failures)
    assert not attendances.filter(status=AttendanceStatus.CHECKED_IN).exists()
    assert Activity.objects.get(pk=a.pk).status == ActivityStatus.CANCELLED
