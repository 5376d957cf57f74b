"""`linli prod-env [FILE]`: write a production environment file with fresh random keys (mode 0600), once.

The file is what `make prod` and the systemd units (EnvironmentFile=) read. It is never overwritten: the keys in it
decrypt the residents' ID numbers, and a new LINLI_FIELD_KEY would make every stored one unreadable.
"""

from __future__ import annotations

import base64
import os
import secrets
import socket
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from linli.ops.production import check_environ


def _key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def render(*, host: str, database_url: str, redis_url: str, var_dir: str) -> str:
    return f"""\
# 邻里 Linli 生产环境（`linli prod-env` 生成）。这份文件的权限是 0600，只给运行邻里的用户读。
# LINLI_FIELD_KEY 和 LINLI_HASH_KEY 解开居民的身份证号码：丢了它们，数据库里的身份证号码就永远读不出来；
# 它们也不在备份归档里。把这三个密钥另外保存在数据库备份以外的地方（密码柜、离线介质），见 docs/deploy.md。
LINLI_PRODUCTION=1
LINLI_SECRET_KEY={secrets.token_urlsafe(50)}
LINLI_FIELD_KEY={_key()}
LINLI_HASH_KEY={_key()}
LINLI_ALLOWED_HOSTS={host}
LINLI_CSRF_TRUSTED_ORIGINS=https://{host}
LINLI_SITE_URL=https://{host}
DATABASE_URL={database_url}
REDIS_URL={redis_url}
LINLI_VAR_DIR={var_dir}
LINLI_STATIC_ROOT={var_dir}/static
# gunicorn 只在本机监听，由同一台机器上的 nginx 转发（deploy/nginx/linli.conf）；只采信 nginx 的转发头。
LINLI_BIND=127.0.0.1:8000
LINLI_TRUSTED_PROXIES=127.0.0.1
# LINLI_WEB_WORKERS=5            # 默认：2 × 核数 + 1
# 短信网关和企业微信群（不设置时只写日志，`linli check --deploy` 会提示），见 docs/channels.md：
# LINLI_SMS_BACKEND=linli.tracking.sms.TencentBackend
# LINLI_WECHAT_BACKEND=linli.channels.wechat.WebhookBackend
"""


class Command(BaseCommand):
    help = "生成生产环境文件（随机密钥，权限 0600）；文件已存在时不覆盖"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="环境文件（默认 LINLI_VAR_DIR/prod.env，即 var/prod.env）")
        parser.add_argument("--host", default=socket.getfqdn(), help="站点域名（默认本机名）")
        parser.add_argument("--database-url", default="postgres://linli@127.0.0.1:5432/linli", help="PostgreSQL 地址")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="Redis 地址")

    def handle(self, *args, path=None, host, database_url, redis_url, **options):
        target = Path(path) if path else Path(settings.VAR_DIR) / "prod.env"
        if target.exists():
            self.stdout.write(f"{target} 已经存在，没有改动（里面的密钥不能换掉：换了就读不出已加密的身份证号码）。")
            return
        host = host.strip()
        if not host or "," in host or "/" in host or " " in host:
            raise CommandError(f"站点域名不对：{host!r}（例如 linli.example.gov.cn）")
        var_dir = str(Path(settings.VAR_DIR).resolve())
        text = render(host=host, database_url=database_url, redis_url=redis_url, var_dir=var_dir)
        environ = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
        problems = [p for p in check_environ(environ)]
        if problems:
            raise CommandError("生成的配置有问题，没有写文件：" + "；".join(problems) + "（站点域名用 --host 指定）")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 from the first byte: the keys are never readable by anyone else, not even for a moment.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        self.stdout.write(f"已生成 {target}（权限 0600）：站点 {host}，数据库 {database_url}，Redis {redis_url}。")
        self.stdout.write(
            "重要：把 LINLI_SECRET_KEY、LINLI_FIELD_KEY、LINLI_HASH_KEY 另外备份到数据库备份以外的地方"
            "（密码柜或离线介质）。丢了 LINLI_FIELD_KEY / LINLI_HASH_KEY，身份证号码就无法解密和检索；"
            "备份归档里不含这些密钥。"
        )
