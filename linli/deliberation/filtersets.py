"""Which matters: one definition shared by the matter list page, its Excel export and the JSON API.

The queryset handed in is already restricted (Matter.objects.restrict(user)); the grid choices are the user's
communities' grids, so another community's grid is an invalid choice (a message on the page, 422 in the API).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from linli.areas.models import Community, Grid
from linli.areas.scope import communities_for
from linli.core.widgets import FastSelect
from linli.deliberation.choices import OPEN_STATUSES, MatterScope, MatterStatus
from linli.deliberation.models import Matter

OPEN = "open"


class MatterFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[(OPEN, "进行中"), *MatterStatus.choices],
        empty_label="全部",
        method="filter_status",
    )
    scope = django_filters.ChoiceFilter(label="范围", choices=MatterScope.choices, empty_label="全部")
    grid = django_filters.ModelChoiceFilter(
        label="网格", queryset=Grid.objects.none(), empty_label="全部", method="filter_grid"
    )
    q = django_filters.CharFilter(label="关键词", method="filter_text")
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")
    closed_from = django_filters.DateFilter(label="办结日期从", field_name="closed_at__date", lookup_expr="gte")
    closed_to = django_filters.DateFilter(label="办结日期到", field_name="closed_at__date", lookup_expr="lte")

    class Meta:
        model = Matter
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        communities = communities_for(user, "matter.view")
        self.filters["grid"].queryset = Grid.objects.filter(community__in=communities).order_by(
            "community_id", "number"
        )
        self.filters["grid"].extra["widget"] = FastSelect
        self.filters["community"].queryset = communities.order_by("street_id", "code")
        self.filters["community"].extra["widget"] = FastSelect
        for name in ("closed_from", "closed_to"):
            self.filters[name].extra["widget"] = forms.DateInput(attrs={"type": "date"})

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_grid(self, queryset, name, grid):
        """Matters of that grid: scoped to it, or about buildings in it."""
        return queryset.filter(Q(grid=grid) | Q(buildings__grid=grid)).distinct()

    def filter_text(self, queryset, name, value):
        value = value.strip()[:50]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
