"""The first page people open: every list's unfiltered first page, for a street administrator (the widest usual
scope: one street, ~82,000 residents at city scale) and a grid worker where their list differs.

Run on PostgreSQL with city-scale data (see docs/benchmarks.md, "City-scale data"):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/python bench/firstpage.py [--runs 40]

Each list is requested through Django's test client (middleware, session, scope, templates) with no filter, and the
SQL it ran is run again on a raw cursor (bench/timing.py). Goal (issue 20): page p95 <= 100 ms for every list.
Beside the wall time, the CPU a request used: Python (this process, time.process_time) p50 / p95, the PostgreSQL
backend's CPU (mean, same machine) and the slowest run's wall / Python CPU / garbage-collector time. A slow run
whose CPU is ordinary waited for a core (other processes' load) or for a lock; one whose CPU is high did the work.
The appeals queues' tabs are here too (bench/appeals.py measures them filtered). Every list page of every app's
URLconf is listed (tests/test_firstpage_bench.py checks that a new one is added); the print ledgers (走访台账) are
not lists but a month's printout, and opening one records an export. Only reads: the two bench logins
(bench_street_admin, bench_grid_worker) are created or reassigned, nothing else is written.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
os.environ.setdefault("LINLI_DEBUG", "0")  # as in production: DEBUG keeps a log of every query

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.areas.models import Grid, Street  # noqa: E402
from linli.residents.models import Resident  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import bench_user, freeze_as_a_worker, ms, run_page, slowest  # noqa: E402

GOAL_MS = 100

#: (list, url) as a street administrator sees them, unfiltered, page 1.
STREET_LISTS = [
    ("居民台账 residents", "/residents/"),
    ("关爱群体 care groups", "/residents/tags/"),
    ("区域 area tree", "/areas/"),
    ("今日走访 visit worklist", "/visits/"),
    ("走访日志 visit diary", "/visits/diary/"),
    ("走访提醒 visit alerts", "/visits/alerts/"),
    ("超期未访 overdue visits", "/visits/coverage/overdue/"),
    ("待派单 appeals dispatch", "/appeals/?tab=dispatch"),
    ("我的超期 appeals overdue", "/appeals/?tab=overdue"),
    ("待回访 appeals reply", "/appeals/?tab=reply"),
    ("全部诉求 appeals all", "/appeals/?tab=all"),
    ("问题清单 problem lists", "/appeals/problems/"),
    ("单位通讯录 unit directory", "/appeals/directory/"),
    ("志愿活动 activities", "/volunteers/"),
    ("志愿者 volunteers", "/volunteers/people/"),
    ("志愿队伍 teams", "/volunteers/teams/"),
    ("爱心银行账户 love-bank accounts", "/lovebank/"),
    ("积分记录 deeds", "/lovebank/deeds/"),
    ("兑换记录 redemptions", "/lovebank/redemptions/"),
    ("兑换商品 catalogue", "/lovebank/catalogue/"),
    ("积分规则 earning rules", "/lovebank/rules/"),
    ("光荣榜 honour board", "/lovebank/honour/"),
    ("月度汇总 monthly totals", "/lovebank/totals/"),
    ("志愿时长 volunteer hours", "/volunteers/people/hours/"),
    ("微心愿 wishes", "/wishes/"),
    ("认领人 wish claimers", "/wishes/claimers/"),
    ("捐赠物资 donations", "/wishes/donations/"),
    ("心愿统计 wish report", "/wishes/report/"),
    ("议事 deliberation matters", "/deliberation/"),
    ("调解案件 mediation cases", "/mediation/"),
    ("来访登记 mediation receptions", "/mediation/receptions/"),
    ("调解员 mediators", "/mediation/mediators/"),
    ("调解统计 mediation figures", "/mediation/figures/"),
    ("表决 votes", "/votes/"),
    ("通知公告 notices", "/notices/"),
    ("常用名单 saved audiences", "/notices/lists/"),
    ("微信群 wechat groups", "/channels/groups/"),
    ("推送记录 dispatches", "/channels/dispatches/"),
    ("专项工作 campaigns", "/campaigns/"),
    ("专项对象 campaign targets", "/campaigns/targets/"),
    ("党员 party members", "/party/members/"),
    ("党组织 party orgs", "/party/orgs/"),
    ("党建单位 party units", "/party/units/"),
    ("党群服务中心 party centres", "/party/centres/"),
    ("三会一课 party meetings", "/party/meetings/"),
    ("组织生活落实 party compliance", "/party/compliance/"),
    ("民主评议 party appraisals", "/party/appraisals/"),
    ("党员结对 party pairings", "/party/pairings/"),
    ("党员服务 party service", "/party/service/"),
    ("功能室 rooms", "/places/rooms/"),
    ("功能室预约 bookings", "/places/bookings/"),
    ("预约审批 booking approvals", "/places/bookings/approvals/"),
    ("功能室日程 room day", "/places/day/"),
    ("使用统计 room usage", "/places/usage/"),
    ("四点半学校 after-school", "/afterschool/"),
    ("四点半学校统计 after-school figures", "/afterschool/figures/"),
    ("办事指南 hall matters", "/hall/matters/"),
    ("窗口 hall counters", "/hall/counters/"),
    ("取号 hall tickets", "/hall/tickets/"),
    ("预约 hall appointments", "/hall/appointments/"),
    ("代办 hall errands", "/hall/errands/"),
    ("社区证明 certificates", "/certificates/"),
    ("证明模板 certificate templates", "/certificates/templates/"),
    ("帮扶台账 support", "/support/"),
    ("关爱名单 care table", "/support/care/"),
    ("结对帮扶 support pairings", "/support/pairings/"),
    ("网格帮扶统计 support grids", "/support/grids/"),
    ("驻区单位 organisations", "/support/organisations/"),
    ("爱心商户 merchants", "/support/merchants/"),
    ("12345 工单 hotline orders", "/hotline/"),
    ("消息 notifications", "/notifications/"),
    ("账号 users", "/accounts/users/"),
    ("接口令牌 API tokens", "/accounts/tokens/"),
    ("Open311 密钥 API keys", "/open311/keys/"),
    ("节假日 holidays", "/workdays/holidays/"),
    ("导入记录 imports", "/ledgers/imports/"),
    ("导出记录 exports", "/ledgers/exports/"),
    ("查看记录 reveals", "/residents/reveals/"),
    ("工作报告 work reports", "/workreports/"),
    ("社区大屏 big screens", "/bigscreen/"),
]
#: The lists a grid worker opens first.
GRID_LISTS = [
    ("居民台账 residents", "/residents/"),
    ("今日走访 visit worklist", "/visits/"),
    ("走访日志 visit diary", "/visits/diary/"),
    ("诉求 appeals", "/appeals/"),
    ("关爱名单 care table", "/support/care/"),
    ("通知公告 notices", "/notices/"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--only", default="", help="measure only the lists whose name or url contains this")
    parser.add_argument("--slowest", type=int, default=0, help="list each page's N slowest statements")
    parser.add_argument("--no-freeze", action="store_true", help="no gc.freeze() after start (see gunicorn_conf)")
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a role's 403 is reported below, not logged

    street = Street.objects.order_by("id").first()
    grid = Grid.objects.filter(community__street=street).order_by("id").first()
    admin = bench_user("bench_street_admin", Role.STREET_ADMIN, street)
    worker = bench_user("bench_grid_worker", Role.GRID_WORKER, grid)
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; residents: {Resident.objects.count():,}; "
        f"street {street.name}: {Resident.objects.filter(street=street).count():,}; "
        f"grid {grid.name}: {Resident.objects.filter(grid=grid).count():,}"
    )
    load_before = os.getloadavg()
    clients = {}
    for who, user in (("street admin", admin), ("grid worker", worker)):
        clients[who] = Client()
        clients[who].force_login(user)
    if not args.no_freeze:
        freeze_as_a_worker(clients["street admin"])

    print(
        f"{'list (unfiltered, page 1)':40} {'user':12} {'p50':>8} {'p95':>8} {'SQL p95':>8} {'queries':>7} "
        f"{'CPU p50':>8} {'CPU p95':>8} {'PG CPU':>7}  {'slowest: wall/CPU/GC':>22}  goal"
    )
    misses, skipped = [], []
    cases = [("street admin", *c) for c in STREET_LISTS] + [("grid worker", *c) for c in GRID_LISTS]
    for who, name, url in cases:
        if args.only and args.only not in name and args.only not in url:
            continue
        client = clients[who]
        status = client.get(url).status_code
        if status != 200:
            skipped.append(f"{name} ({who}): HTTP {status}")
            continue
        cpu = {}
        page, raw, per_statement, nq = run_page(client, url, args.runs, cpu=cpu)
        p95 = ms(page, 95)
        met = p95 <= GOAL_MS
        worst = max(range(len(page)), key=page.__getitem__)
        slow_run = f"{page[worst] * 1000:.0f}/{cpu['python'][worst] * 1000:.0f}/{cpu['gc'][worst] * 1000:.0f} ms"
        print(
            f"{name:40} {who:12} {ms(page, 50):6.1f}ms {p95:6.1f}ms {ms(raw, 95):6.1f}ms {nq:7.0f} "
            f"{ms(cpu['python'], 50):6.1f}ms {ms(cpu['python'], 95):6.1f}ms "
            f"{1000 * statistics.fmean(cpu['pg']):5.1f}ms  {slow_run:>22}  "
            f"p95 <= {GOAL_MS} ms {'met' if met else 'NOT met'}",
            flush=True,
        )
        if not met:
            misses.append(f"{name} ({who}): {p95:.1f} ms")
        if args.slowest or not met:
            slowest(per_statement, args.slowest or 3)
    print()
    for s in skipped:
        print(f"not measured (no access for this role): {s}")
    load_after = os.getloadavg()
    print(f"load average (1, 5 min) before: {load_before[0]:.2f} {load_before[1]:.2f}; ", end="")
    print(f"after: {load_after[0]:.2f} {load_after[1]:.2f}")
    print(
        f"goal every list's first page p95 <= {GOAL_MS} ms: "
        + ("met" if not misses else "NOT met: " + "; ".join(misses))
    )


if __name__ == "__main__":
    main()
