"""`linli party-remind`: tell branch secretaries a week before a period closes of the 三会一课 still not held, by
hand or from cron (each branch, kind and period is reminded once)."""

from django.core.management.base import BaseCommand

from linli.core.cli import date_option
from linli.party.services_life import remind_due


class Command(BaseCommand):
    help = "提醒支部书记：本月或本季度即将结束（7天内）仍未开展的三会一课（每项只提醒一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        due, sent = remind_due(date_option(date))
        self.stdout.write(f"即将到期未开展 {due} 项，发送提醒 {sent} 条")
