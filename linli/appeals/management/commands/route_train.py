"""`linli route-train`: retrain the routing model (shipped set + corrections), or roll back a version."""

from django.core.management.base import BaseCommand, CommandError

from linli.appeals.routing import model as m
from linli.appeals.routing.models import RoutingModel
from linli.appeals.routing.services import retrain_if_needed, rollback, train_version
from linli.core.audit import Actor

ACTOR = Actor.cli("linli route-train")


class Command(BaseCommand):
    help = "用内置训练集和各社区的分派纠正重新训练分派模型，打印留出集评估并保存为新版本；或用 --rollback 启用旧版本。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--activate",
            action="store_true",
            default=True,
            help="训练后立即启用新版本（默认）",
        )
        parser.add_argument("--no-activate", dest="activate", action="store_false", help="只保存，不启用")
        parser.add_argument("--rollback", type=int, metavar="VERSION", help="启用已保存的某个版本")
        parser.add_argument("--list", action="store_true", help="列出已保存的版本")
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="只在有新的分派纠正时训练，且新版本在留出集上不比启用中的差才启用（每晚定时任务即如此）",
        )
        parser.add_argument("--algorithm", choices=m.ALGORITHMS, default=m.DEFAULT_ALGORITHM, help="分类算法")

    def handle(self, *args, **options):
        if options["list"]:
            return self._list()
        if options["rollback"] is not None:
            try:
                row = rollback(options["rollback"], actor=ACTOR)
            except RoutingModel.DoesNotExist:
                raise CommandError(f"没有版本 {options['rollback']}。用 --list 查看已保存的版本。")
            except ValueError as exc:
                raise CommandError(f"版本 {options['rollback']} 无法使用：{exc}")
            self.stdout.write(f"已启用分派模型 v{row.version}（训练于 {row.created_at:%Y-%m-%d %H:%M}）。")
            return
        if options["if_needed"]:
            row, message = retrain_if_needed(actor=ACTOR)
            if row is not None:
                self.stdout.write(_metrics_text(row.metrics))
            self.stdout.write(message)
            return
        try:
            row = train_version(activate=options["activate"], algorithm=options["algorithm"], actor=ACTOR)
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc))
        t = row.trained_on
        self.stdout.write(
            f"训练数据：内置 {t['shipped']} 条，纠正 {t['corrections']} 条，{len(t['units'])} 个承办单位。"
        )
        self.stdout.write(_metrics_text(row.metrics))
        state = "并已启用" if row.is_active else f"未启用（用 --rollback {row.version} 启用）"
        if row.metrics["report"]["decision"] == "refused":
            state = f"未启用：{row.metrics['report']['reason']}（核对后可用 --rollback {row.version} 启用）"
        self.stdout.write(f"已保存分派模型 v{row.version}，{state}。")

    def _list(self):
        rows = RoutingModel.objects.defer("artifact").order_by("-version")
        if not rows:
            self.stdout.write("还没有保存的分派模型。")
        for row in rows:
            acc = row.metrics.get("accuracy")
            figure = f"准确率 {acc:.1%}" if acc is not None else "无评估"
            refused = (row.metrics.get("report") or {}).get("decision") == "refused"
            mark = " *启用中" if row.is_active else (" 未启用（核对集变差）" if refused else "")
            self.stdout.write(f"v{row.version}  {row.created_at:%Y-%m-%d %H:%M}  {row.algorithm}  {figure}{mark}")


def _metrics_text(metrics: dict) -> str:
    if "n" not in metrics:
        return "没有留出集，未评估。"
    lines = [
        f"留出集 {metrics['n']} 条：准确率 {metrics['accuracy']:.1%}，前三命中 {metrics['top3']:.1%}，"
        f"宏 F1 {metrics['macro_f1']:.3f}"
    ]
    if metrics.get("confusions"):
        pairs = "，".join(f"{k} ×{v}" for k, v in list(metrics["confusions"].items())[:10])
        lines.append(f"常见混淆（实际→预测）：{pairs}")
    report = metrics.get("report") or {}
    if report.get("before") is not None:
        lines.append(
            f"核对集 {report['n']} 条：v{report['previous_version']} {report['before']:.1%}"
            f" → 新版本 {report['after']:.1%}"
        )
        for u in report["units"]:
            lines.append(f"  {u['name']}（{u['n']} 条）：{u['before']:.0%} → {u['after']:.0%}")
    return "\n".join(lines)
