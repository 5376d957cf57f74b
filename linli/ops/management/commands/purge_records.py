"""`linli purge-records [--dry-run]`: delete change and audit records older than the retention."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linli.core.audit import Actor
from linli.ops.retention import RetentionError, audit_models, purge_records


class Command(BaseCommand):
    help = (
        "删除超过保留期（LINLI_AUDIT_RETENTION_DAYS，不少于 180 天）的变更、导出、查看和登录记录，分批删除，"
        "并记录本次清理。--dry-run 只统计，不删除。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计将删除的行数，不删除")

    def handle(self, *args, dry_run=False, **options):
        try:
            result = purge_records(actor=Actor.cli("清理过期记录（命令行）"), dry_run=dry_run)
        except RetentionError as exc:
            raise CommandError(str(exc)) from exc
        cutoff = timezone.localtime(result.cutoff).strftime("%Y-%m-%d %H:%M")
        verb = "将删除" if dry_run else "已删除"
        self.stdout.write(f"保留期 {result.retention_days} 天：{verb} {cutoff} 之前的记录")
        for model, _, what in audit_models():
            self.stdout.write(f"  {what}：{result.counts.get(model._meta.db_table, 0)} 行")
        if dry_run:
            self.stdout.write(f"共 {result.total} 行（试运行，什么也没有删除）")
        else:
            self.stdout.write(f"共 {result.total} 行；本次清理已记录（编号 {result.run.pk}）")
