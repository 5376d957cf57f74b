"""`linli serve`: Linli for real, as one supervised set of processes that stops together.

- web: gunicorn with linli/ops/gunicorn_conf.py (workers from the cores, proxies from LINLI_TRUSTED_PROXIES);
- worker: a Celery worker (ledger imports, messages, the jobs beat sends);
- beat: Celery beat, the clock of the periodic jobs (visits sweep, appeals overdue, reminders…), its schedule file in
  LINLI_VAR_DIR.

honcho's Manager runs them (each in its own process group, output prefixed with its name); when one stops, the others
are stopped too, and Ctrl-C or SIGTERM stops all of them (SIGKILL after 5 s for any that hangs). Before anything
starts: the production configuration (linli/ops/production.py), unapplied migrations and collectstatic. Exit codes:
0 stopped on request, 1 a process stopped by itself (the others were stopped), 2 refused to start.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, SystemCheckError
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from linli.ops.metrics import prepare_dir
from linli.ops.production import check_production_config, format_problems

REFUSED = 2
STOP_SECONDS = 35


def unapplied_migrations() -> list[str]:
    connection = connections["default"]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def process_commands(*, web_only: bool = False, beat: bool = True, bind: str | None = None) -> dict[str, str]:
    """The shell command of each supervised process (exec: the shell becomes the process, signals reach it)."""
    python = shlex.quote(sys.executable)
    web = f"exec {python} -m gunicorn -c python:linli.ops.gunicorn_conf linli.wsgi:application"
    if bind:
        web += " --bind " + " --bind ".join(shlex.quote(b) for b in bind.split(","))
    commands = {"web": web}
    if not web_only:
        worker = f"exec {python} -m celery -A linli worker --loglevel=INFO --hostname=linli@%h"
        concurrency = os.environ.get("LINLI_WORKER_CONCURRENCY", "").strip()
        if concurrency.isdigit() and int(concurrency) > 0:  # default: one task process per core
            worker += f" --concurrency={int(concurrency)}"
        commands["worker"] = worker
        if beat:
            schedule = shlex.quote(str(settings.LINLI_BEAT_SCHEDULE_FILE))
            commands["beat"] = f"exec {python} -m celery -A linli beat --loglevel=INFO --schedule={schedule}"
    return commands


class Command(BaseCommand):
    help = "生产环境运行邻里：gunicorn 网站、Celery 任务进程和定时任务（beat），一起启动、一起停止（Ctrl-C）"
    requires_system_checks = []  # run below, after the production configuration has been checked

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="监听地址（默认 LINLI_BIND 或 127.0.0.1:8000；逗号分隔多个）")
        parser.add_argument("--web-only", action="store_true", help="只启动网站（任务进程和 beat 在别的机器上运行）")
        parser.add_argument("--no-beat", action="store_true", help="不启动 beat（全部机器中只能有一个 beat）")
        parser.add_argument("--migrate", action="store_true", help="启动前先应用未应用的数据库迁移")
        parser.add_argument(
            "--skip-collectstatic", action="store_true", help="不运行 collectstatic（部署脚本已经运行过）"
        )
        parser.add_argument("--check", action="store_true", help="只检查配置、迁移和静态文件，不启动")

    def handle(self, *args, **options):
        problems = check_production_config()
        if problems:
            raise CommandError(format_problems(problems), returncode=REFUSED)
        try:  # Django's system checks with the deploy ones: errors stop here, warnings are shown
            self.check(include_deployment_checks=True, display_num_errors=False)
        except SystemCheckError as exc:
            raise CommandError(str(exc), returncode=REFUSED)
        self._migrations(options["migrate"])
        self._static(options["skip_collectstatic"])
        if options["check"]:
            self.stdout.write("生产配置检查通过：密钥、数据库、Redis、迁移和静态文件都已就绪。")
            return
        # Prometheus figures of every web worker and Celery process, summed at scrape time (linli.ops.metrics): one
        # folder for the set, emptied at each start so that a previous run's counts are not added in.
        metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("LINLI_METRICS_DIR")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(prepare_dir(metrics_dir or settings.VAR_DIR / "metrics"))
        connections.close_all()  # the children open their own; nothing forked shares this one
        commands = process_commands(web_only=options["web_only"], beat=not options["no_beat"], bind=options["bind"])
        code = supervise(commands, self.stdout)
        if code:
            raise CommandError(f"有进程意外退出，已停止全部进程（退出码 {code}）。", returncode=1)

    def _migrations(self, apply: bool) -> None:
        try:
            pending = unapplied_migrations()
        except DatabaseError as exc:
            raise CommandError(f"无法连接数据库（DATABASE_URL）：{exc}".strip(), returncode=REFUSED)
        if not pending:
            return
        if not apply:
            shown = "、".join(pending[:5]) + ("……" if len(pending) > 5 else "")
            raise CommandError(
                f"数据库有 {len(pending)} 个迁移未应用（{shown}）："
                "先运行 `linli migrate`，或用 `linli serve --migrate`。",
                returncode=REFUSED,
            )
        self.stdout.write(f"应用 {len(pending)} 个数据库迁移……")
        call_command("migrate", interactive=False, verbosity=0)

    def _static(self, skip: bool) -> None:
        manifest = settings.STATIC_ROOT / "staticfiles.json" if settings.STATIC_ROOT else None
        if manifest is None:
            raise CommandError("STATIC_ROOT 未设置：生产设置没有打开（LINLI_PRODUCTION=1）。", returncode=REFUSED)
        stamp_file = settings.STATIC_ROOT / STAMP_NAME
        stamp = static_sources_stamp()
        current = manifest.exists() and stamp_file.exists() and stamp_file.read_text() == stamp
        if skip:
            if not manifest.exists():
                raise CommandError(
                    f"静态文件还没有收集（{manifest} 不存在）：先运行 `linli collectstatic --noinput`。",
                    returncode=REFUSED,
                )
            return
        if current:
            return  # compressing every file again takes a minute of CPU on every start
        self.stdout.write(f"收集静态文件到 {settings.STATIC_ROOT}（压缩并加上内容指纹）……")
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp_file.write_text(stamp)


STAMP_NAME = ".linli-static-sources"


def static_sources_stamp() -> str:
    """A fingerprint of every static source file (path, size, modification time), as the finders see them: when
    it has not changed since the last collectstatic, the collected files are current."""
    from django.contrib.staticfiles import finders

    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def supervise(commands: dict[str, str], stdout) -> int:
    """Run the commands under honcho's Manager until one stops or we are told to stop; 0 when stopped on request
    and every process stopped cleanly."""
    from honcho import manager as honcho_manager
    from honcho.manager import SIGNALS, Manager
    from honcho.printer import Printer

    # honcho SIGKILLs what has not stopped 5 s after SIGTERM; gunicorn's workers may finish requests for 30 s
    # (graceful_timeout) and a Celery worker its running task: wait a little longer than that.
    honcho_manager.KILL_WAIT = STOP_SECONDS

    manager = Manager(Printer(sys.stdout))
    for name, command in commands.items():
        manager.add_process(name, command)
    manager.loop()
    stopped_on_request = manager.returncode in {info["rc"] for info in SIGNALS.values()}
    codes = {name: process.get("returncode") for name, process in manager._processes.items()}
    # gunicorn and Celery exit 0 on SIGTERM; -15 is a process that died of it (the shell before exec, say).
    clean = all(code in (0, -15) for code in codes.values())
    if stopped_on_request and clean:
        stdout.write("邻里已停止。")
        return 0
    return manager.returncode if not stopped_on_request and manager.returncode else 1
