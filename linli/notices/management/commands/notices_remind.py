"""`linli notices-remind`: the daily reminder of households not yet told of a must-confirm notice, by hand or from
cron."""

from django.core.management.base import BaseCommand

from linli.core.cli import date_option
from linli.notices.reminders import remind_confirmations


class Command(BaseCommand):
    help = "提醒网格员：须确认送达的通知明天截止，负责网格里还有住户未告知的，每人每条通知提醒一次。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        notices, sent = remind_confirmations(today=date_option(date))
        self.stdout.write(f"通知确认提醒：明天截止的通知 {notices} 条，发送提醒 {sent} 条")
