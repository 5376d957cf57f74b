"""Is this a production configuration? One list of problems, in Chinese, each naming the variable to fix.

`check_production_config` reads either the process environment (what `linli serve` checks before Django is even set
up, so that a missing key is reported with all the others instead of as a traceback) or the loaded Django settings
(the `linli check --deploy` system check, linli.ops.E001). Both answer the same questions:

- LINLI_PRODUCTION is 1 and LINLI_DEBUG is not 1;
- LINLI_SECRET_KEY, LINLI_FIELD_KEY and LINLI_HASH_KEY are set, are not the development keys every checkout shares,
  are well-formed (the field and hash keys: 32 bytes, hex or base64), long enough, and the field and hash keys differ;
- DATABASE_URL is PostgreSQL (the embedded SQLite file is for the demo and one clerk), REDIS_URL is set (Celery's
  broker, shared caches and rate limits);
- LINLI_ALLOWED_HOSTS names the site, not only the development defaults, and never "*";
- LINLI_TRUSTED_PROXIES holds only addresses or networks.

This module imports no Django settings at import time: linli/settings.py takes the development keys from here.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from linli.core.crypto import parse_key

# The development keys: every checkout has them, so data encrypted with them is as good as clear text.
DEV_SECRET_KEY = "dev-only-insecure-key-linli-" + "x" * 40
DEV_FIELD_KEY = hashlib.sha256(b"linli-dev-field-key").hexdigest()
DEV_HASH_KEY = hashlib.sha256(b"linli-dev-hash-key").hexdigest()
DEV_ALLOWED_HOSTS = ("127.0.0.1", "localhost", "testserver")

MIN_SECRET_KEY_LENGTH = 50  # Django's own deploy check (security.W009) asks for 50 characters, 5 distinct
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}
REDIS_SCHEMES = {"redis", "rediss", "unix"}


def _secret_key_problems(value: str | None) -> list[str]:
    if not value:
        return ["LINLI_SECRET_KEY 未设置（Django 的会话和 CSRF 签名密钥）"]
    if value == DEV_SECRET_KEY or value.startswith("django-insecure"):
        return ["LINLI_SECRET_KEY 是开发用的默认密钥，每份代码里都有：请生成新的（`linli prod-env`）"]
    if len(value) < MIN_SECRET_KEY_LENGTH or len(set(value)) < 5:
        return [f"LINLI_SECRET_KEY 太短或太简单：至少 {MIN_SECRET_KEY_LENGTH} 个字符、5 种以上不同字符"]
    return []


def _key_problems(name: str, value, dev_default: str, purpose: str) -> tuple[list[str], bytes | None]:
    """`value`: the variable's text (environment) or the raw key bytes (settings, already parsed)."""
    if not value:
        return [f"{name} 未设置（{purpose}，32 字节，base64 或 64 位十六进制）"], None
    try:
        key = bytes(value) if isinstance(value, (bytes, bytearray)) else parse_key(value)
    except ValueError:
        key = b""
    if len(key) != 32:
        return [f"{name} 格式不对：应为 32 字节的密钥，写成 base64 或 64 位十六进制（`linli prod-env` 生成）"], None
    if key == parse_key(dev_default):
        return [f"{name} 是开发用的默认密钥，每份代码里都有：请生成新的（`linli prod-env`），并单独备份"], key
    if len(set(key)) < 8:
        return [f"{name} 几乎没有随机性（重复的字节）：请用 `linli prod-env` 生成随机密钥"], key
    return [], key


def _database_problems(scheme: str | None) -> list[str]:
    if not scheme:
        return ["DATABASE_URL 未设置：生产环境用 PostgreSQL，例如 postgres://linli@127.0.0.1:5432/linli"]
    if scheme not in POSTGRES_SCHEMES:
        return [f"DATABASE_URL 不是 PostgreSQL（现在是 {scheme}）：内置的 SQLite 只用于演示和单机试用"]
    return []


def _redis_problems(url: str | None) -> list[str]:
    if not url:
        return ["REDIS_URL 未设置：Celery 的定时任务、共享缓存和限次计数都需要 Redis，例如 redis://127.0.0.1:6379/0"]
    if urlsplit(url).scheme not in REDIS_SCHEMES:
        return [f"REDIS_URL 格式不对（{url.split('://')[0]}://…）：应以 redis://、rediss:// 或 unix:// 开头"]
    return []


def _hosts_problems(hosts: list[str]) -> list[str]:
    if "*" in hosts:
        return ["LINLI_ALLOWED_HOSTS 不能是 *：写出站点的域名，例如 linli.example.gov.cn"]
    if not [h for h in hosts if h not in DEV_ALLOWED_HOSTS]:
        return ["LINLI_ALLOWED_HOSTS 只有开发用的默认值：写出站点的域名，例如 linli.example.gov.cn"]
    return []


def _proxies_problems(proxies: list[str]) -> list[str]:
    bad = []
    for item in proxies:
        try:
            ipaddress.ip_network(item.strip(), strict=False)
        except ValueError:
            bad.append(item.strip())
    if bad:
        return [f"LINLI_TRUSTED_PROXIES 里有不是地址或网段的项：{'、'.join(bad)}"]
    return []


def _split(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def check_environ(environ: Mapping[str, str]) -> list[str]:
    """Problems of a production environment (a mapping like os.environ), before Django is set up."""
    problems = []
    if environ.get("LINLI_PRODUCTION", "") != "1":
        problems.append("LINLI_PRODUCTION 不是 1：生产设置（HTTPS、安全 Cookie、压缩的静态文件）没有打开")
    if environ.get("LINLI_DEBUG", "0") == "1":
        problems.append("LINLI_DEBUG=1：生产环境不能打开调试模式（出错时会显示代码和设置）")
    problems += _secret_key_problems(environ.get("LINLI_SECRET_KEY"))
    field_problems, field_key = _key_problems(
        "LINLI_FIELD_KEY", environ.get("LINLI_FIELD_KEY"), DEV_FIELD_KEY, "身份证号码等敏感字段的加密密钥"
    )
    hash_problems, hash_key = _key_problems(
        "LINLI_HASH_KEY", environ.get("LINLI_HASH_KEY"), DEV_HASH_KEY, "检索用的 HMAC 密钥"
    )
    problems += field_problems + hash_problems
    if field_key is not None and field_key == hash_key:
        problems.append("LINLI_FIELD_KEY 和 LINLI_HASH_KEY 相同：两者必须是不同的随机密钥")
    url = environ.get("DATABASE_URL", "")
    problems += _database_problems(urlsplit(url).scheme if url else None)
    problems += _redis_problems(environ.get("REDIS_URL"))
    problems += _hosts_problems(_split(environ.get("LINLI_ALLOWED_HOSTS", ",".join(DEV_ALLOWED_HOSTS))))
    problems += _proxies_problems(_split(environ.get("LINLI_TRUSTED_PROXIES")))
    workers = environ.get("LINLI_WEB_WORKERS", "")
    if workers and not (workers.isdigit() and int(workers) > 0):
        problems.append(f"LINLI_WEB_WORKERS 应为正整数（现在是 {workers!r}）")
    return problems


def check_settings(settings) -> list[str]:
    """The same questions asked of loaded Django settings (the `linli check --deploy` system check)."""
    problems = []
    if not getattr(settings, "PRODUCTION", False):
        problems.append("LINLI_PRODUCTION 不是 1：生产设置（HTTPS、安全 Cookie、压缩的静态文件）没有打开")
    if settings.DEBUG:
        problems.append("LINLI_DEBUG=1：生产环境不能打开调试模式（出错时会显示代码和设置）")
    problems += _secret_key_problems(settings.SECRET_KEY)
    keys = getattr(settings, "LINLI_FIELD_KEYS", {}) or {}
    current = keys.get(getattr(settings, "LINLI_FIELD_KEY_ID", 1))
    field_problems, field_key = _key_problems(
        "LINLI_FIELD_KEY", current, DEV_FIELD_KEY, "身份证号码等敏感字段的加密密钥"
    )
    hash_problems, hash_key = _key_problems(
        "LINLI_HASH_KEY", getattr(settings, "LINLI_HASH_KEY", None), DEV_HASH_KEY, "检索用的 HMAC 密钥"
    )
    problems += field_problems + hash_problems
    if field_key is not None and field_key == hash_key:
        problems.append("LINLI_FIELD_KEY 和 LINLI_HASH_KEY 相同：两者必须是不同的随机密钥")
    engine = settings.DATABASES["default"]["ENGINE"]
    problems += _database_problems("postgresql" if engine.endswith("postgresql") else engine.rsplit(".", 1)[-1])
    problems += _redis_problems(getattr(settings, "REDIS_URL", ""))
    problems += _hosts_problems(list(settings.ALLOWED_HOSTS))
    problems += _proxies_problems(list(getattr(settings, "LINLI_TRUSTED_PROXIES", [])))
    return problems


def check_production_config(source=None) -> list[str]:
    """Chinese problems of a production configuration: `source` is an environment mapping (default os.environ) or
    Django's settings object. An empty list: fit to run for real."""
    if source is None:
        source = os.environ
    if isinstance(source, Mapping):
        return check_environ(source)
    return check_settings(source)


def format_problems(problems: list[str]) -> str:
    lines = [f"生产配置有 {len(problems)} 个问题，邻里不会启动："]
    lines += [f"  {n}. {p}" for n, p in enumerate(problems, 1)]
    lines.append("用 `linli prod-env` 生成一份环境文件（var/prod.env），说明见 docs/deploy.md。")
    return "\n".join(lines)


def deploy_check(app_configs=None, **kwargs):
    """`linli check --deploy`: under LINLI_PRODUCTION=1, every problem above is an error (linli.ops.E001)."""
    from django.conf import settings
    from django.core import checks

    if not getattr(settings, "PRODUCTION", False):
        return []  # development: Django's own deploy warnings already say it is not production
    return [checks.Error(problem, id="linli.ops.E001") for problem in check_settings(settings)]
