"""`linli visits-sweep`: the daily overdue sweep, by hand or from cron."""

from django.core.management.base import BaseCommand

from linli.core.cli import date_option
from linli.visits.notify import notify_overdue
from linli.visits.services import sweep_overdue


class Command(BaseCommand):
    help = "统计各网格逾期未走访的居民，为逾期超过一个走访周期的居民建立提醒，并给网格员和社区书记发消息。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天统计（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        today = date_option(date)
        report = sweep_overdue(today=today)
        sent = notify_overdue(report.today)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"发送消息 {sent} 条（网格员：本网格逾期人数；社区书记：逾期超过一个周期的人数）")
