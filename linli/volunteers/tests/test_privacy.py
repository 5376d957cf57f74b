"""Scope and privacy of volunteer data (issue 7's quality bar): who sees a volunteer's phone and record.

A volunteer of 东一社区 with a phone, on a team, signed up and served. Then every page, export and API
endpoint that shows volunteers is opened by people who must not see the full number or the record: a grid
worker, staff of another community, a volunteer who is not that person, and a volunteer leader (masked).
"""

import pytest
from django.urls import reverse

from linli.accounts.choices import Role
from linli.testing import SYSTEM, make_user
from linli.volunteers import services
from linli.volunteers.models import Team
from linli.volunteers.tests.helpers import activity, team_led_by, volunteer

pytestmark = pytest.mark.django_db

PHONE, MASKED = "13966667777", "139****7777"


@pytest.fixture
def guo(world):
    """郭渝凯 (outside volunteer, phone PHONE) on the 新长征 team led by the `volunteer` persona's record; an
    activity running now with 郭 checked in and a past one he served."""
    leader = volunteer(world, name="队长本人", user=world.users["volunteer"])
    team = team_led_by(world, leader)
    g = volunteer(world, name="郭渝凯", phone=PHONE)
    services.set_membership(team, g, actor=SYSTEM)
    now = activity(world, team=team, start=-0.5, title="今晚巡逻")
    services.sign_up(now, g, actor=SYSTEM)
    services.check_in(now, g, actor=SYSTEM)
    past = activity(world, team=team, start=-0.5, title="上次巡逻")
    services.sign_up(past, g, actor=SYSTEM)
    services.mark_attendance(past, g, actor=SYSTEM)
    return {"volunteer": g, "team": team, "activity": now, "past": past}


def pages(objs) -> list[str]:
    v, a = objs["volunteer"], objs["activity"]
    return [
        reverse("volunteers:volunteer_list"),
        reverse("volunteers:volunteer_detail", args=[v.pk]),
        reverse("volunteers:certificate", args=[v.pk]),
        reverse("volunteers:volunteer_edit", args=[v.pk]),
        reverse("volunteers:team_detail", args=[objs["team"].pk]),
        reverse("volunteers:activity_detail", args=[a.pk]),
        reverse("volunteers:activity_attendance", args=[a.pk]),
        reverse("volunteers:hours_report") + "?year=2026",
        "/api/volunteers/hours",
        f"/api/volunteers/activities/{a.pk}",
    ]


@pytest.fixture
def west_staff(world):
    return make_user("west_staff", Role.STAFF, world.communities["w1"])


def test_other_communities_staff_see_neither_the_record_nor_the_phone(world, client, guo, west_staff):
    client.force_login(west_staff)
    for url in pages(guo):
        response = client.get(url)
        body = response.content.decode()
        assert PHONE not in body and MASKED not in body and "郭渝凯" not in body, url
        assert response.status_code in (200, 404), url  # lists and reports: empty; one record: not found
    for url in pages(guo)[1:7]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["grid_worker_1", "grid_worker_2", "dept_handler", "resident"])
def test_roles_without_volunteer_permissions_get_403_and_no_data(world, client, guo, persona):
    client.force_login(world.users[persona])
    for url in pages(guo):
        response = client.get(url)
        assert response.status_code == 403, url
        assert PHONE not in response.content.decode() and "郭渝凯" not in response.content.decode(), url


def test_a_volunteer_who_is_not_the_person_sees_no_record_and_no_phone(world, client, guo):
    other = make_user("other_volunteer", Role.VOLUNTEER, world.communities["e1"])
    volunteer(world, name="另一位志愿者", user=other)
    client.force_login(other)
    v = guo["volunteer"]
    for name in ("volunteer_detail", "certificate"):
        assert client.get(reverse(f"volunteers:{name}", args=[v.pk])).status_code == 404
    for name in ("volunteer_list", "volunteer_edit", "team_detail", "hours_report"):
        args = [] if name in ("volunteer_list", "hours_report") else [guo["team"].pk if name == "team_detail" else v.pk]
        assert client.get(reverse(f"volunteers:{name}", args=args)).status_code == 403, name
    # The activity is public to the community's volunteers: counts, never the roster.
    page = client.get(reverse("volunteers:activity_detail", args=[guo["activity"].pk])).content.decode()
    assert "今晚巡逻" in page and "郭渝凯" not in page and PHONE not in page and MASKED not in page
    assert client.get(reverse("volunteers:activity_attendance", args=[guo["activity"].pk])).status_code == 403
    hours = client.get("/api/volunteers/hours").json()["volunteers"]
    assert [r["name"] for r in hours] == []  # only their own record, which served no hours
    assert "郭渝凯" not in client.get(f"/api/volunteers/activities/{guo['activity'].pk}").content.decode()


def test_the_volunteer_sees_their_own_phone_in_full(world, client, guo):
    from linli.accounts.models import User

    own = User.objects.create_user(username="guo", password="x-Pass-2026", role=Role.VOLUNTEER)
    v = guo["volunteer"]
    v.user = own
    services.save_volunteer(v, actor=SYSTEM)
    client.force_login(own)
    page = client.get(reverse("volunteers:volunteer_detail", args=[v.pk])).content.decode()
    assert PHONE in page
    assert client.get(reverse("volunteers:certificate", args=[v.pk])).status_code == 200


def test_a_leader_reads_the_roster_with_phones_masked(world, client, guo):
    client.force_login(world.users["volunteer"])  # leads the team, has no resident.reveal_phone
    for url in (
        reverse("volunteers:activity_detail", args=[guo["activity"].pk]),
        reverse("volunteers:activity_attendance", args=[guo["activity"].pk]),
    ):
        body = client.get(url).content.decode()
        assert "郭渝凯" in body and MASKED in body and PHONE not in body, url
    # Leading a team does not open the members' records or the team page.
    assert client.get(reverse("volunteers:volunteer_detail", args=[guo["volunteer"].pk])).status_code == 404
    assert client.get(reverse("volunteers:team_detail", args=[guo["team"].pk])).status_code == 403


def test_the_certificate_and_record_of_another_community_are_404_even_for_a_street_admin(world, client):
    west = volunteer(world, name="西一志愿者", community="w1", phone=PHONE)
    client.force_login(world.users["street_admin"])  # 东街
    for name in ("volunteer_detail", "certificate", "volunteer_edit"):
        response = client.get(reverse(f"volunteers:{name}", args=[west.pk]))
        assert response.status_code == 404 and PHONE not in response.content.decode(), name
    assert "西一志愿者" not in client.get(reverse("volunteers:volunteer_list")).content.decode()
    team = services.save_team(Team(community=world.communities["w1"], name="西一队"), actor=SYSTEM)
    assert client.get(reverse("volunteers:team_detail", args=[team.pk])).status_code == 404
