"""`linli channels-send`: send the queued WeChat group and SMS messages that are due (from cron every minute where
there is no Redis; Celery beat runs the same every minute)."""

from django.core.management.base import BaseCommand

from linli.channels.sender import send_due


class Command(BaseCommand):
    help = "发送到期的企业微信群消息和短信（遵守免打扰时段和频率限制；无 Redis 时由 cron 每分钟运行）。"

    def handle(self, *args, **options):
        report = send_due()
        line = (
            f"已发送 {report.sent} 条，失败 {report.failed} 条，待重试 {report.retrying} 条，剩余 {report.remaining} 条"
        )
        if report.quiet:
            line += "（免打扰时段，部分消息等到早上发送）"
        self.stdout.write(line)
