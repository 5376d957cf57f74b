"""Appeals benchmark: the queues, the figures page and the detail page against raw SQL; API throughput.

Run on PostgreSQL with city-scale data:
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench
    .venv/bin/linli migrate && .venv/bin/linli demo --communities 122      # ~1,000,000 residents
    .venv/bin/python bench/appeals_data.py            # 500,000 appeals in 100 communities (idempotent)
    .venv/bin/python bench/appeals.py [--runs 60] [--api-seconds 20] [--generate]

Cases (each page through Django's test client, with its SQL re-run on a raw cursor; the queues also as
their ORM queryset against its own SQL):
- (a) 本单位待办 (?tab=unit) for the property handler of the first street (every community it serves);
- (b) 待派单 (?tab=dispatch), the dispatcher inbox of a community secretary;
- (c) 诉求统计 /appeals/stats/ for a secretary (one community) and a street admin (a street);
- (d) the detail page of a closed appeal (secretary).
Goals: queue pages p95 <= 100 ms, figures p95 <= 300 ms.

API: POST /api/appeals (bearer token, read-write) and a minimal Django JSON view, both served by the same
gunicorn (bench/ping_wsgi.py: Linli plus /bench/ping/; --workers, default production's 2 x cores + 1,
--worker-class, --server-threads) with
the same settings and middleware, loaded by concurrent threads for --api-seconds each (--api-only: just that). The
appeals are created in the community bench/appeals_data.py leaves empty and deleted afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.accounts.models import ApiToken, User  # noqa: E402
from linli.appeals.choices import Status  # noqa: E402
from linli.appeals.models import Appeal  # noqa: E402
from linli.appeals.queues import queue_queryset  # noqa: E402
from linli.appeals.rows import queue_rows  # noqa: E402
from linli.appeals.views_queues import PER_PAGE  # noqa: E402
from linli.areas.models import Building  # noqa: E402
from linli.ops import gunicorn_conf  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import bench_user, freeze_as_a_worker, line, ms, run_orm, run_page, slowest  # noqa: E402

# --- the API server and its load -------------------------------------------------------------------


def serve(port: int, workers: int, kind: str = "sync", threads: int = 1):
    """gunicorn (the pinned production server) on bench/ping_wsgi.py: Linli plus the minimal view /bench/ping/.
    This command line, not linli/ops/gunicorn_conf.py (whose bind and proxy settings are production's); the workers
    default to production's count (--workers): sync workers idle while a create's COMMIT waits for the disk."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "bench.ping_wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--worker-class={kind}",
        f"--threads={threads}",
        "--backlog=2048",
        "--log-level=warning",
    ]
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, LINLI_DEBUG="0", PYTHONPATH=str(root))
    return subprocess.Popen(command, env=env, cwd=root, start_new_session=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, method: str, path: str, body_for, headers: dict, seconds: float, threads: int):
    """Requests per second over `seconds` from `threads` threads, one connection per request (HTTP/1.0)."""
    from httpload import hammer  # bench/httpload.py, shared with bench/servers.py

    return hammer(
        port, path, seconds=seconds, threads=threads, method=method, headers=headers, body_for=body_for,
        keep_alive=False, ok_statuses=(200, 201),
    )  # fmt: skip


def wait_for(port: int, timeout: float = 120) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/ping/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the bench server did not start")


def api_bench(
    seconds: float, threads: int, workers: int, kind: str = "sync", server_threads: int = 1, rounds: int = 3
) -> None:
    """The minimal view and the create, one after the other, `rounds` times on one server: the machine's load
    drifts within a minute (other processes, the PostgreSQL checkpointer), so one pair of runs can swing the ratio by
    a third; each round's ratio is printed, and the median is the figure."""
    from bench.appeals_data import reserved_community

    community = reserved_community()
    building = Building.objects.filter(community=community).order_by("id").first()
    user = bench_user("bench_api_secretary", Role.SECRETARY, community)
    ApiToken.objects.filter(user=user).delete()
    _, key = ApiToken.issue(user, "bench", scope="write")
    before = Appeal.objects.filter(community=community).count()
    port = free_port()
    server = serve(port, workers, kind, server_threads)
    try:
        wait_for(port)
        auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

        def appeal_body(i, n):
            return json.dumps(
                {
                    "text": f"{building.name}楼道灯坏了（压测 {i}-{n}）",
                    "building": building.id,
                    "category": "corridor_light",
                    "reporter_name": "压测",
                },
                ensure_ascii=False,
            ).encode()

        load(port, "GET", "/bench/ping/", lambda i, n: None, {}, 2, threads)  # warm the workers
        results = []
        for _ in range(max(1, rounds)):
            ping = load(port, "GET", "/bench/ping/", lambda i, n: None, {}, seconds, threads)
            api = load(port, "POST", "/api/appeals", appeal_body, auth, seconds, threads)
            results.append((ping, api))
    finally:
        os.killpg(server.pid, 15)
        server.wait()
    created = Appeal.objects.filter(community=community).count() - before
    print(
        f"\nAPI on gunicorn ({kind}, {workers} workers"
        + (f" x {server_threads} threads" if kind == "gthread" else "")
        + f"), {threads} client threads, "
        f"{seconds:.0f} s each (one connection per request):"
    )
    ratios = []
    for n, ((ping_rps, ping_err, ping_lat), (api_rps, api_err, api_lat)) in enumerate(results, 1):
        print(
            f"  round {n}: minimal Django view GET /bench/ping/   {ping_rps:8.1f} req/s  p50 {ms(ping_lat, 50):6.1f} ms"
            f"  p95 {ms(ping_lat, 95):6.1f} ms  errors {ping_err}"
        )
        print(
            f"  round {n}: POST /api/appeals (create)            {api_rps:8.1f} req/s  p50 {ms(api_lat, 50):6.1f} ms"
            f"  p95 {ms(api_lat, 95):6.1f} ms  errors {api_err}"
        )
        ratios.append(api_rps / ping_rps)
        print(f"  round {n}: ratio create / minimal view: {ratios[-1]:.2f}")
    middle = statistics.median(ratios)
    print(
        f"  ratio create / minimal view, median of {len(ratios)} rounds: {middle:.2f} ({1 / middle:.1f}x slower; "
        f"rounds {', '.join(f'{r:.2f}' for r in ratios)}); {created:,} created"
    )
    with connection.cursor() as cur:
        sub = "SELECT id FROM appeals_appeal WHERE community_id = %s"
        cur.execute(f"DELETE FROM appeals_appealevent WHERE appeal_id IN ({sub})", [community.id])
        cur.execute("DELETE FROM appeals_appeal WHERE community_id = %s", [community.id])
    ApiToken.objects.filter(user=user).delete()
    print(f"  deleted the {created:,} appeals created by the run ({community.name})")


# --- pages -----------------------------------------------------------------------------------------


class PageRows:
    """A queue page's rows as the page reads them (rows.queue_rows), read when iterated: run_orm times that."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __iter__(self):
        return iter(queue_rows(self.queryset))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--api-seconds", type=float, default=20, help="0 skips the API throughput run")
    parser.add_argument(
        "--api-rounds", type=int, default=3, help="minimal view then create, this many times; the median ratio counts"
    )
    parser.add_argument("--threads", type=int, default=8, help="client threads of the API load")
    parser.add_argument(
        "--workers",
        type=int,
        default=gunicorn_conf.workers,
        help="server processes, for both sides of the ratio; default: production's (linli/ops/gunicorn_conf.py: "
        "LINLI_WEB_WORKERS or 2 x cores + 1)",
    )
    parser.add_argument("--generate", action="store_true", help="run bench/appeals_data.py first (idempotent)")
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"), help="gunicorn worker class")
    parser.add_argument("--server-threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--api-only", action="store_true", help="only the API throughput run")
    args = parser.parse_args()
    from bench.appeals_data import HANDLER, bench_communities, generate

    if args.generate:
        generate()
    if args.api_only:
        api_bench(args.api_seconds, args.threads, args.workers, args.worker_class, args.server_threads, args.api_rounds)
        print(f"load average after the API run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return
    communities = bench_communities(100)
    community = communities[0]
    street = community.street
    handler = User.objects.get(username=HANDLER)
    secretary = bench_user("bench_secretary", Role.SECRETARY, community)
    admin = bench_user("bench_street_admin", Role.STREET_ADMIN, street)
    now = timezone.now()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; appeals: {Appeal.objects.count():,}; "
        f"street {street.name}: {Appeal.objects.filter(street=street).count():,}; community {community.name}: "
        f"{Appeal.objects.filter(community=community).count():,}; load average {os.getloadavg()[0]:.2f}"
    )
    clients = {}
    for user in (handler, secretary, admin):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    freeze_as_a_worker(clients[secretary.pk])  # as production's workers (gunicorn_conf.when_ready)
    goals = {}
    header = f"{'case':44} {'p50':>11} {'p95':>11} {'raw p50':>10} {'raw p95':>10} {'ratio':>6}"
    print()
    print(header)

    # (a) 本单位待办 for the property handler
    n = queue_queryset(handler, "unit", now).count()
    page, raw, per, nq = run_page(clients[handler.pk], "/appeals/?tab=unit", args.runs)
    p95, _ = line("(a) 本单位待办 page (property handler)", page, raw, f"{nq:.0f} queries, {n:,} rows")
    goals["(a) 本单位待办 page p95 <= 100 ms"] = (p95 <= 100, f"{p95:.1f} ms")
    orm, raw = run_orm(lambda: PageRows(queue_queryset(handler, "unit", now)[:PER_PAGE]), args.runs)
    line("    rows as the page reads them (first page)", orm, raw)
    slowest(per)

    # (b) 待派单 for the community secretary
    n = queue_queryset(secretary, "dispatch", now).count()
    page, raw, per, nq = run_page(clients[secretary.pk], "/appeals/?tab=dispatch", args.runs)
    p95, _ = line("(b) 待派单 page (secretary)", page, raw, f"{nq:.0f} queries, {n:,} rows")
    goals["(b) 待派单 page p95 <= 100 ms"] = (p95 <= 100, f"{p95:.1f} ms")
    orm, raw = run_orm(lambda: PageRows(queue_queryset(secretary, "dispatch", now)[:PER_PAGE]), args.runs)
    line("    rows as the page reads them (first page)", orm, raw)
    slowest(per)

    # (c) 诉求统计
    stats = reverse("appeals:appeal_stats")
    for label, user in (("secretary, one community", secretary), ("street admin, a street", admin)):
        page, raw, per, nq = run_page(clients[user.pk], stats, max(10, args.runs // 2), warm=2)
        p95, _ = line(f"(c) 诉求统计 page ({label})", page, raw, f"{nq:.0f} queries")
        goals[f"(c) 诉求统计 ({label}) p95 <= 300 ms"] = (p95 <= 300, f"{p95:.1f} ms")
        slowest(per, 4)

    # (d) detail page
    pk = (
        Appeal.objects.filter(community=community, status=Status.CLOSED)
        .order_by("-received_at")
        .values_list("pk", flat=True)[7]
    )
    page, raw, per, nq = run_page(clients[secretary.pk], reverse("appeals:appeal_detail", args=[pk]), args.runs)
    p95, _ = line("(d) detail page (secretary, closed appeal)", page, raw, f"{nq:.0f} queries")
    goals["(d) detail page p95 <= 100 ms"] = (p95 <= 100, f"{p95:.1f} ms")
    slowest(per)

    print(f"load average after the pages: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.api_seconds:
        api_bench(args.api_seconds, args.threads, args.workers, args.worker_class, args.server_threads, args.api_rounds)
        print(f"load average after the API run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    for goal, (met, figure) in goals.items():
        print(f"goal {goal}: {'met' if met else 'NOT met'} ({figure})")


if __name__ == "__main__":
    main()
