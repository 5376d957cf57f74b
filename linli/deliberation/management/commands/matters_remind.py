"""`linli matters-remind`: the daily reminder of follow-up tasks due or overdue, by hand or from cron."""

from django.core.management.base import BaseCommand

from linli.core.cli import date_option
from linli.deliberation.services import remind_tasks


class Command(BaseCommand):
    help = "提醒落实任务的负责人：明天到期的提醒一次，超期的再告知负责人和布置人一次。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        tasks, sent = remind_tasks(today=date_option(date))
        self.stdout.write(f"落实任务：提醒 {tasks} 项，发送消息 {sent} 条")
