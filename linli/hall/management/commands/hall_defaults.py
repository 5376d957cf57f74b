"""linli hall_defaults <community code>: install the common matters of the 办事指南 (linli.hall.defaults)."""

from django.core.management.base import BaseCommand, CommandError

from linli.areas.models import Community
from linli.core.audit import Actor
from linli.hall.defaults import install_default_matters


class Command(BaseCommand):
    help = "为社区安装常见办事事项（办事指南），已有同名事项的不重复添加。"

    def add_arguments(self, parser):
        parser.add_argument("community", help="社区编码")

    def handle(self, *args, community, **options):
        found = Community.objects.filter(code=community).first()
        if found is None:
            raise CommandError(f"找不到社区编码 {community}。")
        added = install_default_matters(found, actor=Actor.cli("hall_defaults"))
        self.stdout.write(f"{found.name}：新增 {len(added)} 个事项。")
