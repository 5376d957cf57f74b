"""`linli wishes-remind`: the daily sweep of wish claims that have waited too long, by hand or from cron."""

from django.core.management.base import BaseCommand, CommandError

from linli.core.cli import date_option
from linli.wishes.notify import remind_days, remind_overdue_claims


class Command(BaseCommand):
    help = "提醒认领超过设定天数（LINLI_WISH_CLAIM_REMIND_DAYS，默认14天）仍未实现的心愿的认领人，并告知社区工作人员。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD），默认今天")
        parser.add_argument("--days", type=int, help="认领超过多少天算超期，默认取设置")

    def handle(self, *args, date=None, days=None, **options):
        today = date_option(date)
        if days is not None and days < 1:
            raise CommandError("天数必须是大于0的整数。")
        days = remind_days() if days is None else days
        claims, sent = remind_overdue_claims(today=today, days=days)
        self.stdout.write(f"认领超过{days}天未实现的心愿：新提醒 {claims} 个，发送消息 {sent} 条")
