"""Load test: a day's mix of Linli's people against gunicorn on the city-scale database, with locust.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench REDIS_URL=redis://127.0.0.1:6379/7
    .venv/bin/python bench/load.py                       # the default matrix, ~12 minutes
    .venv/bin/python bench/load.py --runs gthread:4x2@60,sync:4@60 --seconds 60

What it does:
1. prepares the people (Django ORM, this process): bench accounts `bench_load_*` with one password — a grid worker
   per grid of the first street, a staff member per community of that street, a street administrator, handlers of
   the organisation that serves the reserved community (the last one, bench/appeals_data.py leaves it empty) for
   物业 — and residents: sessions whose phone is already verified (the texted code is the only step skipped; the
   development SMS backend only logs codes), reporting in the reserved community; a pool of dispatched appeals
   there for the handlers to sign and resolve, topped up before every run;
2. for each run `CONFIG@USERS` starts gunicorn (`gunicorn linli.wsgi -k sync|gthread -w W --threads T --preload`,
   this command line, not linli/ops/gunicorn_conf.py), logs every simulated person in once through the login form
   (with its CSRF token; sessions are kept between runs), runs locust headless as a separate process
   (`locust -f bench/locustfile.py --headless -u USERS -r USERS/10 -t SECONDS --reset-stats --csv ...`; the
   statistics start when every user is spawned) and stops gunicorn;
3. prints a table (requests/s, p50/p95/p99 overall and per request type, errors, load average) and the highest
   load with p95 <= 300 ms and no error;
4. deletes what the runs wrote, and only that (others may write to the same database): appeals newer than the
   start in the reserved community or by a bench account with their events and codes, the bench grid workers'
   visits (the residents' due dates recomputed) and alerts, the change records, notifications and login records
   of those rows or accounts, the sessions, the bench accounts and organisation, Redis DB 7.

The locust client runs on the same 2 cores as gunicorn, PostgreSQL and Redis: its CPU is taken from the server.
No Celery worker runs: tasks queued by the pages (SMS, notices) wait in Redis DB 7 and are dropped at the end.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.accounts.models import AreaAssignment, User  # noqa: E402
from linli.appeals import services as appeal_services  # noqa: E402
from linli.appeals.choices import Status  # noqa: E402
from linli.appeals.models import Appeal, Category, HandlingUnit, Organisation, UnitBinding  # noqa: E402
from linli.areas.models import Building, Community, Grid  # noqa: E402
from linli.core.audit import actor_of  # noqa: E402
from linli.residents.models import Resident  # noqa: E402

PREFIX = "bench_load_"
PASSWORD = "Bench-load-" + "x" * 12
P95_GOAL_MS = 300
DEFAULT_RUNS = (
    "gthread:2x4@40,gthread:2x4@80,gthread:2x4@120,gthread:2x4@160,"
    "sync:2@120,sync:4@120,sync:5@120,gthread:4x2@120,gthread:4x2@160"
)
HANDLERS, RESIDENTS, POOL = 12, 40, 120
#: tables whose high-water mark (max id) is read before the runs: clean_up deletes only newer rows that are the bench's
WRITTEN = (
    "notifications_notification",
    "visits_visitalert",
    "visits_visit",
    "appeals_appeal",
    "core_changerecord",
    "ledgers_exportrecord",
    "axes_accesslog",
)


def log(text: str) -> None:
    print(text, flush=True)


# --- people --------------------------------------------------------------------------------------


def account(username: str, role: str, node, password_hash: str) -> User:
    user, _ = User.objects.update_or_create(
        username=username, defaults={"role": role, "full_name": username, "password": password_hash, "is_active": True}
    )
    user.assignments.all().delete()
    AreaAssignment.objects.create(user=user, **{type(node).__name__.lower(): node})
    return user


def prepare() -> dict:
    """The accounts, the reporting residents' sessions and the handlers' appeals; returns the plan (no cookies)."""
    communities = list(Community.objects.select_related("street").order_by("id"))
    street = communities[0].street
    street_communities = [c for c in communities if c.street_id == street.id]
    reserved = communities[-1]
    password_hash = make_password(PASSWORD)  # hashed once: PBKDF2 costs ~0.3 s per account
    plan = {"grid": [], "staff": [], "handler": [], "resident": [], "admin": [], "search": list("王李张刘陈杨黄赵")}
    for grid in Grid.objects.filter(community__street=street).order_by("id"):
        user = account(f"{PREFIX}grid_{grid.id}", Role.GRID_WORKER, grid, password_hash)
        residents = list(Resident.objects.filter(grid=grid).order_by("id").values_list("id", flat=True)[:200])
        if residents:
            plan["grid"].append({"username": user.username, "residents": residents})
    for community in street_communities:
        user = account(f"{PREFIX}staff_{community.id}", Role.STAFF, community, password_hash)
        buildings = list(Building.objects.filter(community=community).values_list("id", flat=True)[:30])
        plan["staff"].append({"username": user.username, "community": community.id, "buildings": buildings})
    admin = account(f"{PREFIX}street_admin", Role.STREET_ADMIN, street, password_hash)
    plan["admin"].append({"username": admin.username})
    unit = HandlingUnit.objects.get(code="property")
    try:
        org = appeal_services.organisation_for(reserved.pk, unit)
    except ValidationError:  # no 物业 bound there (the small demo): a bench organisation, deleted afterwards
        org = Organisation.objects.create(name=f"{PREFIX}物业服务中心", unit=unit, street=reserved.street)
        UnitBinding.objects.create(community=reserved, unit=unit, organisation=org)
    for i in range(HANDLERS):
        user = account(f"{PREFIX}handler_{i}", Role.DEPT_HANDLER, reserved.street, password_hash)
        user.assignments.all().delete()  # a handler's scope is their organisation
        org.handlers.add(user)
        plan["handler"].append({"username": user.username})
    buildings = list(Building.objects.filter(community=reserved).values_list("id", flat=True)[:30])
    for i in range(RESIDENTS):
        phone = f"1390000{i:04d}"
        plan["resident"].append({"phone": phone, "code": reserved.code, "buildings": buildings})
    plan["reserved"] = {"community": reserved.pk, "street": reserved.street_id, "unit": unit.pk}
    return plan


def top_up(plan: dict) -> int:
    """Dispatched appeals (待签收) in the reserved community for the handlers, reported from the residents' phones."""
    reserved = Community.objects.get(pk=plan["reserved"]["community"])
    unit = HandlingUnit.objects.get(pk=plan["reserved"]["unit"])
    staff = account(f"{PREFIX}dispatcher", Role.SECRETARY, reserved, make_password(None))
    actor = actor_of(staff)
    waiting = Appeal.objects.filter(
        community=reserved, status=Status.PENDING_SIGN, created_by__username__startswith=PREFIX
    ).count()
    buildings = plan["resident"][0]["buildings"]
    category = Category.objects.filter(code="corridor_light", is_active=True).first()
    made = 0
    for i in range(max(0, POOL - waiting)):
        with transaction.atomic():
            appeal = appeal_services.create_appeal(
                actor=actor,
                text="楼道灯坏了（压测）",
                channel="phone",
                community=reserved,
                building=Building.objects.get(pk=buildings[i % len(buildings)]),
                reporter_name="压测居民",
                reporter_phone=plan["resident"][i % len(plan["resident"])]["phone"],
                category=category,
            )
            appeal_services.dispatch(appeal, unit, actor=actor)
        made += 1
    return made


def resident_sessions(plan: dict) -> None:
    """A session per reporting resident with the phone verified (as after the texted code), in the real store."""
    from importlib import import_module

    from linli.tracking.views import PHONE

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for persona in plan["resident"]:
        session = store()
        session[PHONE] = {"phone": persona["phone"], "until": time.time() + 3600}
        session.set_expiry(3600)
        session.create()
        session.save()
        persona["cookies"] = {settings.SESSION_COOKIE_NAME: session.session_key}


def log_in(host: str, persona: dict) -> None:
    """The login form, as a browser: GET (CSRF cookie and token), POST, a 302 and the session cookie."""
    import requests

    with requests.Session() as s:
        page = s.get(f"{host}/accounts/login/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = s.post(
            f"{host}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": persona["username"], "password": PASSWORD},
            headers={"Referer": f"{host}/accounts/login/"},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code != 302 or settings.SESSION_COOKIE_NAME not in s.cookies:
            raise RuntimeError(f"登录失败：{persona['username']}（{answer.status_code}）")
        persona["cookies"] = dict(s.cookies)


# --- server and client ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_run(text: str) -> tuple[str, int, int, int]:
    """ "gthread:2x4@80" → ("gthread", 2 workers, 4 threads, 80 users); "sync:4@80" → ("sync", 4, 1, 80)."""
    config, users = text.split("@")
    kind, size = config.split(":")
    workers, _, threads = size.partition("x")
    return kind, int(workers), int(threads or 1), int(users)


def start_gunicorn(kind: str, workers: int, threads: int, port: int):
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "linli.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--worker-class={kind}",
        f"--threads={threads}",
        "--backlog=2048",
        "--timeout=60",
        "--graceful-timeout=5",
        # longer than a person's pause (1-5 s): with gunicorn's 2 s an idle keep-alive connection is closed just as
        # the client reuses it (status 0 in locust); in production nginx holds the upstream connections
        "--keep-alive=10",
        # as in production (linli/ops/gunicorn_conf.py preload_app): linli.wsgi warms up once in the master (URL
        # configuration, routing model) and the workers are forked warm; without it 5 workers each import everything
        # at once before answering (48 s at load 11)
        "--preload",
        "--log-level=warning",
    ]
    env = dict(os.environ, LINLI_DEBUG="0", PYTHONPATH=str(ROOT))
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    import requests

    end = time.time() + 120
    while time.time() < end:
        try:
            if requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn 没有启动")


def stop(server) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def run_locust(plan_path: Path, host: str, users: int, seconds: int, out: Path) -> list[dict]:
    locust = Path(sys.executable).parent / "locust"
    command = [
        str(locust),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--reset-stats",
        f"--users={users}",
        f"--spawn-rate={max(1, users / 10):.1f}",
        f"--run-time={seconds}s",
        f"--host={host}",
        f"--csv={out}",
        "--loglevel=ERROR",
        "--stop-timeout=10",
    ]
    env = dict(os.environ, LINLI_LOAD_PLAN=str(plan_path))
    with open(f"{out}_locust.log", "w", encoding="utf-8") as output:
        subprocess.run(command, env=env, cwd=ROOT, check=False, stdout=output, stderr=output, timeout=seconds + 120)
    with open(f"{out}_stats.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- cleaning up -----------------------------------------------------------------------------------


def high_water() -> dict[str, int]:
    with connection.cursor() as cur:
        marks = {}
        for table in WRITTEN:
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            marks[table] = cur.fetchone()[0]
    return marks


def clean_up(marks: dict[str, int], plan: dict | None) -> None:
    """Delete what the runs wrote, and only that (other engineers may write to the same database meanwhile):
    appeals newer than the start in the reserved community or by a bench account, with their events, codes and
    assists; visits by the bench's grid workers (the residents' due dates recomputed) and their alerts; change
    records, notifications and login records of those rows or of the bench accounts; then the accounts."""
    from importlib import import_module

    from linli.visits.services import recompute_due_dates

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for persona in [p for people in (plan or {}).values() if isinstance(people, list) for p in people]:
        if isinstance(persona, dict) and persona.get("cookies", {}).get(settings.SESSION_COOKIE_NAME):
            store(persona["cookies"][settings.SESSION_COOKIE_NAME]).delete()
    users = list(User.objects.filter(username__startswith=PREFIX).values_list("id", flat=True)) or [0]
    reserved = (plan or {}).get("reserved", {}).get("community", 0)
    deleted = {}

    def run(label, sql, params):
        cur.execute(sql, params)
        deleted[label] = deleted.get(label, 0) + cur.rowcount

    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM appeals_appeal WHERE id > %s AND (community_id = %s OR created_by_id = ANY(%s))",
            [marks["appeals_appeal"], reserved, users],
        )
        appeals = [r[0] for r in cur.fetchall()] or [0]
        cur.execute(
            "SELECT id, resident_id FROM visits_visit WHERE id > %s AND visitor_id = ANY(%s)",
            [marks["visits_visit"], users],
        )
        rows = cur.fetchall()
        visits, visited = [r[0] for r in rows] or [0], sorted({r[1] for r in rows})
        urls = [f"/appeals/{pk}/" for pk in appeals]
        with transaction.atomic():
            for table in ("appeals_appealevent", "appeals_appealassist", "tracking_trackingcode"):
                run(table, f"DELETE FROM {table} WHERE appeal_id = ANY(%s)", [appeals])
            run("appeals_appeal", "DELETE FROM appeals_appeal WHERE id = ANY(%s)", [appeals])
            run(
                "visits_visitalert",
                "DELETE FROM visits_visitalert WHERE id > %s AND resident_id = ANY(%s)",
                [marks["visits_visitalert"], visited or [0]],
            )
            run("visits_visit", "DELETE FROM visits_visit WHERE id = ANY(%s)", [visits])
            run(
                "core_changerecord",
                "DELETE FROM core_changerecord WHERE id > %s AND (actor_id = ANY(%s) OR object_id = ANY(%s) "
                "OR object_id = ANY(%s))",
                [marks["core_changerecord"], users, appeals, visits],
            )
            run(
                "notifications_notification",
                "DELETE FROM notifications_notification WHERE id > %s AND (user_id = ANY(%s) OR url = ANY(%s))",
                [marks["notifications_notification"], users, urls],
            )
            run(
                "axes_accesslog",
                "DELETE FROM axes_accesslog WHERE id > %s AND username LIKE %s",
                [marks["axes_accesslog"], PREFIX + "%"],
            )
            run(
                "ledgers_exportrecord",
                "DELETE FROM ledgers_exportrecord WHERE id > %s AND user_id = ANY(%s)",
                [marks["ledgers_exportrecord"], users],
            )
        if visited:
            recompute_due_dates(visited, today=timezone.localdate())
    UnitBinding.objects.filter(organisation__name__startswith=PREFIX).delete()
    Organisation.objects.filter(name__startswith=PREFIX).delete()
    User.objects.filter(username__startswith=PREFIX).delete()
    try:
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # this bench's own Redis DB
    except Exception as exc:  # noqa: BLE001
        log(f"Redis 未清空：{exc}")
    log("已删除压测写入的数据：" + "，".join(f"{t} {n}" for t, n in deleted.items() if n))


# --- the table -------------------------------------------------------------------------------------


def figures(rows: list[dict]) -> dict:
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "per_name": [
            (r["Name"], int(r["Request Count"]), int(r["Failure Count"]))
            + tuple(float(r[p]) if r[p] != "N/A" else 0.0 for p in ("50%", "95%", "99%"))
            for r in rows
            if r["Name"] != "Aggregated"
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default=DEFAULT_RUNS, help="CONFIG@USERS,... e.g. gthread:2x4@80,sync:4@80")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--budget", type=int, default=15 * 60, help="stop starting runs after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the rows the runs wrote (no clean-up)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("压测需要 PostgreSQL（DATABASE_URL）。")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("压测按生产配置运行：请设置 REDIS_URL（如 redis://127.0.0.1:6379/7）。")
    runs = [parse_run(r) for r in args.runs.split(",") if r]
    began = time.time()
    marks = high_water()
    plan = None
    work = Path(tempfile.mkdtemp(prefix="linli-load-"))
    results = []
    try:
        plan = prepare()
        resident_sessions(plan)
        log(
            f"database {connection.settings_dict['NAME']}: {Resident.objects.count():,} residents, "
            f"{Appeal.objects.count():,} appeals; people: {len(plan['grid'])} grid workers, {len(plan['staff'])} "
            f"staff, {len(plan['handler'])} handlers, {len(plan['resident'])} residents, 1 street admin; "
            f"preparing took {time.time() - began:.0f} s"
        )
        logged_in = False
        for kind, workers, threads, users in runs:
            if time.time() - began > args.budget - args.seconds - 30:
                log(f"预算用完，跳过其余的运行（{args.budget} s）")
                break
            made = top_up(plan)
            port = free_port()
            host = f"http://127.0.0.1:{port}"
            server = start_gunicorn(kind, workers, threads, port)
            try:
                if not logged_in:
                    people = [p for k in ("grid", "staff", "handler", "admin") for p in plan[k]]
                    t = time.time()
                    with concurrent.futures.ThreadPoolExecutor(4) as pool:
                        list(pool.map(log_in, [host] * len(people), people))
                    log(f"{len(people)} people logged in through the login form in {time.time() - t:.0f} s")
                    logged_in = True
                plan_path = work / "plan.json"
                plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
                load_before = os.getloadavg()[0]
                rows = run_locust(plan_path, host, users, args.seconds, work / f"run{len(results)}")
                load_after = os.getloadavg()[0]
            finally:
                stop(server)
            f = figures(rows)
            name = f"{kind} {workers}w" + (f"x{threads}t" if kind == "gthread" else "")
            results.append((name, users, f, load_before, load_after))
            ok = f["p95"] <= P95_GOAL_MS and f["errors"] == 0
            log(
                f"{name:14} {users:4d} users  {f['rps']:6.1f} req/s  p50 {f['p50']:5.0f}  p95 {f['p95']:5.0f}  "
                f"p99 {f['p99']:5.0f} ms  errors {f['errors']}/{f['requests']}  load {load_before:.1f}→{load_after:.1f}"
                f"  {'ok' if ok else 'over'}  (+{made} appeals for the handlers)"
            )
    finally:
        if not args.keep:
            clean_up(marks, plan)
        shutil.rmtree(work, ignore_errors=True)
    report(results, args.seconds)


def report(results, seconds):
    if not results:
        return
    log(f"\nlocust on the same 2 cores as the server, {seconds} s per run (statistics after the ramp-up)")
    log("server           users   req/s    p50    p95    p99   errors  load (1 min)")
    for name, users, f, lb, la in results:
        log(
            f"{name:15} {users:6d} {f['rps']:7.1f} {f['p50']:6.0f} {f['p95']:6.0f} {f['p99']:6.0f} "
            f"{f['errors']:8d}  {lb:.1f}→{la:.1f}"
        )
    passing = [r for r in results if r[2]["p95"] <= P95_GOAL_MS and r[2]["errors"] == 0]
    if passing:
        name, users, f, *_ = max(passing, key=lambda r: r[2]["rps"])
        log(f"\nhighest load with p95 <= {P95_GOAL_MS} ms and 0 errors: {f['rps']:.1f} req/s, {users} users, {name}")
        log(f"\nper request type at that load ({name}, {users} users):")
        log(f"{'request':44} {'count':>6} {'err':>4} {'p50':>6} {'p95':>6} {'p99':>6}")
        for n, count, err, p50, p95, p99 in sorted(f["per_name"], key=lambda x: -x[4]):
            log(f"{n:44} {count:6d} {err:4d} {p50:6.0f} {p95:6.0f} {p99:6.0f}")
    else:
        log(f"\nno run had p95 <= {P95_GOAL_MS} ms with 0 errors")
        name, users, f, *_ = min(results, key=lambda r: r[2]["p95"])
        log(f"\nper request type at the run with the lowest p95 ({name}, {users} users):")
        log(f"{'request':44} {'count':>6} {'err':>4} {'p50':>6} {'p95':>6} {'p99':>6}")
        for n, count, err, p50, p95, p99 in sorted(f["per_name"], key=lambda x: -x[4]):
            log(f"{n:44} {count:6d} {err:4d} {p50:6.0f} {p95:6.0f} {p99:6.0f}")


if __name__ == "__main__":
    main()
