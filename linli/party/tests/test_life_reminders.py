"""The reminder a week before a period closes: to the branch secretary, once, only for what is not held."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from linli.notifications.models import Notification
from linli.party.services import record_meeting
from linli.party.services_life import remind_due
from linli.party.tasks import party_remind
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

D = datetime.date


def titles(user):
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_a_week_before_the_month_closes_the_secretary_hears_of_what_is_not_held(pw):
    worker = pw.users["grid_worker_1"]
    assert remind_due(D(2026, 11, 22)) == (0, 0)  # 8 days before 30 November
    due, sent = remind_due(D(2026, 11, 23))
    assert titles(worker) == [
        "东一第1网格党支部：2026年11月的主题党日尚未开展",
        "东一第1网格党支部：2026年11月的党小组会尚未开展",
    ]  # the 支部委员会 was held on 10 November; the quarterly kinds close on 31 December
    assert sent == 4  # and two to the community organisation's secretary (its own 支部委员会, 主题党日)
    assert due >= 2  # branches without a secretary account are counted, not told
    note = Notification.objects.filter(user=worker).first()
    assert note.url.startswith("/party/meetings/add/?org=")


def test_nobody_is_reminded_twice_for_the_same_period(pw):
    remind_due(D(2026, 11, 23))
    assert remind_due(D(2026, 11, 24))[1] == 0
    assert Notification.objects.filter(user=pw.users["grid_worker_1"]).count() == 2


def test_a_kind_held_before_the_reminder_is_not_reminded(pw):
    record_meeting(pw.orgs["e1"], actor=SYSTEM, kind="theme_day", held_on=D(2026, 11, 20), topic="主题党日")
    remind_due(D(2026, 11, 25))
    assert titles(pw.users["grid_worker_1"]) == ["东一第1网格党支部：2026年11月的党小组会尚未开展"]


def test_quarterly_kinds_are_reminded_in_the_last_week_of_the_quarter(pw):
    remind_due(D(2026, 12, 24))
    told = titles(pw.users["grid_worker_1"])
    assert "东一第1网格党支部：2026年第4季度的支部党员大会尚未开展" in told
    assert "东一第1网格党支部：2026年第4季度的党课尚未开展" in told
    assert "东一第1网格党支部：2026年12月的支部委员会尚未开展" in told


def test_the_community_secretary_hears_of_their_own_organisation_not_of_the_branches(pw):
    remind_due(D(2026, 11, 23))
    assert all(t.startswith("东一社区党委") for t in titles(pw.users["secretary"]))


def test_the_command_and_the_task_run_the_same_reminder(pw):
    out = StringIO()
    call_command("party_remind", "--date", "2026-11-23", stdout=out)
    # 东一第1网格党支部: 主题党日, 党小组会; 东一社区党委 (the secretary persona): 支部委员会, 主题党日
    assert "发送提醒 4 条" in out.getvalue()
    call_command("party_remind", "--date", "2026-11-23", stdout=out)
    assert "发送提醒 0 条" in out.getvalue()
    assert party_remind.delay().get().startswith("即将到期未开展")
