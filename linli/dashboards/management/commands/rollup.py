"""`linli rollup [--date D | --since D]`: count the dashboards' figures into the daily rollup (linli.dashboards)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linli.core.cli import date_option
from linli.dashboards.rollup import days_between, nightly, rollup


class Command(BaseCommand):
    help = "统计数据看板的每日指标：不带参数时同每晚的定时任务（昨天，及本月和上月的流量指标）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="只统计这一天（YYYY-MM-DD）")
        parser.add_argument("--since", help="从这一天统计到昨天（YYYY-MM-DD），可回溯的存量指标逐日重算")

    def handle(self, *args, **options):
        day = date_option(options["date"])
        since = date_option(options["since"])
        if day and since:
            raise CommandError("--date 和 --since 只能选一个。")
        today = timezone.localdate()
        if day:
            if day > today:
                raise CommandError("不能统计将来的日期。")
            report = rollup([day], backfill=True)
        elif since:
            yesterday = today - datetime.timedelta(days=1)
            if since > yesterday:
                raise CommandError("--since 应早于今天。")
            report = rollup(days_between(since, yesterday), backfill=True)
        else:
            report = nightly()
        for line in report.lines():
            self.stdout.write(line)
