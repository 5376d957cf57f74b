"""appeals in the shared layer (linli.core): its export kinds (appeal lists, problem lists, printed sheets, API)."""

from linli.appeals.choices import Channel, ExportKind, QueueTab, Rating, Status, Urgency
from linli.core.excel.exports import register_export_kind


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
