"""Small helpers shared by the management commands."""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError


def date_option(value: str | None, message: str = "日期格式应为 YYYY-MM-DD。", returncode: int = 1):
    """A --date style option as a date (None when not given); a CommandError with `message` when unreadable."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(message, returncode=returncode) from exc


class ImportCommand(BaseCommand):
    """What every `linli import-<kind> FILE --community CODE [--dry-run] [--strict] [--report REPORT.json]` shares:
    its options, the line naming the columns found, the report file, the rejected rows and how it exits.

    Exit status: 0 when the rows were written (or would be, for a dry run) and none was rejected; 1 when any row was
    rejected (the others are written unless --strict or --dry-run); 2 for a file that cannot be used or an unknown
    community (the command raises CommandError(returncode=2)). The result is the importer's report: `rows`,
    `rejected`, `errors` (each with row, column, message), `dry_run` and as_dict().
    """

    #: The documented name, with a dash (linli/__main__.py maps it to the command's module).
    command_name = ""
    file_help = "文件（.xlsx、.xls 或 .csv）"
    #: Rejected rows printed; the report file has them all.
    SHOWN = 20

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, self.command_name, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument("--community", required=True, metavar="CODE", help="导入到哪个社区（社区编码）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
        parser.add_argument("--strict", action="store_true", help="有任何一行不通过就什么都不写入")
        parser.add_argument("--report", metavar="REPORT.json", help="把结果（含每行的问题）写成JSON文件")

    def describe(self, name: str, table, mapping: dict[int, str], fields: dict) -> None:
        """The file as read: where its header is, how many rows, which column holds which field."""
        labels = "、".join(f"{table.headers[i]}→{fields[k].label}" for i, k in sorted(mapping.items()))
        self.stdout.write(f"{name}：表头在第{table.header_row}行，{len(table.rows)}行数据。列对应：{labels}")

    def conclude(self, result, summary: list[str], *, report: str | None, dry_run: bool, strict: bool) -> None:
        """Write the report file, print `summary` and the rejected rows, and exit 1 when any row was rejected."""
        if report:
            with open(report, "w", encoding="utf-8") as handle:
                json.dump(result.as_dict(), handle, ensure_ascii=False, indent=1, default=str)
        lines = list(summary)
        for note in result.errors[: self.SHOWN]:
            column = f"【{note.column}】" if note.column else ""
            lines.append(f"  第{note.row}行{column}{note.message}")
        if len(result.errors) > self.SHOWN:
            lines.append(f"  ……还有{len(result.errors) - self.SHOWN}条问题（用 --report 保存全部）。")
        if dry_run:
            lines.append("这是试导入（--dry-run），数据库没有任何改变。")
        elif strict and result.errors:
            lines.append("因为使用了 --strict 且有行未通过，数据库没有任何改变。")
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
        if result.errors:
            raise CommandError(f"有{result.rejected}行没有通过检查。", returncode=1)
