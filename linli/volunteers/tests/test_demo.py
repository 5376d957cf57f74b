"""`linli demo` for volunteering: the seeds' five teams in 青和居, 200 members, 60 activities, zhiyuan's hours."""

from decimal import Decimal

import pytest
from django.urls import reverse

from linli.accounts.models import User
from linli.volunteers import services
from linli.volunteers.models import Activity, Attendance, SignUp, Team, Volunteer


def test_the_demo_has_the_seeds_teams_members_and_activities(qinghe):
    teams = Team.objects.filter(community=qinghe)
    assert teams.count() == 5 and {"妈妈帮帮团", "天天敲门组"} <= set(teams.values_list("name", flat=True))
    assert Volunteer.objects.filter(community=qinghe).count() == 201  # 200 residents and zhiyuan
    # the volunteers step's 60; the 四点半学校's tutored sessions are activities too (linli.afterschool: 四点半学校辅导)
    assert Activity.objects.filter(community=qinghe).exclude(title__startswith="四点半学校").count() == 60
    for a in Activity.objects.filter(community=qinghe):
        assert a.signups.filter(status="confirmed").count() <= a.capacity
        for att in a.attendances.all():
            assert Decimal("0") <= att.hours <= a.duration_hours
    assert not Attendance.objects.exclude(volunteer__in=SignUp.objects.values("volunteer")).exists()


def test_zhiyuan_leads_xinchangzheng_and_has_hours(qinghe, client):
    user = User.objects.get(username="zhiyuan")
    mine = Volunteer.objects.get(user=user)
    assert mine.memberships.get().is_leader and "新长征" in mine.memberships.get().team.name
    assert services.hours_summary(mine)["total"] > 0
    client.force_login(user)
    response = client.get(reverse("volunteers:my_record"), follow=True)
    assert "累计服务小时" in response.content.decode()
    assert client.get(reverse("volunteers:activity_list")).status_code == 200


pytestmark = pytest.mark.django_db
