"""The queues every role works from: which tabs a user has, and which appeals each tab holds.

Tabs: 待派单 (the dispatcher's inbox), 本单位待办 (a handler's queue across every community their
organisations serve), 我的超期, 待回访 and 全部. Each tab is a base queryset (queue_queryset) that
AppealFilterSet narrows further. The queue pages (views_queues), the API (api.py) and the home page all
list the same queues from here; the queue page counts and lists them through statements compiled once per
process (`Queues`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import cached_property

from django.db.models import F, OuterRef, Q, Subquery

from linli.appeals.choices import OPEN, EventAction, QueueTab, Status
from linli.appeals.models import Appeal, AppealAssist, AppealEvent
from linli.appeals.querysets import handler_org_ids
from linli.core.statements import Statement, compiled

TABS = dict(QueueTab.choices)
#: the statuses of 本单位待办: waiting for the organisation to sign, or in its hands
WORKING = (Status.PENDING_SIGN, Status.IN_PROGRESS)


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


def assisted_ids(user) -> list[int]:
    """The appeals waiting for or in the hands of another organisation that an organisation of `user` assists
    (协办): 本单位待办 lists them with its own."""
    return sorted(_assisted(tuple(handler_org_ids(user))))  # sorted: the same ids, the same statement


def _assisted(orgs: tuple[int, ...]):
    return AppealAssist.objects.filter(org_id__in=orgs, appeal__status__in=WORKING).values_list("appeal_id", flat=True)


def queue_queryset(user, tab: str, now: datetime.datetime, *, assisted: list[int] | None = None):
    """The rows of one tab, in its working order; every branch starts from Appeal.objects.restrict(user, ...).
    `assisted`: assisted_ids(user), when the caller has read them. What this reads of the user is listed in
    Queues.key: a new input must be added there."""
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
        # The assisted appeals as a list of ids, not a subquery: PostgreSQL cannot use an index for
        # "assigned_org_id IN (..) OR id IN (SELECT ..)" and filtered every open appeal of the city (300 ms at
        # 500,000 appeals); "assigned_org_id IN (..) OR id IN (1, 2)" is two index scans (8 ms).
        if assisted is None:
            assisted = assisted_ids(user)
        return (
            Appeal.objects.restrict(user, "handle")
            .filter(status__in=WORKING)
            .filter(Q(assigned_org_id__in=handler_org_ids(user)) | Q(pk__in=assisted))
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


class Queues:
    """One user's tabs at one moment (a request): each tab's queryset, and what a page reads of a tab on every view
    (its count, a page of its rows) as statements compiled once per process (linli.core.statements), not built and
    compiled again each time (~1.5 ms of CPU of a ~7 ms queue page, issue 20).

    A statement is kept per `key(tab)`: everything queue_queryset reads but the time. A new input of queue_queryset
    must be added there (test_queue_cache compares every tab's statements with its queryset's SQL for each role)."""

    def __init__(self, user, now: datetime.datetime):
        self.user, self.now = user, now

    @cached_property
    def assisted(self) -> list[int]:
        """assisted_ids, read once for the request (a query: appeals gain and lose helpers), by a statement kept
        per organisations."""
        orgs = tuple(handler_org_ids(self.user))
        statement = compiled(AppealAssist, ("assisted", orgs), lambda now: _assisted(orgs), self.now)
        return sorted(appeal_id for (appeal_id,) in statement.rows()) if statement else []

    def queryset(self, tab: str, now: datetime.datetime | None = None):
        assisted = self.assisted if tab == "unit" else None
        return queue_queryset(self.user, tab, self.now if now is None else now, assisted=assisted)

    @cached_property
    def _user_key(self) -> tuple:
        """What queue_queryset reads of the user, read once for all the tabs of the request."""
        user = self.user
        return (
            user.pk,
            user.is_superuser,
            user.is_active,
            user.role,
            user.assigned_nodes(),
            tuple(handler_org_ids(user)),
        )

    def key(self, tab: str) -> tuple:
        key = (tab, *self._user_key)
        return (*key, tuple(self.assisted)) if tab == "unit" else key

    def statement(self, tab: str, name: str, shape: Callable) -> Statement | None:
        """`shape(the tab's queryset)`, a values() or values_list() queryset that `name` names, as a statement
        with this request's time; None when the tab can hold nothing."""
        return compiled(Appeal, (name, *self.key(tab)), lambda now: shape(self.queryset(tab, now)), self.now)

    def count_statement(self, tab: str) -> Statement | None:
        """The tab's ids, for counting (linli.core.views.count_each)."""
        return self.statement(tab, "ids", lambda queryset: queryset.order_by().values("pk"))
