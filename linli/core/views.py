"""Generic building blocks for scoped pages (the home and help pages are linli.site.views)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from linli.core.querysets import require_perm
from linli.core.statements import Statement


class ScopedMixin(LoginRequiredMixin):
    """Rows come from Model.objects.restrict(user, action): 403 if the role lacks it, 404 outside scope."""

    model = None
    action = "view"
    permission: str | None = None  # defaults to "<perm_subject>.<action>"

    def get_permission(self) -> str:
        return self.permission or f"{self.model.objects.all().perm_subject}.{self.action}"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, self.get_permission())
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, action: str | None = None):
        return self.model.objects.restrict(self.request.user, action or self.action)

    def get_scoped_object(self, queryset=None, action: str | None = None):
        queryset = queryset if queryset is not None else self.scoped(action)
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


def paginate(request, queryset, per_page: int = 50, *, estimate: bool = False, count: int | None = None):
    """The requested page. `estimate=True` (for an unfiltered list over a wide scope) lets a list count its rows
    by the planner's estimate instead of COUNT(*) where the estimate passes settings.LINLI_LIST_EXACT_COUNT_MAX
    (PostgreSQL only): shown as “约 8.2 万”. `count`: the rows' number when the caller already knows it."""
    paginator = ListPaginator(queryset, per_page, estimate=estimate)
    if count is not None:
        paginator.count = count  # the cached_property's slot
    return paginator.get_page(request.GET.get("page"))


def count_each(querysets: dict) -> dict:
    """{name: number of rows} of several querysets in one statement (a scalar subquery each, planned as its own
    COUNT would be): one round trip instead of one per queryset. A value may also be a compiled statement of the
    rows' ids (linli.core.statements), or None for one that matches nothing."""
    parts, params, names, db = [], [], [], None
    counts = {}
    for name, queryset in querysets.items():
        try:
            if queryset is None:
                raise EmptyResultSet
            if isinstance(queryset, Statement):
                sql, p = queryset.sql, queryset.params
            else:
                sql, p = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # .none(): nothing to count
            counts[name] = 0
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
        params.extend(p)
        names.append(name)
        db = db or queryset.db
    if parts:
        with connections[db].cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(parts)}", params)
            counts.update(zip(names, cursor.fetchone()))
    return counts


class ListPaginator(Paginator):
    """A Paginator whose count may be an estimate (then `estimated` is True and `count_label` says 约)."""

    def __init__(self, object_list, per_page, *, estimate: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.estimate = estimate
        self.estimated = False

    @cached_property
    def count(self):
        limit = getattr(settings, "LINLI_LIST_EXACT_COUNT_MAX", 0)
        if self.estimate and limit and hasattr(self.object_list, "query"):
            rows = estimated_rows(self.object_list)
            if rows is not None and rows > limit:
                self.estimated = True
                return rows
        return super().count

    @property
    def count_label(self) -> str:
        return approximate(self.count) if self.estimated else str(self.count)


def approximate(n: int) -> str:
    """约 8.2 万 / 约 120 万 / 约 3,400: an estimate, said as one."""
    if n >= 10_000:
        wan = n / 10_000
        return f"约 {wan:.1f} 万".replace(".0 万", " 万") if wan < 100 else f"约 {round(wan)} 万"
    return f"约 {n:,}"


def estimated_rows(queryset) -> int | None:
    """How many rows the PostgreSQL planner expects the queryset to return (its statistics, no scan); None on
    other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # .none(): a user without any area
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
