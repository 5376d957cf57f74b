"""Which households of a notice: one FilterSet for the confirmations list, its marking buttons and its Excel export
(over rows already restricted to the user's scope and to one notice)."""

from __future__ import annotations

import django_filters
from django.db.models import TextChoices

from linli.areas.models import Building, Grid
from linli.notices.choices import ConfirmVia
from linli.notices.models import NoticeHousehold


class HouseholdState(TextChoices):
    OPEN = "open", "未告知"
    TOLD = "told", "已告知"


class NoticeHouseholdFilterSet(django_filters.FilterSet):
    grid = django_filters.ModelChoiceFilter(label="网格", queryset=Grid.objects.none(), empty_label="全部网格")
    building = django_filters.ModelChoiceFilter(label="楼栋", queryset=Building.objects.none(), empty_label="全部楼栋")
    state = django_filters.ChoiceFilter(
        label="告知情况", choices=HouseholdState.choices, empty_label="全部", method="filter_state"
    )
    via = django_filters.ChoiceFilter(
        label="告知方式", field_name="confirmed_via", choices=ConfirmVia.choices, empty_label="全部"
    )
    needs_door = django_filters.BooleanFilter(
        label="需上门告知",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = NoticeHousehold
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        rows = queryset if queryset is not None else NoticeHousehold.objects.none()
        self.filters["grid"].queryset = Grid.objects.filter(pk__in=rows.values("grid_id")).order_by("number")
        self.filters["building"].queryset = Building.objects.filter(pk__in=rows.values("building_id")).order_by(
            "number"
        )
        self.filters["needs_door"].field.widget.choices = (("", "全部"), ("true", "是"), ("false", "否"))

    def filter_state(self, queryset, name, value):
        if value == HouseholdState.OPEN:
            return queryset.filter(confirmed_via="")
        if value == HouseholdState.TOLD:
            return queryset.exclude(confirmed_via="")
        return queryset
