"""`linli media-check`: files the database names but the media storage lacks, files no row names, and (S3) whether
the bucket answers a stranger."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from linli.core import storage
from linli.ops.media import check_media, probe_privacy


class Command(BaseCommand):
    help = "核对媒体文件：数据库引用但存储中缺失的文件、没有任何记录引用的文件；S3 时检查存储桶是否拒绝匿名读取。"

    def add_arguments(self, parser):
        parser.add_argument("--show", type=int, default=20, help="每类最多列出多少个文件名（默认 20）")
        parser.add_argument("--no-probe", action="store_true", help="不做匿名读取检查（S3）")

    def handle(self, *args, show, no_probe, **options):
        where = "S3 存储桶" if storage.is_s3() else "本机磁盘"
        report = check_media()
        self.stdout.write(
            f"媒体存储（{where}）：数据库引用 {report.referenced} 个文件，存储中有 {report.stored} 个；"
            f"缺失 {len(report.missing)} 个，无人引用 {len(report.orphans)} 个。"
        )
        for title, names in (("缺失（数据库引用、存储中没有）", report.missing), ("无人引用", report.orphans)):
            if names:
                self.stdout.write(f"{title}：")
                for name in names[:show]:
                    self.stdout.write(f"  {name}")
                if len(names) > show:
                    self.stdout.write(f"  ……另有 {len(names) - show} 个")
        problems = []
        if storage.is_s3() and not no_probe:
            status = probe_privacy()
            if status in (401, 403):
                self.stdout.write(f"匿名读取检查：存储桶拒绝了不带签名的读取（HTTP {status}），正常。")
            else:
                problems.append(
                    f"匿名读取检查：不带签名的读取得到 HTTP {status}（应为 403）。存储桶或对象可能是公开的，"
                    "请检查存储桶策略，关闭公共访问（docs/storage.md）。"
                )
        if report.missing:
            problems.append(f"有 {len(report.missing)} 个文件数据库引用、存储中缺失。")
        if problems:
            raise CommandError("\n".join(problems))
