"""Production server benchmark: gunicorn against granian (WSGI interface) on the same pages, database and worker count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_prodstack .venv/bin/linli migrate
    DATABASE_URL=... .venv/bin/linli demo
    DATABASE_URL=... REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/servers.py [--seconds 15] [--workers 5]

Each server runs Linli with the production settings (random keys generated for the run; HTTPS redirect off: the
client talks plain HTTP on 127.0.0.1) and bench/servers_wsgi.py's extra minimal view. Pages: /bench/ping/ (a minimal
Django view: the server's own cost), the login page (templates, CSRF, no query) and a logged-in list (the resident
list of a street administrator: session, scope, SQL, template). Client threads on the same machine, one keep-alive
connection each, for a bounded time per page; prints requests/s and p50/p95, and the load average before and after
(the machine is shared).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
HOST = "linli.bench.test"  # a production site name (the development names are refused)


# One set of keys for the whole run: the session made for the logged-in page is signed with this secret key.
KEYS = {
    "LINLI_SECRET_KEY": os.environ.get("LINLI_SECRET_KEY") or secrets.token_urlsafe(50),
    "LINLI_FIELD_KEY": os.environ.get("LINLI_FIELD_KEY") or base64.b64encode(secrets.token_bytes(32)).decode(),
    "LINLI_HASH_KEY": os.environ.get("LINLI_HASH_KEY") or base64.b64encode(secrets.token_bytes(32)).decode(),
}


def production_env(port: int, workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(KEYS)
    env.update(
        LINLI_PRODUCTION="1",
        LINLI_ALLOWED_HOSTS=HOST,
        LINLI_SSL_REDIRECT="0",
        LINLI_BIND=f"127.0.0.1:{port}",
        LINLI_WEB_WORKERS=str(workers),
        PYTHONPATH=str(PROJECT),
    )
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    return env


def server_command(name: str, port: int, workers: int) -> list[str]:
    if name.startswith("gunicorn"):  # gunicorn: sync workers; gunicorn-gthread: LINLI_WEB_THREADS threads each
        conf = "python:linli.ops.gunicorn_conf"
        return [sys.executable, "-m", "gunicorn", "-c", conf, "bench.servers_wsgi:application"]
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--no-ws", "--log-level", "warning", "bench.servers_wsgi:application",
    ]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 90) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/ping/", headers={"Host": HOST})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def load(port: int, path: str, headers: dict, seconds: float, threads: int):
    """Requests per second over `seconds` from `threads` threads, each on one keep-alive connection."""
    from httpload import hammer

    rps, errors, latencies = hammer(port, path, seconds=seconds, threads=threads, headers=headers)
    return rps, errors, sorted(latencies)


def pct(values, p) -> float:
    return 1000 * values[max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))] if values else 0.0


def session_cookie(env: dict[str, str]) -> str:
    """A logged-in session of the demo's street administrator, made by the server's own settings (a subprocess)."""
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from importlib import import_module\n"
        "from linli.accounts.choices import Role\n"
        "from linli.accounts.models import User\n"
        "user = User.objects.filter(role=Role.STREET_ADMIN, is_active=True).order_by('id').first()\n"
        "assert user, 'no street administrator: load the demo first (linli demo)'\n"
        "store = import_module(settings.SESSION_ENGINE).SessionStore()\n"
        "store[SESSION_KEY] = str(user.pk)\n"
        "store[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "store[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "store.save()\n"
        "print(settings.SESSION_COOKIE_NAME + '=' + store.session_key)\n"
    )
    env = dict(env, DJANGO_SETTINGS_MODULE="linli.settings")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2 * len(os.sched_getaffinity(0)) + 1)
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--servers", default="gunicorn,gunicorn-gthread,granian")
    parser.add_argument("--gthreads", type=int, default=4, help="threads per worker of gunicorn-gthread")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database with the demo loaded (see the docstring)")

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    base_env = production_env(0, args.workers)
    subprocess.run(
        [sys.executable, "-m", "linli", "serve", "--check"], env=base_env, check=True, stdout=subprocess.DEVNULL
    )  # configuration, migrations, collectstatic (both servers serve the same collected files)
    cookie = session_cookie(base_env)
    pages = [
        ("minimal view", "/bench/ping/", {}),
        ("login page", "/accounts/login/", {}),
        ("resident list (logged in)", "/residents/", {"Cookie": cookie}),
    ]
    rows = []
    for name in args.servers.split(","):
        port = free_port()
        env = production_env(port, args.workers)
        if name == "gunicorn-gthread":
            env["LINLI_WEB_THREADS"] = str(args.gthreads)
        server = subprocess.Popen(
            server_command(name, port, args.workers), env=env, start_new_session=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for(port)
            for label, path, headers in pages:
                headers = {"Host": HOST, **headers}
                load(port, path, headers, 2, args.threads)  # warm every worker
                rps, errors, lat = load(port, path, headers, args.seconds, args.threads)
                rows.append((name, label, rps, pct(lat, 50), pct(lat, 95), errors, os.getloadavg()[0]))
                print(
                    f"  {name:16} {label:26} {rps:8.1f} req/s  p50 {pct(lat, 50):7.1f} ms  "
                    f"p95 {pct(lat, 95):7.1f} ms  errors {errors}  load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=60)
    print(
        f"\n{args.workers} worker processes each, {args.threads} client threads (keep-alive), "
        f"{args.seconds:.0f} s per page; load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print("| server | page | req/s | p50 ms | p95 ms | errors | load (1 min) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, label, rps, p50, p95, errors, loadavg in rows:
        print(f"| {name} | {label} | {rps:.1f} | {p50:.1f} | {p95:.1f} | {errors} | {loadavg:.2f} |")


if __name__ == "__main__":
    main()
