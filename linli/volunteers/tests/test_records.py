"""A volunteer's record: hours by year and type, the certificate, scope and privacy."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.models import ChangeRecord
from linli.volunteers import services
from linli.volunteers.models import Activity, Attendance, Team, Volunteer
from linli.volunteers.tests.helpers import as_, volunteer

pytestmark = pytest.mark.django_db


def served(world, v, *, year, month=6, kind="patrol", hours=2):
    start = timezone.make_aware(datetime.datetime(year, month, 1, 9, 0))
    a = Activity.objects.create(
        community=v.community,
        title=f"{year}年{kind}",
        kind=kind,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="社区",
        capacity=10,
    )
    return Attendance.objects.create(
        activity=a, volunteer=v, status="confirmed", method="leader", hours=Decimal(hours), confirmed_at=start
    )


def test_hours_are_summed_by_year_and_type_from_confirmed_attendance_only(world):
    v = volunteer(world, name="夏谋阶")
    served(world, v, year=2025, kind="patrol", hours=2)
    served(world, v, year=2025, kind="patrol", hours="1.5")
    served(world, v, year=2025, kind="river_patrol", hours=3)
    served(world, v, year=2026, kind="cleaning", hours=1)
    open_one = served(world, v, year=2026, kind="cleaning", hours=0)
    open_one.status = "checked_in"
    open_one.save()
    summary = services.hours_summary(v)
    assert summary["total"] == Decimal("7.5") and summary["count"] == 4
    assert [(y["year"], y["hours"], y["n"]) for y in summary["years"]] == [(2026, 1, 1), (2025, Decimal("6.5"), 3)]
    kinds = {k["kind"]: k["hours"] for k in summary["years"][1]["kinds"]}
    assert kinds == {"巡逻": Decimal("3.5"), "巡河": Decimal("3")}
    assert services.hours_summary(v, 2025)["total"] == Decimal("6.5")
    assert set(services.confirmed_attendances().values_list("hours", flat=True)) == {
        Decimal("2"),
        Decimal("1.5"),
        Decimal("3"),
        Decimal("1"),
    }


def test_the_certificate_is_an_a4_page_with_the_years_hours(world, login):
    v = volunteer(world, name="夏谋阶", user=world.users["volunteer"])
    served(world, v, year=2025, hours=2)
    served(world, v, year=2026, kind="performance", hours=3)
    client = login(world.users["volunteer"])
    page = client.get(reverse("volunteers:certificate", args=[v.pk])).content.decode()
    assert "志愿服务时长证明" in page and "夏谋阶" in page and "累计服务时长 <b>5.0</b> 小时" in page
    assert "volunteers/volunteers.css" in page and "data-print" in page
    page = client.get(reverse("volunteers:certificate", args=[v.pk]) + "?year=2026").content.decode()
    assert "于2026年度" in page and "累计服务时长 <b>3.0</b> 小时" in page and "文艺演出" in page


def test_a_volunteer_sees_only_their_own_record(world, login):
    mine = volunteer(world, name="本人", user=world.users["volunteer"])
    other = volunteer(world, name="别人", phone="13911112222")
    assert list(Volunteer.objects.restrict(world.users["volunteer"])) == [mine]
    client = login(world.users["volunteer"])
    assert client.get(reverse("volunteers:my_record")).url == reverse("volunteers:volunteer_detail", args=[mine.pk])
    assert client.get(reverse("volunteers:volunteer_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("volunteers:certificate", args=[other.pk])).status_code == 404
    assert client.get(reverse("volunteers:volunteer_list")).status_code == 403


def test_a_volunteer_sees_only_the_activities_of_their_communities(world, login):
    from linli.volunteers.tests.helpers import activity

    here = activity(world, title="东一巡逻")
    there = activity(world, community="w1", title="西一巡河")
    client = login(world.users["volunteer"])
    assert "东一巡逻" not in client.get(reverse("volunteers:activity_list")).content.decode()  # not registered yet
    volunteer(world, name="本人", user=world.users["volunteer"])
    page = client.get(reverse("volunteers:activity_list")).content.decode()
    assert "东一巡逻" in page and "西一巡河" not in page
    assert client.get(reverse("volunteers:activity_detail", args=[there.pk])).status_code == 404
    assert client.get(reverse("volunteers:activity_detail", args=[here.pk])).status_code == 200


def test_outside_volunteers_phones_are_masked_without_reveal_phone(world, login, settings):
    v = volunteer(world, name="外来的", phone="139 1234 5678")
    assert v.phone == "13912345678"
    assert (
        login(world.users["staff"]).get(reverse("volunteers:volunteer_list")).content.decode().count("13912345678") == 1
    )
    from linli.accounts import roles

    # A role with volunteer.view but without resident.reveal_phone (none ships today) sees the masked number.
    settings_perms = dict(roles.ROLE_PERMISSIONS)
    try:
        roles.ROLE_PERMISSIONS["staff"] = frozenset(settings_perms["staff"] - {"resident.reveal_phone"})
        page = login(world.users["staff"]).get(reverse("volunteers:volunteer_list")).content.decode()
        assert "139****5678" in page and "13912345678" not in page
        page = login(world.users["staff"]).get(reverse("volunteers:volunteer_detail", args=[v.pk])).content.decode()
        assert "13912345678" not in page
    finally:
        roles.ROLE_PERMISSIONS.update(settings_perms)
    # The change log keeps it masked too.
    changes = ChangeRecord.objects.filter(object_repr="外来的").values_list("changes", flat=True)
    assert all("13912345678" not in str(c) for c in changes) and any("139****5678" in str(c) for c in changes)


def test_a_resident_volunteer_takes_name_and_community_from_the_registry(world):
    zhang = world.residents["zhang"]
    v = services.save_volunteer(
        Volunteer(community=world.communities["e2"], resident=zhang, skills="修自行车"), actor=as_(world, "staff")
    )
    assert (v.name, v.community, v.phone, v.contact_phone) == ("张三", world.communities["e1"], "", zhang.phone)
    from django.core.exceptions import ValidationError

    sun = world.residents["sun"]  # 西一社区: outside the staff's scope
    with pytest.raises(ValidationError):
        services.save_volunteer(Volunteer(community=world.communities["e1"], resident=sun), actor=as_(world, "staff"))


def test_managers_register_volunteers_and_teams_through_the_pages(world, login):
    client = login(world.users["secretary"])
    response = client.post(
        reverse("volunteers:volunteer_add"),
        {
            "community": world.communities["e1"].pk,
            "name": "郭渝凯",
            "phone": "13800001111",
            "skills": "游泳",
            "joined_on": "2026-01-05",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    v = Volunteer.objects.get(name="郭渝凯")
    response = client.post(reverse("volunteers:team_add"), {"community": world.communities["e1"].pk, "name": "江小团"})
    assert response.status_code == 302
    team = Team.objects.get(name="江小团")
    client.post(reverse("volunteers:team_detail", args=[team.pk]), {"volunteer": v.pk, "is_leader": "on"})
    assert team.memberships.get().is_leader
    start = timezone.localtime() + datetime.timedelta(days=1)
    response = client.post(
        reverse("volunteers:activity_add"),
        {
            "community": world.communities["e1"].pk,
            "team": team.pk,
            "title": "防溺水巡河",
            "kind": "river_patrol",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "孔目江",
            "capacity": "10",
            "notice": "招募10名志愿者",
        },
    )
    assert response.status_code == 302, response.content.decode()
    a = Activity.objects.get(title="防溺水巡河")
    assert a.created_by == world.users["secretary"]
    client.post(reverse("volunteers:activity_signup", args=[a.pk]), {"volunteer": v.pk})
    assert a.signups.get().signed_up_by == world.users["secretary"]
    # A secretary of 东一 cannot publish in 西一.
    services_error = client.post(reverse("volunteers:activity_add"), {"community": world.communities["w1"].pk})
    assert services_error.status_code == 200 and not Activity.objects.filter(community=world.communities["w1"]).exists()


def test_list_pages_take_the_same_queries_for_many_rows(world, login):
    from linli.volunteers.tests.helpers import activity

    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client = login(world.users["secretary"])
    urls = [reverse(n) for n in ("volunteers:activity_list", "volunteers:volunteer_list", "volunteers:team_list")]
    volunteer(world, name="一")
    activity(world)
    [count(u) for u in urls]  # warm: the first request of a session reads more
    before = [count(u) for u in urls]
    for i in range(10):
        v = volunteer(world, name=f"多{i}", phone="13800001111")
        a = activity(world, title=f"活动{i}")
        services.sign_up(a, v, actor=as_(world, "secretary"))
    assert [count(u) for u in urls] == before
