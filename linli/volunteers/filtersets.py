"""Which activities: one definition shared by the activity list page and the JSON API.

The queryset handed in is already restricted (Activity.objects.restrict(user)); the community choices are
the user's too, so another community is an invalid choice (a message, 422 in the API), not an empty list.
The state (即将开始, 进行中, 已结束, 已取消) is derived from the times and the cancellation at `now`.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from linli.areas.models import Community
from linli.core.forms import LinliForm
from linli.core.widgets import FastSelect
from linli.volunteers.choices import ActivityKind, ActivityState, ActivityStatus
from linli.volunteers.models import Activity
from linli.volunteers.querysets import _own_communities

#: Dates outside these are typing mistakes (and a day past 9999-12-31 cannot be computed at all).
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def communities_for(user):
    """The communities whose activities the user sees: their area's, or (a volunteer) those they serve in."""
    q = Q(pk__in=Community.objects.restrict(user).values("pk")) | Q(pk__in=_own_communities(user))
    return Community.objects.filter(q).order_by("street_id", "code")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ActivityFilterForm(LinliForm):
    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"日期请在{EARLIEST.year}年到{LATEST.year}年之间。")
                data.pop(name, None)
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "结束日期不能早于开始日期。")
            data.pop("date_to", None)
        return data


class ActivityFilterSet(django_filters.FilterSet):
    """Filters over an already scope-restricted queryset of activities."""

    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")
    kind = django_filters.ChoiceFilter(label="活动类型", choices=ActivityKind.choices, empty_label="全部")
    state = django_filters.ChoiceFilter(
        label="状态", choices=ActivityState.choices, empty_label="全部", method="filter_state"
    )
    date_from = django_filters.DateFilter(label="开始日期从", method="filter_date_from")
    date_to = django_filters.DateFilter(label="开始日期到", method="filter_date_to")

    class Meta:
        model = Activity
        fields: list[str] = []
        form = ActivityFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, user=None, now=None, **kwargs):
        user = user or getattr(request, "user", None)
        self.now = now or timezone.now()
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = communities_for(user)
        for name in ("community", "kind", "state"):
            self.filters[name].extra["widget"] = FastSelect
        for name in ("date_from", "date_to"):
            self.filters[name].extra["widget"] = forms.DateInput(attrs={"type": "date"})

    def filter_state(self, queryset, name, value):
        if value == ActivityState.CANCELLED:
            return queryset.filter(status=ActivityStatus.CANCELLED)
        live = queryset.filter(status=ActivityStatus.OPEN)
        if value == ActivityState.UPCOMING:
            return live.filter(starts_at__gt=self.now)
        if value == ActivityState.ONGOING:
            return live.filter(starts_at__lte=self.now, ends_at__gt=self.now)
        return live.filter(ends_at__lte=self.now)

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=_day_start(value + datetime.timedelta(days=1)))
