"""linli recount_care [--check]: recompute Household.care_members (关爱对象人数) from the residents' tags."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from linli.residents.care import recount_care_members, stale_households


class Command(BaseCommand):
    help = "按居民的关爱人群标签重新统计每户的关爱对象人数（关爱名单读取它）；--check 只检查不修改。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查：有不一致的户时报错退出，不修改。")

    def handle(self, *args, check=False, **options):
        stale = len(stale_households())
        if check:
            if stale:
                raise CommandError(f"有 {stale} 户的关爱对象人数与居民标签不一致，请运行 linli recount_care。")
            self.stdout.write("关爱对象人数全部一致。")
            return
        with transaction.atomic():
            written = recount_care_members()
        self.stdout.write(f"不一致的户：{stale}；已重新统计 {written} 户。")
