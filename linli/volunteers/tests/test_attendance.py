"""QR check-in and check-out, the leader's attendance, hours arithmetic and corrections."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.testing import SYSTEM
from linli.volunteers import services, tokens
from linli.volunteers.hours import served_hours, span_hours
from linli.volunteers.models import Attendance, HoursCorrection
from linli.volunteers.tests.helpers import activity, as_, at, team_led_by, volunteer

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


def test_hours_are_the_overlap_with_the_activity_to_the_hundredth():
    assert served_hours(T0, T0 + 2 * H, T0, T0 + 2 * H) == Decimal("2.00")
    assert served_hours(T0 - H, T0 + 3 * H, T0, T0 + 2 * H) == Decimal("2.00")  # early and late: capped
    assert served_hours(T0 + 30 * M, T0 + 95 * M, T0, T0 + 2 * H) == Decimal("1.08")  # 65 minutes
    assert served_hours(T0 + 20 * M, T0 + 40 * M, T0, T0 + 2 * H) == Decimal("0.33")
    assert served_hours(T0 + 3 * H, T0 + 4 * H, T0, T0 + 2 * H) == Decimal("0")  # came after the end
    assert span_hours(T0, T0 - H) == Decimal("0")


@pytest.fixture
def running(world):
    """An activity that began half an hour ago, with the `volunteer` persona signed up."""
    a = activity(world, start=-0.5, length=2, capacity=3)
    mine = volunteer(world, name="本人", user=world.users["volunteer"])
    a.signups.create(volunteer=mine, status="confirmed", signed_up_at=at(-24))
    return a, mine


def scan_url(a, kind="in", token=None):
    return reverse("volunteers:activity_scan", args=[a.pk]) + "?t=" + (token or tokens.make_token(a.pk, kind))


def test_scanning_the_code_checks_in_then_out_and_confirms_the_hours(world, login, running):
    a, mine = running
    client = login(world.users["volunteer"])
    page = client.get(scan_url(a))
    assert page.status_code == 200 and "确认签到" in page.content.decode()
    assert not Attendance.objects.exists()  # a GET changes nothing
    response = client.post(scan_url(a))
    assert "签到成功" in response.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.method, attendance.checked_in_by) == (
        "checked_in",
        "qr",
        world.users["volunteer"],
    )
    response = client.post(scan_url(a, "out"))
    assert "签退成功" in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.confirmed and Decimal("0") <= attendance.hours <= Decimal("0.52")


def test_scanning_twice_checks_in_once(world, login, running):
    a, mine = running
    client = login(world.users["volunteer"])
    client.post(scan_url(a))
    again = client.post(scan_url(a))
    assert again.status_code == 400 and "不用重复签到" in again.content.decode()
    assert Attendance.objects.count() == 1


def test_an_expired_code_is_refused(world, login, running, monkeypatch):
    a, mine = running
    token = tokens.make_token(a.pk, "in")
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + tokens.TOKEN_SECONDS + 5)
    response = login(world.users["volunteer"]).post(scan_url(a, token=token))
    assert response.status_code == 400 and "已过期" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_code_of_another_activity_or_a_forged_one_is_refused(world, login, running):
    a, mine = running
    other = activity(world, start=-0.5, title="巡河")
    client = login(world.users["volunteer"])
    response = client.post(scan_url(a, token=tokens.make_token(other.pk, "in")))
    assert response.status_code == 400 and "不是本次活动" in response.content.decode()
    response = client.post(scan_url(a, token=tokens.make_token(a.pk, "in")[:-2] + "xx"))
    assert response.status_code == 400 and "无效" in response.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_needs_a_confirmed_sign_up_and_the_activity_time(world, running):
    a, mine = running
    waiting = volunteer(world, name="候补的")
    a.signups.create(volunteer=waiting, status="waiting", signed_up_at=at(-1))
    with pytest.raises(ValidationError, match="没有这项活动的正式报名"):
        services.check_in(a, waiting, actor=SYSTEM)
    with pytest.raises(ValidationError, match="还没开始"):
        services.check_in(a, mine, actor=SYSTEM, at=a.starts_at - 2 * H)
    with pytest.raises(ValidationError, match="已经结束"):
        services.check_in(a, mine, actor=SYSTEM, at=a.ends_at + M)
    with pytest.raises(ValidationError, match="还没有签到"):
        services.check_out(a, mine, actor=SYSTEM)


def test_someone_elses_account_cannot_check_a_volunteer_in(world, running):
    a, mine = running
    other = volunteer(world, name="别人")
    a.signups.create(volunteer=other, status="confirmed", signed_up_at=at(-1))
    with pytest.raises(PermissionDenied):
        services.check_in(a, other, actor=as_(world, "volunteer"))


def test_the_leader_marks_attendance_and_corrects_hours_with_a_reason(world, running):
    a, mine = running
    leader_record = volunteer(world, name="队长", user=None)
    team = team_led_by(world, leader_record)
    a.team = team
    a.save()
    walk_in = volunteer(world, name="临时来的")
    # The volunteer persona does not lead this team: refused.
    with pytest.raises(PermissionDenied):
        services.mark_attendance(a, walk_in, actor=as_(world, "volunteer"))
    # Staff of the community may; a walk-in gets the whole activity.
    attendance = services.mark_attendance(a, walk_in, actor=as_(world, "staff"))
    assert (attendance.status, attendance.method, attendance.hours) == ("confirmed", "leader", Decimal("2.00"))
    with pytest.raises(ValidationError, match="已确认"):
        services.mark_attendance(a, walk_in, actor=as_(world, "staff"))
    with pytest.raises(ValidationError, match="不超过活动时长"):
        services.correct_hours(attendance, "3", reason="多算", actor=as_(world, "staff"))
    with pytest.raises(ValidationError):
        services.correct_hours(attendance, "1.5", reason=" ", actor=as_(world, "staff"))
    services.correct_hours(attendance, "1.5", reason="提前一小时离开", actor=as_(world, "staff"))
    attendance.refresh_from_db()
    assert attendance.hours == Decimal("1.50")
    c = HoursCorrection.objects.get()
    assert (c.hours_before, c.hours_after, c.reason, c.corrected_by) == (
        Decimal("2.00"),
        Decimal("1.50"),
        "提前一小时离开",
        world.users["staff"],
    )


def test_a_volunteer_who_leads_the_team_shows_the_code_and_sees_masked_phones(world, login, running):
    a, mine = running
    team = team_led_by(world, mine)
    a.team = team
    a.save()
    outside = volunteer(world, name="外来的", phone="13912345678")
    a.signups.create(volunteer=outside, status="confirmed", signed_up_at=at(-1))
    client = login(world.users["volunteer"])
    code = client.get(reverse("volunteers:activity_code", args=[a.pk]))
    assert code.status_code == 200 and "<svg" in code.content.decode()
    roster = client.get(reverse("volunteers:activity_attendance", args=[a.pk])).content.decode()
    assert "139****5678" in roster and "13912345678" not in roster
    # Staff hold resident.reveal_phone and see the number.
    assert (
        "13912345678"
        in login(world.users["staff"]).get(reverse("volunteers:activity_attendance", args=[a.pk])).content.decode()
    )
    # The leader closes an open check-in from the roster.
    services.check_in(a, mine, actor=as_(world, "volunteer"))
    client = login(world.users["volunteer"])
    client.post(reverse("volunteers:activity_attendance", args=[a.pk]), {"volunteer": mine.pk})
    assert Attendance.objects.get(volunteer=mine).confirmed


def test_the_leaders_code_renews_itself_with_htmx(world, login, running):
    a, mine = running
    client = login(world.users["staff"])
    page = client.get(reverse("volunteers:activity_code", args=[a.pk])).content.decode()
    assert 'hx-trigger="every 30s"' in page and "<html" in page
    fragment = client.get(reverse("volunteers:activity_code", args=[a.pk]) + "?kind=out", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and "签退码" in body and "<svg" in body
    assert fragment["Cache-Control"].startswith("max-age=0")


def test_a_volunteer_who_does_not_lead_gets_no_code(world, login, running):
    a, mine = running
    client = login(world.users["volunteer"])
    assert client.get(reverse("volunteers:activity_code", args=[a.pk])).status_code == 403
    assert client.get(reverse("volunteers:activity_attendance", args=[a.pk])).status_code == 403


def test_correction_page_is_for_leaders(world, login, running):
    a, mine = running
    attendance = services.mark_attendance(a, mine, actor=SYSTEM)
    url = reverse("volunteers:attendance_correct", args=[attendance.pk])
    assert login(world.users["volunteer"]).get(url).status_code == 403
    assert login(world.users["secretary"]).get(url).status_code == 200
    response = login(world.users["secretary"]).post(url, {"hours": "1", "reason": "中途离开"})
    assert response.status_code == 302
    assert login(world.users["street_admin"]).get(url).status_code == 200
    assert login(world.users["grid_worker_1"]).get(url).status_code == 404
