"""`linli sweep-imports`: delete uploaded ledgers unused for LINLI_IMPORT_FILE_HOURS (hourly: Celery beat or cron)."""

from django.core.management.base import BaseCommand

from linli.ledgers.services import sweep_import_files


class Command(BaseCommand):
    help = "删除超过设定时间（LINLI_IMPORT_FILE_HOURS，默认24小时）未使用的导入文件（其中有明文身份证号码）。"

    def handle(self, *args, **options):
        self.stdout.write(f"已删除导入文件 {sweep_import_files()} 个")
