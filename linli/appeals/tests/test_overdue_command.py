"""`linli appeals-overdue`: the hourly deadline sweep, by hand, from cron or from Celery beat."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from linli.__main__ import DASHED_COMMANDS
from linli.appeals import services
from linli.appeals.choices import EventAction
from linli.appeals.models import AppealEvent
from linli.appeals.tasks import appeals_overdue
from linli.appeals.tests.conftest import new_appeal
from linli.notifications.models import Notification
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def _dispatched_long_ago(aw, monkeypatch, days=10):
    then = timezone.now() - datetime.timedelta(days=days)
    monkeypatch.setattr(services, "_now", lambda: then)
    a = new_appeal(aw, received_at=then)
    a = services.dispatch(a, aw.units["property"], actor=SYSTEM)
    monkeypatch.undo()
    return a


def test_it_flags_overdue_appeals_once_and_says_how_many(aw, monkeypatch):
    a = _dispatched_long_ago(aw, monkeypatch)
    new_appeal(aw)  # waiting for dispatch: no deadline yet
    out = io.StringIO()
    call_command("appeals_overdue", stdout=out)
    assert "超期诉求 1 件" in out.getvalue()
    assert AppealEvent.objects.filter(appeal=a, action=EventAction.OVERDUE).count() == 1
    handler = aw.users["dept_handler"]
    assert Notification.objects.filter(user=handler, title__startswith="超期未签收").count() == 1

    out = io.StringIO()
    call_command("appeals_overdue", stdout=out)  # the next hour: the same deadline is not flagged again
    assert "没有新的超期诉求" in out.getvalue()
    assert AppealEvent.objects.filter(appeal=a, action=EventAction.OVERDUE).count() == 1


def test_the_celery_task_and_the_dashed_name_run_the_same_sweep(aw, monkeypatch):
    _dispatched_long_ago(aw, monkeypatch)
    assert appeals_overdue.delay().get() == 1  # eager without Redis
    assert DASHED_COMMANDS["appeals-overdue"] == "appeals_overdue"
    entry = settings.CELERY_BEAT_SCHEDULE["appeals-overdue"]
    assert entry["task"] == "linli.appeals.tasks.appeals_overdue"
    assert entry["schedule"].hour == set(range(24))  # every hour
