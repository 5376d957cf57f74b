"""`linli import-hotline FILE --community CODE [--dry-run] [--strict] [--report REPORT.json]`.

Exit status (as `linli import-residents`): 0 when the orders were imported (or would be, for a dry run)
and no row was rejected; 1 when any row was rejected (the others are imported unless --strict or
--dry-run); 2 for a file that cannot be used (not a sheet, no header, a required column missing), an
unknown community, or an import that collided with another one (nothing written).
"""

from __future__ import annotations

import json
import os

from django.core.management.base import BaseCommand, CommandError

from linli.areas.models import Community
from linli.core import jobs
from linli.core.audit import Actor
from linli.core.models import Source
from linli.hotline import importer, services
from linli.hotline.models import HotlineImport

SHOWN = 20


class Command(BaseCommand):
    help = "导入12345热线转办工单为诉求（先检查全部行，再在一个事务里写入；已导入的工单编号跳过）。"

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, "import-hotline", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="工单文件（.xlsx、.xls 或 .csv）")
        parser.add_argument("--community", required=True, metavar="CODE", help="导入到哪个社区（社区编码）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
        parser.add_argument("--strict", action="store_true", help="有任何一行不通过就什么都不写入")
        parser.add_argument("--report", metavar="REPORT.json", help="把结果（含每行的问题）写成JSON文件")

    def handle(self, *args, file, community, dry_run, strict, report, **options):
        target = Community.objects.filter(code=community).first()
        if target is None:
            raise CommandError(f"没有编码为“{community}”的社区。", returncode=2)
        name = os.path.basename(file)
        try:
            table = importer.read_orders(file, name)
            mapping = importer.detect(table.headers)
            labels = "、".join(f"{table.headers[i]}→{importer.FIELDS[k].label}" for i, k in sorted(mapping.items()))
            self.stdout.write(f"{name}：表头在第{table.header_row}行，{len(table.rows)}行数据。列对应：{labels}")
            importer.require_columns(mapping)
            if dry_run:
                result, _ = importer.check(table, mapping, target)
            else:
                result = self._commit(table, mapping, target, name, strict)
        except (importer.HotlineFileError, services.ImportConflict) as exc:
            raise CommandError(str(exc), returncode=2) from exc

        if report:
            with open(report, "w", encoding="utf-8") as handle:
                json.dump(result.as_dict(), handle, ensure_ascii=False, indent=1, default=str)
        self._summary(result, target, dry_run=dry_run, strict=strict)
        if result.errors:
            raise CommandError(f"有{result.rejected}行没有通过检查。", returncode=1)

    @staticmethod
    def _commit(table, mapping, target, name, strict):
        """Check and commit in one run, recorded as a job (no file kept: it stays where it is)."""
        actor = Actor(user=None, source=Source.CLI, label=f"导入 {name}"[:64])
        batch = jobs.upload(HotlineImport, table=table, mapping=mapping, actor=actor, name=name, community=target)
        batch = jobs.start(batch, dry_run=False, actor=actor, checks_itself=True)
        try:
            result = services.commit_import(table, mapping, target, actor=actor, batch=batch, strict=strict)
        except Exception as exc:
            jobs.fail(batch, str(exc), actor=actor, attempt=batch.attempt)
            raise
        jobs.finish(batch, result.as_dict(), dry_run=result.dry_run, actor=actor, attempt=batch.attempt)
        return result

    def _summary(self, result, community, *, dry_run: bool, strict: bool) -> None:
        verb = "导入" if not result.dry_run else "将导入"
        lines = [
            f"{community.name}：{result.rows}行，{verb}{result.created}条工单，已导入跳过{result.skipped}条，"
            f"未通过{result.rejected}行。",
            f"匹配到楼栋{result.buildings_matched}条，未匹配楼栋{result.unmatched_buildings}条，"
            f"关联到居民{result.residents_linked}条，已过办理时限{result.past_due}条。",
        ]
        for note in result.errors[:SHOWN]:
            column = f"【{note.column}】" if note.column else ""
            lines.append(f"  第{note.row}行{column}{note.message}")
        if len(result.errors) > SHOWN:
            lines.append(f"  ……还有{len(result.errors) - SHOWN}条问题（用 --report 保存全部）。")
        if dry_run:
            lines.append("这是试导入（--dry-run），数据库没有任何改变。")
        elif strict and result.errors:
            lines.append("因为使用了 --strict 且有行未通过，数据库没有任何改变。")
        self.stdout.write("\n".join(lines))
