"""Appeals in the menu, their figures and a handler's queue on the home page, a resident's and a building's
appeals on their pages, the demo's appeals, and its export kinds
(linli.core.shell, linli.core.excel.exports)."""

from django.utils import timezone

from linli.appeals import demo, panels
from linli.appeals.choices import Channel, ExportKind, QueueTab, Rating, Status, Urgency
from linli.appeals.queues import is_handling, queue_queryset
from linli.appeals.stats import home_figures
from linli.core import shell
from linli.core.excel.exports import register_export_kind
from linli.residents.home import works_in_the_registry

shell.menu_group("诉求", order=30)
shell.menu_entry(
    "诉求", "appeals:appeal_list", "诉求办理", order=10, visible=shell.perm("appeal.view", "appeal.handle")
)
shell.menu_entry("诉求", "appeals:appeal_add", "登记诉求", order=20, visible=shell.perm("appeal.add"))
shell.menu_entry("诉求", "appeals:appeal_stats", "诉求统计", order=40, visible=shell.perm("appeal.stats"))
shell.menu_entry("诉求", "appeals:problem_lists", "问题清单", order=50, visible=shell.perm("problem.view"))
shell.menu_entry(
    "诉求",
    "appeals:unit_guide",
    "啥事儿该找谁",
    order=60,
    visible=lambda user: user.has_role_perm("unit.view") or (user.role == "resident" and bool(user.resident_id)),
)
shell.menu_entry("诉求", "appeals:unit_setup", "承办单位设置", order=70, visible=shell.perm("unit.manage"))
shell.menu_entry("管理", "appeals:directory", "单位与类别目录", order=50, visible=shell.perm("unit.directory"))


def _figures(user) -> dict:
    return {"appeal_figures": home_figures(user), "can_see_appeal_stats": user.has_role_perm("appeal.stats")}


def _unit_queue(user) -> dict | None:
    """A handler's organisation's appeals to sign and the overdue ones (those who see appeals by area have 诉求)."""
    if not is_handling(user):
        return None
    now = timezone.now()
    return {"handler_queue": {tab: queue_queryset(user, tab, now).count() for tab in ("unit", "overdue")}}


shell.home_block(
    "appeals.figures",
    "appeals/_home_figures.html",
    order=130,
    context=_figures,
    visible=lambda user: works_in_the_registry(user) and user.has_role_perm("appeal.view"),
)
shell.home_block(
    "appeals.unit_queue",
    "appeals/_home_unit_queue.html",
    order=300,
    context=_unit_queue,
    visible=lambda user: not user.has_role_perm("appeal.view"),
)

# A resident's appeals on their one-view page; a building's open appeals on the building page.
shell.resident_panel(
    "appeals.reported",
    "appeals/_resident_appeals.html",
    order=30,
    context=panels.resident_appeals,
    visible=shell.perm("appeal.view"),
)
shell.building_panel(
    "appeals.open",
    "appeals/_building_appeals.html",
    order=10,
    context=panels.building_appeals,
    visible=shell.perm("appeal.view"),
)

shell.demo_step("appeals", demo.demo_step, order=30)


def export_filter_values() -> dict:
    """Per filter name, the labels of its codes in an export of appeals (the queue's tab, status ...)."""
    yes_no = {"1": "是", "0": "否"}
    return {
        "tab": dict(QueueTab.choices),
        "queue": dict(QueueTab.choices),
        "status": dict(Status.choices),
        "channel": dict(Channel.choices),
        "urgency": dict(Urgency.choices),
        "rating": dict(Rating.choices),
        "overdue": yes_no,
        "supervised": yes_no,
        "needs_reply": yes_no,
    }


for kind in ExportKind:
    # Appeal lists (the queue's Excel and the API) are filtered by appeals' codes.
    lists = kind in (ExportKind.APPEALS_XLSX, ExportKind.API_APPEALS)
    register_export_kind(kind, kind.label, filter_values=export_filter_values if lists else None)
from linli.appeals import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)
