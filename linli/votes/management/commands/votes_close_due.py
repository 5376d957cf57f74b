"""`linli votes-close-due`: close the open votes whose deadline has passed, by hand or from cron."""

from django.core.management.base import BaseCommand

from linli.votes.services import close_due_votes


class Command(BaseCommand):
    help = "结束已过截止时间的表决：保存结果并公示（每10分钟由 Celery beat 运行，或用 cron 运行本命令）。"

    def handle(self, *args, **options):
        closed = close_due_votes()
        self.stdout.write(f"结束了 {len(closed)} 个已过截止时间的表决")
