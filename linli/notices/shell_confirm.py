"""确认送达 in the shell: the 需上门告知 section of 今日走访, the progress panel on a must-confirm notice's page, the
notices demo and the confirmations export kind (linli.core.shell, linli.notices.panels)."""

from __future__ import annotations

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.notices import confirm, demo, panels
from linli.notices.choices import ExportKind, NoticeStatus

#: Rows drawn on 今日走访 at most; the rest are counted and found on the notice's own list.
DOOR_LIMIT = 200


def deadline_text(day, today) -> str:
    """ "明天截止", "今天截止", "12月9日前" or "已过截止日期（12月5日）"."""
    if day is None:
        return ""
    if day < today:
        return f"已过截止日期（{day.month}月{day.day}日）"
    if day == today:
        return "今天截止"
    if (day - today).days == 1:
        return "明天截止"
    return f"{day.month}月{day.day}日前"


def door_context(user, today):
    """The open 需上门告知 households of the user's scope, grouped by notice (deadline soonest first), in walking
    order; None (no section) when there are none."""
    from linli.notices.confirm_rows import decorate
    from linli.notices.households import door_age

    rows = list(confirm.door_rows(user, limit=DOOR_LIMIT + 1))
    if not rows:
        return None
    more = 0
    if len(rows) > DOOR_LIMIT:
        rows = rows[:DOOR_LIMIT]
        more = confirm.door_rows(user).count() - DOOR_LIMIT
    decorate(rows, user)
    groups: list[dict] = []
    for row in rows:
        if not groups or groups[-1]["notice"].pk != row.notice_id:
            groups.append({"notice": row.notice, "deadline": deadline_text(row.notice.confirm_by, today), "rows": []})
        groups[-1]["rows"].append(row)
    return {"groups": groups, "total": len(rows) + more, "more": more, "today": today, "door_age": door_age()}


def notice_progress(user, notice):
    """The notice page's 告知情况 summary: must-confirm notices only."""
    if not notice.must_confirm:
        return None
    figures = confirm.progress(notice, user) if notice.status != NoticeStatus.DRAFT else confirm.Figures()
    return {"notice": notice, "figures": figures}


shell.worklist_part(
    "notices.door",
    "notices/_worklist_door.html",
    order=10,
    context=door_context,
    visible=shell.perm("notice.confirm"),
)
panels.notice_panel(
    "notices.confirmations",
    "notices/confirm_panel.html",
    order=20,
    context=notice_progress,
    visible=shell.perm("notice.view"),
)
shell.demo_step("notices", demo.demo_step, order=62)
register_export_kinds(ExportKind)
