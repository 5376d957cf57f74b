"""The daily overdue sweep: counts per grid and alerts for residents more than one interval late."""

import io
import sys

import pytest
from django.core.management import call_command

from linli.visits.models import VisitAlert
from linli.visits.tasks import visits_sweep
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db


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
    assert lines[-1] == "新建提醒 1 条"
    alert = VisitAlert.objects.get()
    assert (alert.resident_id, alert.get_reason_display()) == (world.residents["zhang"].pk, "逾期超过一个走访周期")
    call_command("visits_sweep", stdout=io.StringIO())
    assert VisitAlert.objects.count() == 1  # an unresolved alert is not repeated
    VisitAlert.objects.update(resolved=True)
    assert visits_sweep()[-1] == "新建提醒 1 条"  # the Celery task runs the same sweep


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
