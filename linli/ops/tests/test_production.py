"""The production configuration check: every problem named, in Chinese, with the variable to fix; the settings refuse
to load without keys and say which; `linli check --deploy` reports the same and is clean when all is set;
`linli prod-env` writes fresh keys once, mode 0600; gunicorn's configuration; static files hashed, compressed and
cached for ever."""

from __future__ import annotations

import base64
import gzip
import importlib
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from linli.ops import production
from linli.ops.production import DEV_FIELD_KEY, DEV_HASH_KEY, DEV_SECRET_KEY, check_production_config

PROJECT = Path(__file__).resolve().parents[3]


def production_environ(**overrides) -> dict[str, str]:
    """A complete, correct production environment with real random keys."""
    environ = {
        "LINLI_PRODUCTION": "1",
        "LINLI_SECRET_KEY": secrets.token_urlsafe(50),
        "LINLI_FIELD_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "LINLI_HASH_KEY": secrets.token_hex(32),
        "DATABASE_URL": "postgres://linli@127.0.0.1:5432/linli",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
        "LINLI_ALLOWED_HOSTS": "linli.example.gov.cn",
    }
    environ.update(overrides)
    return {k: v for k, v in environ.items() if v is not None}


def subprocess_env(**overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DATABASE_URL", "REDIS_URL"))}
    env["PYTHONPATH"] = str(PROJECT)
    env.update(overrides)
    return env


def test_a_complete_production_environment_has_no_problem():
    assert check_production_config(production_environ()) == []


def test_it_names_every_missing_item_at_once():
    problems = check_production_config({"LINLI_PRODUCTION": "1"})
    text = "\n".join(problems)
    for name in ("LINLI_SECRET_KEY", "LINLI_FIELD_KEY", "LINLI_HASH_KEY", "DATABASE_URL", "REDIS_URL"):
        assert name in text
    assert "LINLI_ALLOWED_HOSTS 只有开发用的默认值" in text
    assert all("未设置" in p for p in problems if p.startswith(("LINLI_SECRET_KEY", "LINLI_FIELD", "LINLI_HASH")))


def test_it_refuses_the_default_secret_key_and_the_development_field_keys_in_any_spelling():
    dev_field_b64 = base64.b64encode(bytes.fromhex(DEV_FIELD_KEY)).decode()
    problems = check_production_config(
        production_environ(LINLI_SECRET_KEY=DEV_SECRET_KEY, LINLI_FIELD_KEY=dev_field_b64, LINLI_HASH_KEY=DEV_HASH_KEY)
    )
    assert [p.split(" ")[0] for p in problems] == ["LINLI_SECRET_KEY", "LINLI_FIELD_KEY", "LINLI_HASH_KEY"]
    assert all("开发用的默认密钥" in p for p in problems)


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"LINLI_SECRET_KEY": "short-secret"}, "LINLI_SECRET_KEY 太短或太简单"),
        ({"LINLI_SECRET_KEY": "ab" * 40}, "LINLI_SECRET_KEY 太短或太简单"),
        ({"LINLI_FIELD_KEY": "not-a-key"}, "LINLI_FIELD_KEY 格式不对"),
        ({"LINLI_HASH_KEY": "a" * 64}, "LINLI_HASH_KEY 几乎没有随机性"),
        ({"DATABASE_URL": "sqlite:///var/linli.sqlite3"}, "DATABASE_URL 不是 PostgreSQL（现在是 sqlite）"),
        ({"DATABASE_URL": None}, "DATABASE_URL 未设置"),
        ({"REDIS_URL": None}, "REDIS_URL 未设置"),
        ({"REDIS_URL": "memcached://x"}, "REDIS_URL 格式不对"),
        ({"LINLI_ALLOWED_HOSTS": "127.0.0.1,localhost"}, "LINLI_ALLOWED_HOSTS 只有开发用的默认值"),
        ({"LINLI_ALLOWED_HOSTS": "*"}, "LINLI_ALLOWED_HOSTS 不能是 *"),
        ({"LINLI_TRUSTED_PROXIES": "127.0.0.1,nginx"}, "LINLI_TRUSTED_PROXIES 里有不是地址或网段的项：nginx"),
        ({"LINLI_DEBUG": "1"}, "LINLI_DEBUG=1"),
        ({"LINLI_PRODUCTION": "0"}, "LINLI_PRODUCTION 不是 1"),
        ({"LINLI_WEB_WORKERS": "many"}, "LINLI_WEB_WORKERS 应为正整数"),
    ],
)
def test_each_problem_names_its_variable(overrides, expected):
    problems = check_production_config(production_environ(**overrides))
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_it_refuses_one_key_for_both_encryption_and_hashing():
    key = secrets.token_hex(32)
    problems = check_production_config(production_environ(LINLI_FIELD_KEY=key, LINLI_HASH_KEY=key))
    assert problems == ["LINLI_FIELD_KEY 和 LINLI_HASH_KEY 相同：两者必须是不同的随机密钥"]


def test_settings_asks_the_same_questions_as_the_environment(settings):
    settings.PRODUCTION = True
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["linli.example.gov.cn"]
    settings.REDIS_URL = ""
    # the test settings: development keys and (maybe) SQLite
    problems = check_production_config(settings)
    text = "\n".join(problems)
    assert "LINLI_SECRET_KEY 是开发用的默认密钥" in text
    assert "LINLI_FIELD_KEY 是开发用的默认密钥" in text and "LINLI_HASH_KEY 是开发用的默认密钥" in text
    assert "REDIS_URL 未设置" in text
    errors = production.deploy_check()
    assert [e.id for e in errors] == ["linli.ops.E001"] * len(problems)
    assert [e.msg for e in errors] == problems


def test_the_deploy_check_says_nothing_in_development(settings):
    settings.PRODUCTION = False
    assert production.deploy_check() == []


def test_settings_refuse_to_load_and_name_every_missing_key():
    result = subprocess.run(
        [sys.executable, "-c", "import linli.settings"],
        env=subprocess_env(LINLI_PRODUCTION="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("RuntimeError: LINLI_PRODUCTION=1 缺少环境变量")
    assert "LINLI_SECRET_KEY, LINLI_FIELD_KEY, LINLI_HASH_KEY" in last


def run_check_deploy(environ):
    return subprocess.run(
        [sys.executable, "-m", "linli", "check", "--deploy", "--fail-level", "WARNING"],
        env=subprocess_env(**environ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_a_full_production_environment():
    result = run_check_deploy(
        production_environ(
            # A deployment names its SMS gateway and posts to WeChat groups for real (linli.tracking.W001 and
            # linli.channels.W001 warn about the log backends, on purpose).
            LINLI_SMS_BACKEND="linli.accounts.tests.sms_gateway.GatewayBackend",
            LINLI_WECHAT_BACKEND="linli.channels.wechat.WebhookBackend",
            LINLI_TRUSTED_PROXIES="127.0.0.1",
        )
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_reports_sqlite_and_a_missing_redis():
    result = run_check_deploy(production_environ(DATABASE_URL="sqlite:////tmp/linli-check.sqlite3", REDIS_URL=None))
    assert result.returncode == 1
    assert "(linli.ops.E001) DATABASE_URL 不是 PostgreSQL" in result.stderr
    assert "(linli.ops.E001) REDIS_URL 未设置" in result.stderr


def test_prod_env_writes_fresh_keys_once_readable_only_by_its_owner(tmp_path, capsys):
    first, second = tmp_path / "a.env", tmp_path / "b.env"
    call_command("prod_env", str(first), host="linli.example.gov.cn")
    call_command("prod_env", str(second), host="linli.example.gov.cn")
    out = capsys.readouterr().out
    assert "另外备份" in out
    assert stat.S_IMODE(first.stat().st_mode) == 0o600

    def read(path):
        return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and line[0] != "#")

    a, b = read(first), read(second)
    assert check_production_config(a) == [] and check_production_config(b) == []
    for key in ("LINLI_SECRET_KEY", "LINLI_FIELD_KEY", "LINLI_HASH_KEY"):
        assert a[key] != b[key]
    before = first.read_bytes()
    call_command("prod_env", str(first), host="other.example.gov.cn")
    assert first.read_bytes() == before
    assert "已经存在，没有改动" in capsys.readouterr().out


def test_prod_env_refuses_a_development_host(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="LINLI_ALLOWED_HOSTS"):
        call_command("prod_env", str(tmp_path / "p.env"), host="localhost")
    assert not (tmp_path / "p.env").exists()


def load_gunicorn_conf(monkeypatch, **environ):
    for name in ("LINLI_BIND", "LINLI_WEB_WORKERS", "LINLI_WEB_THREADS", "LINLI_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    import linli.ops.gunicorn_conf as conf

    return importlib.reload(conf)


def gunicorn_accepts(conf):
    from gunicorn.config import Config

    cfg = Config()
    for name, value in vars(conf).items():
        if name in cfg.settings:
            cfg.set(name, value)  # gunicorn's own validators
    return cfg


def test_gunicorn_sizes_workers_from_the_cores_and_trusts_no_proxy_by_default(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch)
    cfg = gunicorn_accepts(conf)
    assert cfg.workers == 2 * len(os.sched_getaffinity(0)) + 1
    assert cfg.bind == ["127.0.0.1:8000"]
    assert cfg.forwarded_allow_ips == []
    assert cfg.worker_class_str == "sync" and cfg.preload_app and cfg.accesslog is None
    assert cfg.max_requests > 0 and cfg.max_requests_jitter > 0 and cfg.graceful_timeout > 0


def test_gunicorn_takes_workers_threads_bind_and_proxies_from_the_environment(monkeypatch):
    conf = load_gunicorn_conf(
        monkeypatch,
        LINLI_WEB_WORKERS="3",
        LINLI_WEB_THREADS="4",
        LINLI_BIND="127.0.0.1:9001",
        LINLI_TRUSTED_PROXIES="127.0.0.1, 10.0.0.7/24",
    )
    cfg = gunicorn_accepts(conf)
    assert (cfg.workers, cfg.threads, cfg.worker_class_str) == (3, 4, "gthread")
    assert cfg.bind == ["127.0.0.1:9001"]
    assert cfg.forwarded_allow_ips == ["127.0.0.1/32", "10.0.0.0/24"]


def test_gunicorn_refuses_a_bad_worker_count(monkeypatch):
    with pytest.raises(SystemExit, match="LINLI_WEB_WORKERS 应为正整数"):
        load_gunicorn_conf(monkeypatch, LINLI_WEB_WORKERS="0")
    load_gunicorn_conf(monkeypatch)  # leave the module as the defaults make it


def test_the_master_hides_what_it_preloaded_from_the_workers_garbage_collector(monkeypatch):
    """when_ready (after preload_app loaded Linli, before the fork): a worker's full collection then walks only what
    its requests made, not the whole application (a 100-250 ms pause inside a request otherwise)."""
    import gc

    conf = load_gunicorn_conf(monkeypatch)
    try:
        conf.when_ready(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_hashed_static_file_is_cached_for_ever_and_served_compressed(tmp_path):
    """Production's static storage (CompressedManifestStaticFilesStorage) behind WhiteNoise: a collected file gets
    a content hash in its name, far-future immutable caching, and gzip and brotli variants."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    source = tmp_path / "src"
    (source / "linli").mkdir(parents=True)
    (source / "linli" / "app.css").write_text("body { color: #123456; }\n" * 200)
    root = tmp_path / "static"
    with override_settings(
        STATIC_ROOT=root,
        STATICFILES_DIRS=[source],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage._setup()  # the storage built for these settings
        url = staticfiles_storage.url("linli/app.css")
        assert url != "/static/linli/app.css" and url.endswith(".css")
        middleware = WhiteNoiseMiddleware(lambda request: None)
        for encoding, opener in (("gzip", gzip.decompress), ("br", None)):
            response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING=encoding))
            assert response.status_code == 200
            assert response["Cache-Control"] == "max-age=315360000, public, immutable"
            assert response["Content-Encoding"] == encoding
            assert "Accept-Encoding" in response["Vary"]
            body = b"".join(response.streaming_content)
            if opener:
                assert opener(body).startswith(b"body { color: #123456; }")
        plain = middleware(RequestFactory().get("/static/linli/app.css"))
        assert "immutable" not in plain["Cache-Control"]  # the unhashed name may change: short cache
