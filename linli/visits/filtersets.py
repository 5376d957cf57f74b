"""Which 民情日记 notes: one definition shared by the diary list page and its print/.xlsx ledger.

The queryset handed in is already restricted (FieldNote.objects.restrict(user)); the grid choices are the
user's too, so another grid is an invalid choice (a message on the page, a 404 on the print ledger, which has
no form to show it in), not an empty list. The ledger is a month's: it asks for this month when none is given.
"""

from __future__ import annotations

import django_filters
from django import forms

from linli.areas.models import Grid
from linli.core.filtersets import MonthFilter
from linli.core.widgets import FastSelect
from linli.residents.filtersets import PlacedChoiceFilter
from linli.visits.models import FieldNote

NO_GRID = "找不到这个网格，或不在您的管辖范围内。"


class FieldNoteFilterSet(django_filters.FilterSet):
    """Filters over an already scope-restricted queryset of notes."""

    q = django_filters.CharFilter(label="搜索", method="filter_search")
    tag = django_filters.CharFilter(label="标签", method="filter_tag")
    grid = PlacedChoiceFilter(
        label="网格",
        queryset=Grid.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": NO_GRID},
    )
    month = MonthFilter(label="月份", field_name="written_on")

    class Meta:
        model = FieldNote
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["grid"].queryset = (
            Grid.objects.restrict(user).select_related("community").order_by("community__name", "number", "id")
        )
        self.filters["grid"].extra["widget"] = FastSelect
        self.filters["month"].extra["widget"] = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_tag(self, queryset, name, value):
        return queryset.tagged(value)
