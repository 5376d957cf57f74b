"""`linli import-hotline FILE --community CODE [--dry-run] [--strict] [--report REPORT.json]`.

Exit status (as `linli import-residents`): 0 when the orders were imported (or would be, for a dry run)
and no row was rejected; 1 when any row was rejected (the others are imported unless --strict or
--dry-run); 2 for a file that cannot be used (not a sheet, no header, a required column missing), an
unknown community, or an import that collided with another one (nothing written).
"""

from __future__ import annotations

import os

from django.core.management.base import CommandError

from linli.areas.models import Community
from linli.core import jobs
from linli.core.audit import Actor
from linli.core.cli import ImportCommand
from linli.core.models import Source
from linli.hotline import importer, services
from linli.hotline.models import HotlineImport


class Command(ImportCommand):
    help = "导入12345热线转办工单为诉求（先检查全部行，再在一个事务里写入；已导入的工单编号跳过）。"
    command_name = "import-hotline"
    file_help = "工单文件（.xlsx、.xls 或 .csv）"

    def handle(self, *args, file, community, dry_run, strict, report, **options):
        target = Community.objects.filter(code=community).first()
        if target is None:
            raise CommandError(f"没有编码为“{community}”的社区。", returncode=2)
        name = os.path.basename(file)
        try:
            table = importer.read_orders(file, name)
            mapping = importer.detect(table.headers)
            self.describe(name, table, mapping, importer.FIELDS)
            importer.require_columns(mapping)
            if dry_run:
                result, _ = importer.check(table, mapping, target)
            else:
                result = self._commit(table, mapping, target, name, strict)
        except (importer.HotlineFileError, services.ImportConflict) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.conclude(result, self._summary(result, target), report=report, dry_run=dry_run, strict=strict)

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

    @staticmethod
    def _summary(result, community) -> list[str]:
        verb = "导入" if not result.dry_run else "将导入"
        return [
            f"{community.name}：{result.rows}行，{verb}{result.created}条工单，已导入跳过{result.skipped}条，"
            f"未通过{result.rejected}行。",
            f"匹配到楼栋{result.buildings_matched}条，未匹配楼栋{result.unmatched_buildings}条，"
            f"关联到居民{result.residents_linked}条，已过办理时限{result.past_due}条。",
        ]
