"""`linli backup [--output PATH]`: one encrypted archive of the database, the media and a manifest."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from linli.ops.archive import new_key_text
from linli.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "备份：数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）、全部媒体文件和清单，"
        "用 AES-256-GCM 加密成一个 .lbk 文件。密钥来自 LINLI_BACKUP_KEY 或 LINLI_BACKUP_KEY_FILE，不写入备份。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件路径或目录（默认 LINLI_BACKUP_DIR/linli-backup-日期-时间.lbk）")
        parser.add_argument(
            "--generate-key", action="store_true", help="只生成一个新的备份密钥并打印（base64），不做备份"
        )

    def handle(self, *args, output=None, generate_key=False, **options):
        if generate_key:
            self.stdout.write(new_key_text())
            self.stderr.write(
                "这是新的备份密钥：离线保存两份，由两人分别保管；设为 LINLI_BACKUP_KEY 或写入 LINLI_BACKUP_KEY_FILE"
                "（权限 0600）。丢失密钥，备份就无法恢复。"
            )
            return
        try:
            result = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        m = result.manifest
        rows = sum(m["tables"].values())
        self.stdout.write(f"备份完成：{result.path}（{filesizeformat(result.size)}，权限 0600）")
        kind = "PostgreSQL" if m["engine"] == "postgresql" else "SQLite"
        self.stdout.write(f"数据库：{kind}，{len(m['tables'])} 张表，共 {rows} 行")
        reg = m["registry_rows"]
        self.stdout.write(
            f"登记数据：楼栋 {reg['areas_building']}，户 {reg['areas_household']}，居民 {reg['residents_resident']}；"
            f"校验值 {m['registry_checksum'][:16]}…"
        )
        self.stdout.write(f"媒体文件：{len(m['media'])} 个，{filesizeformat(m['media_bytes'])}")
        commit = f"（{m['git_commit'][:12]}）" if m["git_commit"] else ""
        self.stdout.write(f"版本：Linli {m['linli_version']}{commit}")
        self.stdout.write(
            f"加密密钥编号 {m['key_id']}。备份密钥（LINLI_BACKUP_KEY）和字段密钥（LINLI_FIELD_KEY、LINLI_HASH_KEY）"
            "都不在备份里：恢复时三者缺一不可。请离线另存，与备份文件分开，由两人分别保管（见 docs/backup.md）。"
        )
