"""The daily overdue sweep: counts per grid and alerts for residents more than one interval late."""

import io
import sys

import pytest
from django.core.management import call_command

from linli.visits.models import VisitAlert
from linli.visits.tasks import visits_sweep
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db
# linli.__main__.main (the dashed command name) closes the database connection when it ends, as a command should:
# a world shared through one open transaction for the module would go with it (conftest.py _module_world).
SHARED_WORLD = False


def make_overdue(world):
    visit(world.residents["zhang"], -20)  # 7-day interval: 13 days overdue, more than one interval
    visit(world.residents["chen"], -10)  # 3 days overdue
    visit(world.residents["wang"], -16)  # 14-day interval: 2 days overdue


def test_the_sweep_prints_per_grid_counts_and_alerts_the_long_overdue_once(world):
    make_overdue(world)
    out = io.StringIO()
    call_command("visits_sweep", stdout=out)
    lines = out.getvalue().splitlines()
    assert "东一社区 东一第1网格：逾期 2 人，超过一个走访周期 1 人" in lines
    assert "东一社区 东一第2网格：逾期 1 人，超过一个走访周期 0 人" in lines
    assert "新建提醒 1 条" in lines
    alert = VisitAlert.objects.get()
    assert (alert.resident_id, alert.get_reason_display()) == (world.residents["zhang"].pk, "逾期超过一个走访周期")
    call_command("visits_sweep", stdout=io.StringIO())
    assert VisitAlert.objects.count() == 1  # an unresolved alert is not repeated
    VisitAlert.objects.update(resolved=True)
    assert "新建提醒 1 条" in visits_sweep()  # the Celery task runs the same sweep


def test_the_sweep_reports_nothing_when_nobody_is_overdue(world):
    out = io.StringIO()
    call_command("visits_sweep", stdout=out)
    assert "没有逾期未走访的居民。" in out.getvalue()
    assert not VisitAlert.objects.exists()


def test_the_dashed_command_name_works(world, monkeypatch, capsys):
    from linli.__main__ import main

    make_overdue(world)
    monkeypatch.setattr(sys, "argv", ["linli", "visits-sweep"])
    main()
    assert "新建提醒 1 条" in capsys.readouterr().out


def test_the_sweep_tells_each_grid_worker_about_their_grid_and_the_secretary_about_the_long_overdue(world):
    from linli.notifications.models import Notification

    make_overdue(world)
    out = io.StringIO()
    call_command("visits_sweep", stdout=out)
    assert "发送消息 3 条" in out.getvalue()
    users = world.users
    (w1,) = Notification.objects.filter(user=users["grid_worker_1"])
    assert w1.title == "今日走访：您负责的网格有 2 位居民逾期未走访，其中超过一个走访周期 1 人"
    assert w1.url == "/visits/"
    (w2,) = Notification.objects.filter(user=users["grid_worker_2"])
    assert w2.title == "今日走访：您负责的网格有 1 位居民逾期未走访"
    (sec,) = Notification.objects.filter(user=users["secretary"])
    assert sec.title == "走访逾期：1 位居民逾期超过一个走访周期"
    # Nobody outside the community hears of it; a second run the same day tells nobody twice.
    assert not Notification.objects.exclude(
        user__in=[users["grid_worker_1"], users["grid_worker_2"], users["secretary"]]
    )
    assert "发送消息 0 条" in visits_sweep()[-1]


def test_three_misses_in_a_row_tell_the_secretary(world):
    from linli.notifications.models import Notification

    zhang = world.residents["zhang"]
    for days in (-5, -3, -1):
        visit(zhang, days, outcome="not_home")
    (note,) = Notification.objects.filter(user=world.users["secretary"])
    assert note.title.startswith(f"走访提醒：{zhang.name}")
    assert "连续三次不在家" in note.title
    assert not Notification.objects.filter(user=world.users["grid_worker_2"]).exists()
