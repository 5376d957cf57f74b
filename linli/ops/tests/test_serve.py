"""`linli serve`: refuses to start with missing secrets or unapplied migrations (exit code 2, a Chinese list); starts
gunicorn, a Celery worker and Celery beat as one set, answers on the port, and stops every process on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from linli.ops.management.commands.serve import process_commands
from linli.ops.tests.test_production import production_environ, subprocess_env

REDIS_URL = os.environ.get("LINLI_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
HOST = "linli.example.gov.cn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("linli serve runs on PostgreSQL (it refuses SQLite)")


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def static_root(tmp_path):
    """A collected static root with a manifest (hashed names), without compressing every file (a minute of CPU)."""
    root = tmp_path / "static"
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def run_serve(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "linli", "serve", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_it_refuses_to_start_and_names_every_missing_secret():
    result = run_serve(env=subprocess_env(LINLI_PRODUCTION="1", LINLI_SECRET_KEY="too-short"), timeout=60)
    assert result.returncode == 2
    assert "生产配置有" in result.stderr and "邻里不会启动" in result.stderr
    for expected in (
        "LINLI_SECRET_KEY 太短",
        "LINLI_FIELD_KEY 未设置",
        "LINLI_HASH_KEY 未设置",
        "DATABASE_URL 未设置",
        "REDIS_URL 未设置",
        "LINLI_ALLOWED_HOSTS",
    ):
        assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_the_processes_it_supervises(settings, tmp_path):
    settings.LINLI_BEAT_SCHEDULE_FILE = tmp_path / "var" / "celerybeat-schedule"
    full = process_commands()
    assert list(full) == ["web", "worker", "beat"]
    assert "-m gunicorn -c python:linli.ops.gunicorn_conf linli.wsgi:application" in full["web"]
    assert "-m celery -A linli worker" in full["worker"]
    assert (
        f"-m celery -A linli beat --loglevel=INFO --schedule={tmp_path / 'var' / 'celerybeat-schedule'}"
        in (full["beat"])
    )
    assert all(command.startswith("exec ") for command in full.values())  # signals reach the process itself
    assert list(process_commands(beat=False)) == ["web", "worker"]
    assert list(process_commands(web_only=True)) == ["web"]
    assert process_commands(web_only=True, bind="127.0.0.1:9001")["web"].endswith("--bind 127.0.0.1:9001")


def test_it_refuses_a_database_with_unapplied_migrations(postgres, redis_url, tmp_path):
    import psycopg

    name = connection.settings_dict["NAME"] + "_empty"
    admin = database_url("postgres").replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env = subprocess_env(
            **production_environ(DATABASE_URL=database_url(name), REDIS_URL=redis_url),
            LINLI_VAR_DIR=str(tmp_path / "var"),
            LINLI_STATIC_ROOT=str(tmp_path / "static"),
        )
        result = run_serve("--check", env=env)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert result.returncode == 2, result.stdout + result.stderr
    assert re.search(r"数据库有 \d+ 个迁移未应用（contenttypes\.0001_initial", result.stderr)
    assert "linli serve --migrate" in result.stderr


def test_it_serves_with_a_worker_and_beat_and_stops_them_all_on_ctrl_c(postgres, redis_url, static_root, tmp_path):
    port = free_port()
    env = subprocess_env(
        **production_environ(
            DATABASE_URL=database_url(connection.settings_dict["NAME"]),
            REDIS_URL=redis_url,
            LINLI_ALLOWED_HOSTS=HOST,
            LINLI_TRUSTED_PROXIES="127.0.0.1",
        ),
        LINLI_VAR_DIR=str(tmp_path / "var"),
        LINLI_STATIC_ROOT=str(static_root),
        LINLI_BIND=f"127.0.0.1:{port}",
        LINLI_WEB_WORKERS="1",
        LINLI_WORKER_CONCURRENCY="1",
    )
    serve = subprocess.Popen(
        [sys.executable, "-m", "linli", "serve", "--skip-collectstatic"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(serve.stdout.readline, "")), daemon=True)
    reader.start()
    # What nginx sends: the site's name and the scheme it was reached over (believed from 127.0.0.1 only).
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    try:
        deadline = time.monotonic() + 60
        page = None
        while time.monotonic() < deadline and serve.poll() is None:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", headers=headers, follow_redirects=True, timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert page is not None, "".join(lines)
        assert page.status_code == 200 and "/accounts/login/" in str(page.url)
        assert "登录" in page.text
        # Static files: hashed names, cached for ever (WhiteNoise in the gunicorn workers).
        css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page.text).group(1)
        static = httpx.get(f"http://127.0.0.1:{port}{css}", headers=headers, timeout=5)
        assert static.status_code == 200
        assert static.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        # Without the trusted proxy's word the request is plain HTTP: redirected to HTTPS.
        plain = httpx.get(f"http://127.0.0.1:{port}/accounts/login/", headers={"Host": HOST}, timeout=5)
        assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
        # The Celery worker and beat came up with it.
        while time.monotonic() < deadline and not (
            any("ready." in line for line in lines) and any("beat: Starting" in line for line in lines)
        ):
            time.sleep(0.3)
        assert any("ready." in line for line in lines) and any("beat: Starting" in line for line in lines), lines
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            code = serve.wait(timeout=45)
        except subprocess.TimeoutExpired:
            serve.kill()
            raise
        reader.join(timeout=5)
    output = "".join(lines)
    assert code == 0, output
    assert "SIGINT received" in output and "邻里已停止" in output
    groups = [int(pid) for pid in re.findall(r"(?:web|worker|beat) started \(pid=(\d+)\)", output)]
    assert len(groups) == 3, output
    for group in groups:  # each process and its own children (gunicorn's workers, Celery's pool)
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)
