"""Volunteer tutors: a tutored session is a volunteers Activity; the tutor's hours reach their volunteer record and
the love bank as for any activity, whoever of the school records them."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from linli.afterschool import services
from linli.core.audit import actor_of
from linli.lovebank.services import volunteer_account
from linli.volunteers.models import Attendance as VolunteerAttendance
from linli.volunteers.services import hours_summary
from linli.volunteers.tests.helpers import volunteer

pytestmark = pytest.mark.django_db


def past_session(sw):
    term = sw.school["afterschool_terms"]["e1"]
    day = timezone.localdate() - datetime.timedelta(days=2)
    return services.add_sessions(term, actor=actor_of(sw.users["secretary"]), first=day, last=day, topic="作业辅导")[0]


def test_a_tutors_hours_reach_the_volunteer_record_and_the_love_bank(sw):
    tutor = volunteer(sw, name="李老师", resident=sw.residents["zhang"])
    session = past_session(sw)
    staff = actor_of(sw.users["grid_worker_2"])  # school staff, no activity.manage: acts on the school's behalf
    services.schedule_tutor(session, tutor, actor=staff)
    session.refresh_from_db()
    assert session.activity is not None and session.activity.community == sw.communities["e1"]
    attendance = services.record_tutor_hours(session, tutor, actor=staff)
    assert attendance.hours == Decimal("2.00")
    assert VolunteerAttendance.objects.get(activity=session.activity, volunteer=tutor).confirmed
    assert hours_summary(tutor)["total"] == Decimal("2.00")
    assert volunteer_account(tutor).balance > 0


def test_a_tutor_for_an_upcoming_session_is_signed_up_on_its_activity(sw):
    tutor = volunteer(sw, name="赵老师", phone="13912340000")
    term = sw.school["afterschool_terms"]["e1"]
    day = timezone.localdate() + datetime.timedelta(days=3)
    session = services.add_sessions(term, actor=actor_of(sw.users["secretary"]), first=day, last=day)[0]
    services.schedule_tutor(session, tutor, actor=actor_of(sw.users["secretary"]))
    session.refresh_from_db()
    assert session.activity.signups.filter(volunteer=tutor, status="confirmed").exists()
