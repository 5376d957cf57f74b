"""`linli demo`: the 青和居 demo community and one login per role (see linli.site.demo)."""

from django.core.management.base import BaseCommand, CommandError

from linli.site import demo


class Command(BaseCommand):
    help = "建立演示数据：工人村街青和居社区（19栋、15个网格、8234名居民）和各角色的演示账号。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--communities",
            type=int,
            default=1,
            help="生成的社区数（第1个是青和居，其余同样规模），用于压力测试；122个约100万居民",
        )
        parser.add_argument("--streets", type=int, default=None, help="街道数，默认每10个社区一个街道")
        parser.add_argument("--reset", action="store_true", help="先删除已有的演示数据（街道、社区、居民、演示账号）")
        parser.add_argument("--seed", type=int, default=demo.SEED, help="随机种子；同一种子生成同样的数据")

    def handle(self, *args, communities, streets, reset, seed, **options):
        try:
            result = demo.build_demo(
                communities=communities, streets=streets, seed=seed, reset=reset, log=self.stdout.write
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已建立：{result.communities}个社区，{result.residents}名居民，用时{result.seconds:.1f}秒。"
                )
            )
        else:
            self.stdout.write(f"演示社区“{demo.COMMUNITY_NAME}”已存在，未做任何修改（要重建请加 --reset）。")
        self.stdout.write("\n演示账号：\n" + demo.format_logins())
