"""Tracking fixtures: the appeals world (organisations bound in 东一社区), a test SMS outbox, a clean cache."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from linli.appeals.tests.conftest import aw  # noqa: F401  (the appeals world fixture)
from linli.tracking import sms


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.LINLI_SMS_BACKEND = "linli.tracking.sms.LocMemBackend"
    sms.outbox.clear()
    cache.clear()  # rate-limit windows and codes live in the cache
    yield sms.outbox
    sms.outbox.clear()
    cache.clear()


def last_code(outbox) -> str:
    return re.search(r"验证码是(\d{6})", outbox[-1].text).group(1)
