"""Two workers at once (PostgreSQL: row locks and SKIP LOCKED): together they keep the minute's rate and never send
one message twice."""

import threading
from unittest import mock

import pytest
from django.db import connection

from linli.channels.models import ChannelSettings, Outbound
from linli.channels.sender import send_due
from linli.channels.testing import queue_sms
from linli.channels.tests.conftest import at

sent: list[str] = []
lock = threading.Lock()


class CountingBackend:
    def send_template(self, phone, template, params, text=""):
        with lock:
            sent.append(phone)
        return f"SN-{phone}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_share_one_minutes_budget_and_send_each_message_once(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: tested on PostgreSQL")
    settings.LINLI_SMS_BACKEND = "linli.channels.tests.test_two_workers.CountingBackend"
    sent.clear()
    e1 = world.communities["e1"]
    ChannelSettings.objects.create(community=e1, sms_per_minute=10)
    with mock.patch("linli.channels.services._start"):  # committed here: the on-commit start would send at once
        dispatch = queue_sms(e1, [f"1390000{n:04d}" for n in range(30)])
    barrier = threading.Barrier(2)
    failures = []

    def worker(now):
        from django.db import connections

        try:
            barrier.wait()
            send_due(now=now)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    for minute in (0, 1):
        threads = [threading.Thread(target=worker, args=(at(10, minute),)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert failures == []
        assert len(sent) == 10 * (minute + 1)  # the budget of each minute, not twice it
    assert len(set(sent)) == len(sent) == 20
    dispatch.refresh_from_db()
    assert (dispatch.sent, dispatch.status) == (20, "sending")
    assert Outbound.objects.filter(dispatch=dispatch, status="pending").count() == 10
