"""Who hears about overdue visits, after the daily sweep and when a visit keeps missing.

- each grid worker: "your grid has N residents overdue (M more than one interval late)", linking
  to 今日走访;
- each community secretary: the residents more than one whole interval late in their community,
  linking to the overdue list (longest overdue first); and every 3-misses alert.
One message per person per day (the key carries the date), so running the sweep twice tells nobody twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse

from linli.accounts.choices import Role
from linli.accounts.directory import secretaries_of, users_assigned
from linli.notifications.choices import Kind
from linli.notifications.services import notify
from linli.residents.models import Resident
from linli.visits.models import VisitAlert


def notify_overdue(today: datetime.date) -> int:
    """Send the day's overdue messages; returns how many messages were created."""
    from linli.visits.services import late_filter

    overdue = Resident.objects.active().filter(visit_due_on__lt=today)
    per_grid = (
        overdue.filter(grid__isnull=False)
        .values("grid_id", "community_id")
        .annotate(n=Count("id"), late=Count("id", filter=Q(late_filter(today))))
    )
    sent = 0
    late_per_community: dict[int, int] = defaultdict(int)
    grids = list(per_grid)
    workers: dict[int, list] = defaultdict(list)
    for user in users_assigned(role=Role.GRID_WORKER, grid_ids=[g["grid_id"] for g in grids]):
        for a in user.assignments.all():
            if a.grid_id:
                workers[a.grid_id].append(user)
    worklist = reverse("visits:worklist")
    for g in grids:
        late_per_community[g["community_id"]] += g["late"]
        late = f"，其中超过一个走访周期 {g['late']} 人" if g["late"] else ""
        sent += notify(
            workers.get(g["grid_id"], ()),
            kind=Kind.VISITS_OVERDUE,
            title=f"今日走访：您负责的网格有 {g['n']} 位居民逾期未走访{late}",
            body="请按“今日走访”的顺序逐户走访或电话联系；不在家的两天内再去。",
            url=worklist,
            key=f"visits-overdue:{today:%Y-%m-%d}:{g['grid_id']}",
        )
    # Residents without a grid are nobody's worklist: their secretary hears about them all.
    no_grid = dict(
        overdue.filter(grid__isnull=True)
        .values("community_id")
        .annotate(n=Count("id"))
        .values_list("community_id", "n")
    )
    overdue_url = reverse("visits:coverage_overdue")
    for community_id in set(late_per_community) | set(no_grid):
        parts = []
        if late_per_community.get(community_id):
            parts.append(f"{late_per_community[community_id]} 位居民逾期超过一个走访周期")
        if no_grid.get(community_id):
            parts.append(f"{no_grid[community_id]} 位逾期居民所在楼栋未分配网格")
        if not parts:
            continue
        sent += notify(
            secretaries_of([community_id]),
            kind=Kind.VISITS_LATE,
            title="走访逾期：" + "，".join(parts),
            body="逾期名单按逾期时间排序，请安排网格员尽快走访。",
            url=overdue_url,
            key=f"visits-late:{today:%Y-%m-%d}:{community_id}",
        )
    return sent


def notify_alert(alert: VisitAlert) -> int:
    """Tell the resident's community secretaries about a new alert (three misses in a row, an urgent finding)."""
    from linli.visits.choices import AlertReason

    resident = alert.resident
    body = "请联系其家属或邻居确认居民安全。"
    if alert.reason == AlertReason.URGENT:
        visit = alert.visit
        found = f"发现情况：{visit.findings}\n" if visit is not None and visit.findings else ""
        who = f"（走访人：{visit.visitor}）" if visit and visit.visitor else ""
        body = f"{found}请立即核实并安排处置{who}；处理后在“走访提醒”中标为已处理。"
    return notify(
        secretaries_of([resident.community_id]),
        kind=Kind.VISIT_ALERT,
        title=f"走访提醒：{resident.name}（{resident.building.name if resident.building_id else ''}）"
        f"{alert.get_reason_display()}",
        body=body,
        url=reverse("visits:alert_list"),
        key=f"visit-alert:{alert.pk}",
    )
