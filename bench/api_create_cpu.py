"""CPU per API appeal creation, in one process: POST /api/appeals through django.test.Client with a bearer token.

Independent of the machine's load, unlike bench/appeals.py --api-only (requests/s): statements per create, Python
CPU (time.process_time), the PostgreSQL backend's CPU (/proc/<pid>/stat of this connection's backend, same machine)
and, with --profile, Python calls per create (cProfile's total_calls: deterministic) and the top functions.
The appeals are created in the community bench/appeals_data.py leaves empty and deleted afterwards.

    DATABASE_URL=postgres://... LINLI_DEBUG=0 .venv/bin/python bench/api_create_cpu.py [--creates 300] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from timing import backend_cpu, backend_pid, bench_user  # noqa: E402

import bench.ping_wsgi  # noqa: E402, F401  (adds /bench/ping/, the minimal view)
from bench.appeals_data import reserved_community  # noqa: E402
from linli.accounts.choices import Role  # noqa: E402
from linli.accounts.models import ApiToken  # noqa: E402
from linli.areas.models import Building  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="cProfile (CPU clock): calls per create, top 40")
    parser.add_argument("--profile-out", default="", help="with --profile: also write it to this file (pstats)")
    args = parser.parse_args()
    community = reserved_community()
    building = Building.objects.filter(community=community).order_by("id").first()
    user = bench_user("bench_api_secretary", Role.SECRETARY, community)
    ApiToken.objects.filter(user=user).delete()
    _, key = ApiToken.issue(user, "bench", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def post(n):
        body = {"text": f"{building.name}楼道灯坏了（CPU {n}）", "building": building.id}
        body |= {"category": "corridor_light", "reporter_name": "压测"}
        response = client.post("/api/appeals", json.dumps(body, ensure_ascii=False), content_type="application/json")
        assert response.status_code == 201, (response.status_code, response.content[:300])

    try:
        with override_settings(ALLOWED_HOSTS=["*"]):
            for n in range(20):  # warm: imports, the category catalogue, the token's last_used_at
                post(n)
            with CaptureQueriesContext(connection) as queries:
                post(-1)
            print(f"statements per create: {len(queries.captured_queries)}")
            for q in queries.captured_queries:
                print(f"    {q['sql'][:110]}")
            pid = backend_pid()
            profile = cProfile.Profile(time.process_time) if args.profile else None
            cpu, pg, wall = time.process_time(), backend_cpu(pid), time.perf_counter()
            if profile:
                profile.enable()
            for n in range(args.creates):
                post(n)
            if profile:
                profile.disable()
            cpu, pg, wall = time.process_time() - cpu, backend_cpu(pid) - pg, time.perf_counter() - wall
        n = args.creates
        print(
            f"{n} creates: Python CPU {1000 * cpu / n:.2f} ms, PostgreSQL backend CPU {1000 * pg / n:.2f} ms, "
            f"wall {1000 * wall / n:.2f} ms per create" + (" (under cProfile)" if profile else "")
        )
        if not profile:
            # The other side of bench/appeals.py's ratio, in the same terms: the minimal view's CPU per request.
            with override_settings(ALLOWED_HOSTS=["*"]):
                ping_cpu, ping_pg = time.process_time(), backend_cpu(pid)
                for _ in range(n * 4):
                    assert client.get("/bench/ping/").status_code == 200
                ping_cpu, ping_pg = time.process_time() - ping_cpu, backend_cpu(pid) - ping_pg
            per_ping = (ping_cpu + ping_pg) / (n * 4)
            print(
                f"minimal view (bench/ping_wsgi.py's /bench/ping/, {n * 4} requests): Python CPU "
                f"{1000 * ping_cpu / (n * 4):.2f} ms, PostgreSQL {1000 * ping_pg / (n * 4):.2f} ms per request; "
                f"CPU ratio minimal view / create: {per_ping / ((cpu + pg) / n):.2f} (goal of the throughput: 0.25; "
                "gunicorn's and the client's own per-request work, the same for both, is not in this figure)"
            )
        if profile:
            if args.profile_out:
                profile.dump_stats(args.profile_out)
            stats = pstats.Stats(profile)
            print(f"Python calls per create: {stats.total_calls / n:,.0f}")
            stats.sort_stats("cumulative").print_stats(int(os.environ.get("BENCH_TOP", "40")))
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        with connection.cursor() as cur:
            sub = "SELECT id FROM appeals_appeal WHERE community_id = %s"
            cur.execute(f"DELETE FROM appeals_appealevent WHERE appeal_id IN ({sub})", [community.id])
            cur.execute("DELETE FROM appeals_appeal WHERE community_id = %s", [community.id])
        ApiToken.objects.filter(user=user).delete()


if __name__ == "__main__":
    main()
