"""`linli export-hotline --community CODE [--since DATE] [--only-new] OUT.xlsx`.

The reply sheet for the 12345 hotline (工单编号, 办理结果, 办结时间, 回访情况): one row per imported
work order whose appeal is resolved or closed. Exit 0 on success (also for an empty sheet), 2 for an
unknown community or a bad date.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from linli.areas.models import Community
from linli.core.cli import date_option
from linli.hotline.exporter import write_replies_xlsx


class Command(BaseCommand):
    help = "导出12345工单的办理结果表（工单编号、办理结果、办结时间、回访情况）。"

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, "export-hotline", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT.xlsx", help="输出文件")
        parser.add_argument("--community", required=True, metavar="CODE", help="社区编码")
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="只导出这一天及以后办结的工单")
        parser.add_argument("--only-new", action="store_true", help="只导出还没导出过的工单")

    def handle(self, *args, out, community, since, only_new, **options):
        target = Community.objects.filter(code=community).first()
        if target is None:
            raise CommandError(f"没有编码为“{community}”的社区。", returncode=2)
        since_date = date_option(since, f"日期“{since}”无法识别，请写成 2025-03-01。", returncode=2)
        rows = write_replies_xlsx(target, out, label="命令行 export-hotline", since=since_date, only_new=only_new)
        self.stdout.write(f"{target.name}：导出{rows}条工单的办理结果到 {out}")
