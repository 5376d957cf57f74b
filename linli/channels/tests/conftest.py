import datetime
import zoneinfo

import pytest

from linli.channels import wechat
from linli.tracking import sms

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(hour, minute=0, second=0, day=7):
    """A moment of 2026-12-<day>, local (Beijing) time: the tests' frozen clock."""
    return datetime.datetime(2026, 12, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def outboxes(settings):
    """Sending goes to the in-memory backends; both outboxes start empty."""
    settings.LINLI_WECHAT_BACKEND = "linli.channels.wechat.LocMemBackend"
    settings.LINLI_SMS_BACKEND = "linli.tracking.sms.LocMemBackend"
    wechat.outbox.clear()
    sms.outbox.clear()
    yield wechat.outbox, sms.outbox
    wechat.outbox.clear()
    sms.outbox.clear()
