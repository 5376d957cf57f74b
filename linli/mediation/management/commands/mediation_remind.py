"""`linli mediation-remind`: tell mediators of the agreements whose follow-up (回访) is due, by hand or from cron."""

from django.core.management.base import BaseCommand

from linli.core.cli import date_option
from linli.mediation.services import remind_follow_ups


class Command(BaseCommand):
    help = "提醒调解员回访到期的调解协议（每个回访只提醒一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        due, sent = remind_follow_ups(date_option(date))
        self.stdout.write(f"到期回访 {due} 个，发送消息 {sent} 条")
