"""`linli restore ARCHIVE [--yes] [--replace]`: decrypt and check the whole archive, then restore and verify."""

import datetime
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linli.ops.backup import (
    BackupError,
    backup_key,
    check_restorable,
    restore_unpacked,
    scratch_dir,
    tables_in_use,
    unpack,
)


def _local(iso: str) -> str:
    try:
        return timezone.localtime(datetime.datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return str(iso)


class Command(BaseCommand):
    help = (
        "从 linli backup 生成的 .lbk 文件恢复到空数据库：先解密并校验整个备份（密钥不对或文件被改动时什么也不写），"
        "再恢复数据库和媒体文件，最后逐表核对行数和登记数据校验值。"
    )
    # An empty target has nothing for the checks to look at, and the restore must not wait on them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.lbk）")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
        parser.add_argument(
            "--replace", action="store_true", help="目标数据库已有数据时也恢复（已有数据全部被备份内容替换）"
        )

    def handle(self, *args, archive, yes=False, replace=False, **options):
        try:
            key = backup_key()
            with scratch_dir("restore-") as work:
                manifest = unpack(archive, key, work)
                check_restorable(manifest)
                self.stdout.write(
                    f"备份已解密并校验：{_local(manifest['created_at'])} 生成，Linli {manifest['linli_version']}，"
                    f"{len(manifest['tables'])} 张表，媒体文件 {len(manifest['media'])} 个"
                )
                used = tables_in_use()
                if used and not replace:
                    shown = "、".join(f"{t}（{n} 行）" for t, n in list(used.items())[:5])
                    raise BackupError(
                        f"目标数据库不是空的：{shown}{' 等' if len(used) > 5 else ''}。"
                        "请恢复到新建的空数据库；确要用备份替换现有数据，加 --replace"
                    )
                db = settings.DATABASES["default"]["NAME"]
                replacing = "（替换现有数据）" if used else ""
                if not yes and not self._confirm(f"将备份恢复到数据库 {db}{replacing}？[y/N] "):
                    raise BackupError("已取消，什么也没有改动")
                report = restore_unpacked(manifest, work)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self._print(report)
        bad = report.mismatches()
        if bad:
            raise CommandError(f"恢复后核对不一致：{'、'.join(bad[:10])}。数据已写入，请检查后重新恢复到新的空数据库")
        self.stdout.write(f"恢复完成并核对一致：{len(report.manifest['tables'])} 张表，媒体文件 {report.media} 个")

    def _confirm(self, question: str) -> bool:
        if not sys.stdin.isatty():
            raise BackupError("需要确认：请在终端运行，或加 --yes")
        return input(question).strip().lower() in ("y", "yes", "是")

    def _print(self, report):
        m = report.manifest
        width = max(len(t) for t in m["tables"]) if m["tables"] else 10
        self.stdout.write(f"{'表'.ljust(width)}  {'备份':>10}  {'恢复后':>10}")
        for table, n in sorted(m["tables"].items()):
            got = report.counts.get(table)
            mark = "" if got == n else "  ✗ 不一致"
            self.stdout.write(f"{table.ljust(width)}  {n:>10}  {('—' if got is None else got):>10}{mark}")
        same = "一致" if report.checksum == m["registry_checksum"] else "✗ 不一致"
        self.stdout.write(f"登记数据校验值：备份 {m['registry_checksum'][:16]}…，恢复后 {report.checksum[:16]}… {same}")
