"""The day before a must-confirm notice's deadline, each grid worker with households still open in their grid hears
how many remain, with a link to those households (one message per worker and notice: the key makes a second run
tell nobody twice). Run by Celery beat at 07:30 (tasks.notices_remind) or `linli notices-remind`."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from linli.accounts.choices import Role
from linli.accounts.directory import users_assigned
from linli.notices.confirm import reminder_due
from linli.notices.models import NoticeHousehold
from linli.notifications.choices import Kind
from linli.notifications.services import notify


def remind_confirmations(today: datetime.date | None = None) -> tuple[int, int]:
    """Send the day's reminders; returns (notices due tomorrow with open households, messages created)."""
    from linli.notices.confirm_rows import list_url

    today = today or timezone.localdate()
    notices = {n.pk: n for n in reminder_due(today)}
    if not notices:
        return 0, 0
    open_per_grid = (
        NoticeHousehold.objects.filter(notice_id__in=notices, confirmed_via="", grid__isnull=False)
        .order_by()
        .values("notice_id", "grid_id")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)  # notice -> grid -> open households
    for row in open_per_grid:
        counts[row["notice_id"]][row["grid_id"]] = row["n"]
    grid_ids = {g for per_grid in counts.values() for g in per_grid}
    workers: dict[int, list] = defaultdict(list)
    for user in users_assigned(role=Role.GRID_WORKER, grid_ids=grid_ids):
        for a in user.assignments.all():
            if a.grid_id in grid_ids:
                workers[a.grid_id].append(user)
    sent = 0
    for notice_id, per_grid in counts.items():
        notice = notices[notice_id]
        per_user: dict[int, tuple] = {}
        for grid_id, n in per_grid.items():
            for user in workers.get(grid_id, ()):
                _, total, grids = per_user.get(user.pk, (user, 0, []))
                per_user[user.pk] = (user, total + n, [*grids, grid_id])
        for user, total, grids in per_user.values():
            url = list_url(notice, state="open", grid=grids[0] if len(grids) == 1 else None)
            sent += notify(
                [user],
                kind=Kind.SYSTEM,
                title=f"明天截止：“{notice.title}”您负责的网格还有 {total} 户未确认告知",
                body="请电话或上门告知，告知后在名单上登记；家里没人会用智能手机的住户已列在“今日走访”的需上门告知里。",
                url=url,
                key=f"notice-confirm-remind:{notice_id}:{today:%Y-%m-%d}",
            )
    return len(counts), sent
