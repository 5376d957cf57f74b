"""`linli import-residents FILE --community CODE [--dry-run] [--strict] [--report REPORT.json]`.

Exit status: 0 when the rows were written (or would be, for a dry run) and none was rejected;
1 when any row was rejected (the others are written unless --strict or --dry-run);
2 for a file that cannot be used or an unknown community. With -v 2 the command prints a
progress line per ~1,000 rows ("进度 检查 1000/40000", then "进度 写入 ...").
"""

from __future__ import annotations

import os

from django.core.management.base import CommandError

from linli.areas.models import Community
from linli.core.cli import ImportCommand
from linli.core.excel.read import SpreadsheetError
from linli.ledgers.importer import FIELDS, detect_mapping, import_actor, read_ledger, run_import


class Command(ImportCommand):
    help = "从Excel/CSV台账导入居民（先检查全部行，再在一个事务里写入）。"
    command_name = "import-residents"
    file_help = "台账文件（.xlsx、.xls 或 .csv）"

    def handle(self, *args, file, community, dry_run, strict, report, verbosity, **options):
        target = Community.objects.filter(code=community).select_related("street").first()
        if target is None:
            raise CommandError(f"没有编码为“{community}”的社区。", returncode=2)
        name = os.path.basename(file)
        try:
            table = read_ledger(file, name)
            mapping = detect_mapping(table.headers)
            self.describe(name, table, mapping, FIELDS)
            self._rows = len(table.rows)
            progress = self._progress if verbosity >= 2 else None
            result = run_import(
                table,
                mapping,
                target,
                actor=import_actor(None, name),
                dry_run=dry_run,
                strict=strict,
                progress=progress,
            )
        except SpreadsheetError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        del table
        self.conclude(result, self._summary(result, target), report=report, dry_run=dry_run, strict=strict)

    def _progress(self, done: int, total: int) -> None:
        # run_import counts a commit as twice the rows: validation first, then writing.
        rows = self._rows
        if done > rows:
            self.stdout.write(f"进度 写入 {done - rows}/{rows}")
        else:
            self.stdout.write(f"进度 检查 {done}/{rows}")
        self.stdout.flush()

    @staticmethod
    def _summary(result, community) -> list[str]:
        verb = "导入" if not result.dry_run else "将导入"
        lines = [
            f"{community.name}：{result.rows}行，{verb}新居民{result.created}人，更新{result.updated}人，"
            f"无变化{result.skipped}人，未通过{result.rejected}行。",
            f"新建楼栋{result.buildings_created}栋、户{result.households_created}户、网格{result.grids_created}个。",
        ]
        if result.households_updated:
            lines.append(f"更新建筑面积{result.households_updated}户。")
        if result.unassigned_buildings:
            lines.append(f"未分配网格的楼栋（在“待分配”列表里）：{'、'.join(result.unassigned_buildings)}")
        return lines
