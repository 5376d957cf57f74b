"""The demo step on the small world: a school, a term with a waiting list, a week of sessions with sign-ins and
sign-outs (one override, one late pick-up), tutors with hours."""

import datetime
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from linli.afterschool.demo import demo_step
from linli.afterschool.models import Attendance, Enrolment, ReleaseOverride, School
from linli.afterschool.testing import make_child
from linli.volunteers.models import Attendance as VolunteerAttendance
from linli.volunteers.models import Team, TeamMembership
from linli.volunteers.tests.helpers import volunteer

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_school_with_a_waiting_list_a_week_and_tutors(world, monkeypatch):
    monkeypatch.setattr("linli.afterschool.demo.CHILDREN", 6)
    monkeypatch.setattr("linli.afterschool.demo.CAPACITY", 5)
    for i in range(6):
        make_child(world.buildings["b2"], f"演示孩子{i}", room="301" if i < 3 else "302", seq=80 + i, age=7 + i)
    team = Team.objects.create(community=world.communities["e1"], name="妈妈帮帮团")
    TeamMembership.objects.create(team=team, volunteer=volunteer(world, name="刘妈妈", phone="13912345670"))
    users = {"shuji": world.users["secretary"], "shequ": world.users["staff"]}
    today = timezone.localdate()
    lines = []
    demo_step(SimpleNamespace(today=today, community=world.communities["e1"], users=users,
                              rng=lambda name: random.Random(name), log=lines.append))  # fmt: skip
    school = School.objects.get()
    assert set(school.staff.all()) == {world.users["staff"]}
    assert Enrolment.objects.filter(status="enrolled").count() == 5
    assert Enrolment.objects.filter(status="waiting").count() == 1
    assert Attendance.objects.filter(session__date__lt=today).exists()
    if today.weekday() >= 1 or Attendance.objects.filter(session__date__lt=today - datetime.timedelta(days=1)).exists():
        assert ReleaseOverride.objects.filter(approved_by=world.users["secretary"]).count() == 1
        assert VolunteerAttendance.objects.filter(volunteer__name="刘妈妈", status="confirmed").exists()
