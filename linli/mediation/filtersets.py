"""Which cases and which receptions: one FilterSet each for the list page and the register export.

The queryset handed in is already restricted (Case.objects.restrict(user, "limited")); the community choices
are the user's communities, so another community is an invalid choice (a message on the page)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from linli.areas.models import Community
from linli.core.filtersets import MonthFilter
from linli.core.widgets import FastSelect
from linli.mediation.choices import CONCLUDED_STATUSES, OPEN_STATUSES, CaseStatus, CaseType, ReceptionHandling
from linli.mediation.models import Case, FollowUp, Mediator, Reception


def case_communities(user):
    """Communities whose cases the user may list: their area's, and those where they mediate."""
    mine = Mediator.objects.filter(user=user, is_active=True).values("community_id")
    return Community.objects.filter(Q(pk__in=Community.objects.restrict(user).values("pk")) | Q(pk__in=mine)).order_by(
        "street_id", "code"
    )


def _month_widget(filterset, name="month"):
    filterset.filters[name].extra["widget"] = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})


OPEN = "open"
CONCLUDED = "concluded"
DUE = "due"


class CaseFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[(OPEN, "正在办理"), (CONCLUDED, "调解结束（成功或不成）"), *CaseStatus.choices],
        empty_label="全部",
        method="filter_status",
    )
    follow_up = django_filters.ChoiceFilter(
        label="回访", choices=[(DUE, "回访到期")], empty_label="全部", method="filter_follow_up"
    )
    case_type = django_filters.ChoiceFilter(label="纠纷类型", choices=CaseType.choices, empty_label="全部")
    month = MonthFilter(label="受理月份", field_name="received_on")
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = case_communities(user)
        self.filters["community"].extra["widget"] = FastSelect
        _month_widget(self)
        if "day" in self.filters:
            self.filters["day"].extra["widget"] = forms.DateInput(attrs={"type": "date"})

    def filter_status(self, queryset, name, value):
        if value == CONCLUDED:
            return queryset.filter(status__in=CONCLUDED_STATUSES)
        return queryset.filter(status__in=OPEN_STATUSES) if value == OPEN else queryset.filter(status=value)

    def filter_follow_up(self, queryset, name, value):
        """Cases with a follow-up due today or earlier and not yet recorded (the home page's 到期回访)."""
        due = FollowUp.objects.due(timezone.localdate()).values("agreement__case_id")
        return queryset.filter(pk__in=due)


class ReceptionFilterSet(django_filters.FilterSet):
    month = MonthFilter(label="月份", field_name="received_on")
    day = django_filters.DateFilter(label="日期", field_name="received_on")
    handling = django_filters.ChoiceFilter(label="处理方式", choices=ReceptionHandling.choices, empty_label="全部")
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")

    class Meta:
        model = Reception
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = Community.objects.restrict(user).order_by("street_id", "code")
        self.filters["community"].extra["widget"] = FastSelect
        _month_widget(self)
        if "day" in self.filters:
            self.filters["day"].extra["widget"] = forms.DateInput(attrs={"type": "date"})
