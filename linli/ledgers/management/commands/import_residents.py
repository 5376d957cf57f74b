"""`linli import-residents FILE --community CODE [--dry-run] [--strict] [--report REPORT.json]`.

Exit status: 0 when the rows were written (or would be, for a dry run) and none was rejected;
1 when any row was rejected (the others are written unless --strict or --dry-run);
2 for a file that cannot be used or an unknown community. With -v 2 the command prints a
progress line per ~1,000 rows ("进度 检查 1000/40000", then "进度 写入 ...").
"""

from __future__ import annotations

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from linli.areas.models import Community
from linli.core.excel.read import SpreadsheetError
from linli.ledgers.importer import FIELDS, detect_mapping, import_actor, read_ledger, run_import

SHOWN_ERRORS = 20


class Command(BaseCommand):
    help = "从Excel/CSV台账导入居民（先检查全部行，再在一个事务里写入）。"

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The documented name has a dash (linli/__main__.py maps it to this module).
        return super().create_parser(prog_name, "import-residents", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="台账文件（.xlsx、.xls 或 .csv）")
        parser.add_argument("--community", required=True, metavar="CODE", help="导入到哪个社区（社区编码）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
        parser.add_argument("--strict", action="store_true", help="有任何一行不通过就什么都不写入")
        parser.add_argument("--report", metavar="REPORT.json", help="把结果（含每行的问题）写成JSON文件")

    def handle(self, *args, file, community, dry_run, strict, report, verbosity, **options):
        target = Community.objects.filter(code=community).select_related("street").first()
        if target is None:
            raise CommandError(f"没有编码为“{community}”的社区。", returncode=2)
        name = os.path.basename(file)
        try:
            table = read_ledger(file, name)
            mapping = detect_mapping(table.headers)
            labels = "、".join(f"{table.headers[i]}→{FIELDS[k].label}" for i, k in sorted(mapping.items()))
            self.stdout.write(f"{name}：表头在第{table.header_row}行，{len(table.rows)}行数据。列对应：{labels}")
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

        if report:
            with open(report, "w", encoding="utf-8") as handle:
                json.dump(result.as_dict(), handle, ensure_ascii=False, indent=1)
        self._summary(result, target, dry_run=dry_run, strict=strict)
        if result.errors:
            raise CommandError(f"有{result.rejected}行没有通过检查。", returncode=1)

    def _progress(self, done: int, total: int) -> None:
        # run_import counts a commit as twice the rows: validation first, then writing.
        rows = self._rows
        if done > rows:
            self.stdout.write(f"进度 写入 {done - rows}/{rows}")
        else:
            self.stdout.write(f"进度 检查 {done}/{rows}")
        self.stdout.flush()

    def _summary(self, result, community, *, dry_run: bool, strict: bool) -> None:
        written = not result.dry_run
        verb = "导入" if written else "将导入"
        lines = [
            f"{community.name}：{result.rows}行，{verb}新居民{result.created}人，更新{result.updated}人，"
            f"无变化{result.skipped}人，未通过{result.rejected}行。",
            f"新建楼栋{result.buildings_created}栋、户{result.households_created}户、网格{result.grids_created}个。",
        ]
        if result.unassigned_buildings:
            lines.append(f"未分配网格的楼栋（在“待分配”列表里）：{'、'.join(result.unassigned_buildings)}")
        for error in result.errors[:SHOWN_ERRORS]:
            column = f"【{error.column}】" if error.column else ""
            lines.append(f"  第{error.row}行{column}{error.message}")
        if len(result.errors) > SHOWN_ERRORS:
            lines.append(f"  ……还有{len(result.errors) - SHOWN_ERRORS}条问题（用 --report 保存全部）。")
        if dry_run:
            lines.append("这是试导入（--dry-run），数据库没有任何改变。")
        elif strict and result.errors:
            lines.append("因为使用了 --strict 且有行未通过，数据库没有任何改变。")
        self.stdout.write("\n".join(lines))
        sys.stdout.flush()
