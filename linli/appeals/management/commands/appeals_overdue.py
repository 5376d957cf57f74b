"""`linli appeals-overdue`: the hourly deadline sweep of appeals, by hand or from cron (Celery beat runs it too)."""

from django.core.management.base import BaseCommand

from linli.appeals.services import flag_overdue


class Command(BaseCommand):
    help = (
        "检查超过当前环节时限（签收、办结、回访）的诉求，给承办人（或社区）和社区书记发超期提醒。每个时限只提醒一次。"
    )

    def handle(self, *args, **options):
        count = flag_overdue()
        self.stdout.write(f"本次新发现超期诉求 {count} 件，已发送超期提醒。" if count else "没有新的超期诉求。")
