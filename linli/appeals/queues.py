"""The queues every role works from: which tabs a user has, and which appeals each tab holds.

Tabs: 待派单 (the dispatcher's inbox), 本单位待办 (a handler's queue across every community their
organisations serve), 我的超期, 待回访 and 全部. Each tab is a base queryset (queue_queryset) that
AppealFilterSet narrows further. The queue pages (views_queues), the API (api.py) and the home page all
list the same queues from here.
"""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, Subquery

from linli.appeals.choices import OPEN, EventAction, QueueTab, Status
from linli.appeals.models import Appeal, AppealAssist, AppealEvent
from linli.appeals.querysets import handler_org_ids

TABS = dict(QueueTab.choices)


def may_view_appeals(user) -> bool:
    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or user.has_role_perm("appeal.view")
            or user.has_role_perm("appeal.handle")
            or handler_org_ids(user)
        )
    )


def is_handling(user) -> bool:
    """Handles for an organisation (or holds the handler role, even before being added to one)."""
    return bool(handler_org_ids(user)) or user.has_role_perm("appeal.handle")


def tabs_for(user) -> list[str]:
    tabs = []
    if user.is_superuser or user.has_role_perm("appeal.dispatch"):
        tabs.append("dispatch")
    if is_handling(user):
        tabs.append("unit")
    tabs.append("overdue")
    if user.is_superuser or user.has_role_perm("appeal.reply"):
        tabs.append("reply")
    tabs.append("all")
    return tabs


def default_tab(user, tabs: list[str]) -> str:
    """Dispatchers start at their inbox, handlers at their unit's queue, everyone else (grid workers) at 全部."""
    for tab in ("dispatch", "unit"):
        if tab in tabs:
            return tab
    return "all"


def queue_queryset(user, tab: str, now: datetime.datetime):
    """The rows of one tab, in its working order; every branch starts from Appeal.objects.restrict(user, ...)."""
    if tab == "dispatch":
        returned = AppealEvent.objects.filter(appeal=OuterRef("pk"), action=EventAction.RETURNED).order_by("-at", "-id")
        return (
            Appeal.objects.restrict(user, "dispatch")
            .filter(status=Status.PENDING_DISPATCH)
            .annotate(
                returned_reason=Subquery(returned.values("note")[:1]),
                returned_by=Subquery(returned.values("org__name")[:1]),
            )
            .order_by("received_at", "id")
        )
    if tab == "unit":
        orgs = handler_org_ids(user)
        working = (Status.PENDING_SIGN, Status.IN_PROGRESS)
        # The assisted appeals as a list of ids, not a subquery: PostgreSQL cannot use an index for
        # "assigned_org_id IN (..) OR id IN (SELECT ..)" and filtered every open appeal of the city (300 ms at
        # 500,000 appeals); "assigned_org_id IN (..) OR id IN (1, 2)" is two index scans (8 ms).
        assisted = AppealAssist.objects.filter(org_id__in=orgs, appeal__status__in=working)
        return (
            Appeal.objects.restrict(user, "handle")
            .filter(status__in=working)
            .filter(Q(assigned_org_id__in=orgs) | Q(pk__in=list(assisted.values_list("appeal_id", flat=True))))
            .order_by(F("current_due").asc(nulls_last=True), "id")
        )
    if tab == "overdue":
        qs = Appeal.objects.restrict(user).filter(status__in=OPEN, current_due__lt=now)
        if not (user.is_superuser or user.has_role_perm("appeal.view")):
            # A handler answers for signing and resolving; the reply after resolution is the community's.
            # An assisting organisation answers for its help, not for the owner's deadline.
            qs = qs.filter(
                status__in=(Status.PENDING_SIGN, Status.IN_PROGRESS), assigned_org_id__in=handler_org_ids(user)
            )
        return qs.order_by("current_due", "id")
    if tab == "reply":
        return (
            Appeal.objects.restrict(user, "reply")
            .filter(status=Status.RESOLVED)
            .order_by(F("reply_due").asc(nulls_last=True), "id")
        )
    return Appeal.objects.restrict(user).order_by("-received_at", "-id")
