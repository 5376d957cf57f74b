"""`linli open311-key --name NAME [--community CODE | --street CODE] [--hotline]`: a new Open311 api_key.

The key is printed once, alone on the last line, so scripts can take it with `tail -n 1`.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from linli.areas.models import Community, Street
from linli.core.audit import Actor
from linli.open311.services import issue_key


class Command(BaseCommand):
    help = "生成一个Open311密钥（api_key），只显示一次，打印在最后一行。"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="对方系统的名称，如“12345热线平台”")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--community", help="社区编码：密钥只能为这个社区提交诉求")
        scope.add_argument("--street", help="街道编码：密钥可为这个街道的社区提交（须带 jurisdiction_id）")
        parser.add_argument("--hotline", action="store_true", help="这是12345热线系统：诉求来源记为“12345转办”")

    def handle(self, *args, name, community=None, street=None, hotline=False, **options):
        target = {}
        if community:
            target["community"] = Community.objects.filter(code=community).first()
            if target["community"] is None:
                raise CommandError(f"没有编码为“{community}”的社区。")
        if street:
            target["street"] = Street.objects.filter(code=street).first()
            if target["street"] is None:
                raise CommandError(f"没有编码为“{street}”的街道。")
        try:
            key, raw = issue_key(actor=Actor.cli("linli open311-key"), name=name, hotline=hotline, **target)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages))
        channel = "12345转办" if key.hotline else "接口"
        self.stdout.write(f"已生成Open311密钥“{key.name}”：范围 {key.scope_label}，来源渠道 {channel}。只显示这一次：")
        self.stdout.write(raw)
