"""The demo's rollups: thirteen months of daily figures, so that the dashboards' trends show the demo's year."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.dashboards.board import add_months, month_start
from linli.dashboards.rollup import days_between, rollup


def build_rollups(demo) -> None:
    today = timezone.localdate()
    start = add_months(month_start(today), -12)
    rollup(days_between(start, today - datetime.timedelta(days=1)), backfill=True)
