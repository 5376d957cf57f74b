"""The queue pages (/appeals/) and their Excel export.

Which tabs a user has and which rows each holds are defined in linli.appeals.queues (the API lists the same
queues); AppealFilterSet narrows a tab further, and the export writes exactly the rows the page lists.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.validators import EMPTY_VALUES
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.views import View
from django.views.generic import TemplateView

from linli.appeals.choices import OPEN, Status
from linli.appeals.duplicates import mark_voices
from linli.appeals.exporter import write_appeals_xlsx
from linli.appeals.filtersets import CHOICE_GROUPS, AppealFilterSet, filter_scope
from linli.appeals.queues import TABS, Queues, default_tab, is_handling, may_view_appeals, tabs_for
from linli.appeals.rows import LIGHT_SELECTS, appeal_rows, queue_rows, row_values, statement_rows
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.pagecache import FilterFields, cached
from linli.core.views import count_each, paginate
from linli.residents.filtersets import building_variant

#: tabs whose size is counted on every page view (全部 only when open: a street's total is a big count)
COUNTED_TABS = ("dispatch", "unit", "overdue", "reply")
#: The joins of a page's rows as model instances (test_queue_cache compares them with the page's): the page reads the
#: same columns as values, rows.ROW_VALUES, and the households by a second query (rows.queue_rows). Joining the
#: household table as well made PostgreSQL spend 10-13 ms *planning* the page's query (0.6 ms to run it) at 500,000
#: appeals; the five small joins plan in ~3 ms. test_queue_cache.py checks that no row reads a column of its own.
ROW_RELATED = ("category", "unit", "assigned_org", "community", "building")
ROW_PREFETCH = ("household__building",)
PER_PAGE = 30


class TabRows:
    """An unfiltered tab for the paginator: its count and its pages (QueueRows) from statements compiled once per
    process (queues.Queues), not from the tab's queryset built and compiled on every view."""

    def __init__(self, queues: Queues, tab: str):
        self.queues, self.tab = queues, tab

    def count(self) -> int:
        return count_each({self.tab: self.queues.count_statement(self.tab)})[self.tab]

    def __getitem__(self, page: slice) -> list:
        # A whole page's LIMIT even for the last one (the paginator stops it at the count): one statement per page
        # number, whatever the count.
        start = page.start
        stop = start + PER_PAGE
        statement = self.queues.statement(
            self.tab, f"rows:{start}:{stop}", lambda queryset: row_values(queryset[start:stop])
        )
        return statement_rows(statement)[: page.stop - start]


def chosen_tab(request, tabs: list[str]) -> str:
    tab = request.GET.get("tab")
    return tab if tab in tabs else default_tab(request.user, tabs)


def mark_due(appeals, now: datetime.datetime) -> None:
    """due_state per row: "overdue" (超期, red), "today" (今日到期, amber) or ""."""
    today = timezone.localdate(now)
    for a in appeals:
        a.due_state = ""
        if a.status in OPEN and a.current_due:
            if a.current_due < now:
                a.due_state = "overdue"
            elif timezone.localdate(a.current_due) == today:
                a.due_state = "today"


def mark_needs_review(appeals) -> None:
    """needs_review per row of the 待派单 tab: an uncategorised appeal whose routing suggestion is below
    LINLI_ROUTING_MIN_CONFIDENCE, so its 派单 form is not pre-filled and a person decides (需人工判断). One batch
    through the model for the page."""
    from linli.appeals.routing.services import min_confidence, suggest_many

    for a in appeals:
        a.needs_review = False
    if min_confidence() <= 0:
        return
    waiting = [a for a in appeals if a.category_id is None and a.status == Status.PENDING_DISPATCH]
    if waiting:
        for a, suggestion in zip(waiting, suggest_many((a.text, a.community_id) for a in waiting)):
            a.needs_review = suggestion.needs_review


class QueueMixin(LoginRequiredMixin):
    """Login, permission (appeal.view, appeal.handle or handling for an organisation), the tab and the filter."""

    #: without filter parameters, build the FilterSet only when asked for (the page; the export always builds it)
    lazy_filter = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_view_appeals(request.user):
            raise PermissionDenied("您的角色没有这项权限。")
        return super().dispatch(request, *args, **kwargs)

    def queue(self):
        user = self.request.user
        self.now = timezone.now()
        self.tabs = tabs_for(user)
        self.tab = chosen_tab(self.request, self.tabs)
        data = self.request.GET.copy()
        data.pop("tab", None)
        data.pop("page", None)
        self.queues = Queues(user, self.now)
        self.unfiltered = not data

        def filterset():
            return AppealFilterSet(data, self.queues.queryset(self.tab), user=user, now=self.now)

        if self.unfiltered and self.lazy_filter:
            # Nothing to filter by: the tab's rows as they are (what the FilterSet gives for no data; test_queues
            # compares), read by compiled statements, and the FilterSet (its scoped querysets and form, ~3 ms) only
            # if something asks for it.
            self.filterset = SimpleLazyObject(filterset)
            return TabRows(self.queues, self.tab)
        self.filterset = filterset()
        self.prepare_filter(data)
        return self.filterset.qs

    def prepare_filter(self, data) -> None:
        """Before the filter is validated (the list page draws and checks its drop-downs from the cache)."""

    def tab_counts(self) -> dict[str, int]:
        """The counted tabs' sizes in one statement (of the statements kept per process: queues.Queues)."""
        return count_each({t: self.queues.count_statement(t) for t in self.tabs if t in COUNTED_TABS})


class AppealListView(QueueMixin, TemplateView):
    """The queues; with htmx the filter form swaps in just the rows."""

    template_name = "appeals/appeal_list.html"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "appeal-results":
            return ["appeals/_appeal_rows.html"]
        return [self.template_name]

    @cached_property
    def scope(self) -> str:
        return filter_scope(self.request.user)

    def rows_only(self) -> bool:
        return bool(self.request.htmx and self.request.htmx.target == "appeal-results")  # only the rows go back

    lazy_filter = True

    def prepare_filter(self, data) -> None:
        self.filter_fields.prepare()

    @cached_property
    def filter_fields(self) -> FilterFields:
        """The filter form's drop-downs from the scope's cached rows (a chosen one checked against them) and its fields'
        markup, unfiltered the scope's kept per process (pagecache.FilterFields); the FilterSet may still be lazy."""
        return FilterFields(
            self.filterset,
            name="appeal_filter",
            selects=LIGHT_SELECTS,
            groups=CHOICE_GROUPS,
            scope=self.scope,
            unfiltered=self.unfiltered,
            variants={"building": building_variant},
            fieldsets={"status": "status-choices"},
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        qs = self.queue()
        counts = self.tab_counts()
        # Unfiltered, the page lists the tab's rows: its count is already known.
        filtered = not self.unfiltered and any(v not in EMPTY_VALUES for v in self.filterset.form.cleaned_data.values())
        page = paginate(self.request, qs, PER_PAGE, count=None if filtered else counts.get(self.tab))
        if not isinstance(page.object_list, list):  # a filtered page's queryset (TabRows gives rows)
            page.object_list = queue_rows(page.object_list)
        mark_due(page.object_list, self.now)
        mark_voices(page.object_list)
        if self.tab == "dispatch":
            mark_needs_review(page.object_list)
        ctx["tabs"] = [{"code": t, "label": TABS[t], "count": counts.get(t)} for t in self.tabs]
        ctx["tab"] = self.tab
        ctx["tab_label"] = TABS[self.tab]
        ctx["filter"] = self.filterset
        ctx["filters_open"] = any(self.request.GET.get(k) for k in AppealFilterSet.base_filters if k != "q")
        ctx["q_value"] = self.request.GET.get("q")  # the search box: the form's q.value() (TextInput: GET's last q)
        ctx["page"] = page
        query = self.request.GET.copy()
        query.pop("page", None)
        query["tab"] = self.tab
        ctx["querystring"] = query.urlencode()
        ctx["can_export"] = may_export(user)
        ctx["add_url"] = intake_url(user)
        scope = self.scope
        if self.tab == "dispatch":
            from linli.appeals.views_bulk import bulk_units

            ctx["bulk_units"] = cached(
                "appeal_bulk_units", CHOICE_GROUPS, scope, lambda: list(bulk_units().values("pk", "name"))
            )
        ctx["rows_html"] = appeal_rows(page.object_list, tab=self.tab, bulk=bool(ctx.get("bulk_units")))
        if not self.rows_only():
            ctx["filter_fields"] = self.filter_fields.html()
        return ctx


def intake_url(user) -> str | None:
    """The intake page, for roles that register appeals (built by another page family; absent until then)."""
    if not user.has_role_perm("appeal.add"):
        return None
    try:
        return reverse("appeals:appeal_add")
    except NoReverseMatch:
        return None


def may_export(user) -> bool:
    """appeal.export (dispatchers); a handler may export their own queue too (scope keeps it to their orgs)."""
    return user.is_superuser or user.has_role_perm("appeal.export") or is_handling(user)


class AppealExportView(QueueMixin, View):
    """The queue page's rows (same tab, filter and scope) as an .xlsx attachment; recorded as an export."""

    def get(self, request):
        user = request.user
        if not may_export(user):
            raise PermissionDenied("您的角色没有这项权限。")
        qs = self.queue()
        filters = {"tab": self.tab}
        for name, value in cleaned_filters(self.filterset).items():
            if value not in ([], None, ""):
                filters[name] = value.isoformat() if isinstance(value, datetime.date) else value
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_appeals_xlsx(qs, user=user, out=out, now=self.now, filters=filters),
            f"诉求_{TABS[self.tab]}_{stamp}.xlsx",
            f"appeals_{self.tab}_{stamp}.xlsx",
        )
