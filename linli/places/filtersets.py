"""Which bookings: one FilterSet for the booking list page, its Excel export and the API list. The room choices are
the user's own (rooms in scope), so another area's room id is an invalid choice with a Chinese message."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from linli.areas.models import Community
from linli.core.widgets import FastSelect
from linli.places.choices import BookerKind, BookingStatus
from linli.places.models import Booking, Room


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class BookingFilterSet(django_filters.FilterSet):
    """功能室预约: room, status, who booked (kind and name), a date range (the booking's local day)."""

    q = django_filters.CharFilter(label="预约人/用途", method="filter_search")
    room = django_filters.ModelChoiceFilter(
        label="功能室",
        queryset=Room.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这间功能室，或不在您的管辖范围内。"},
    )
    status = django_filters.ChoiceFilter(label="状态", choices=BookingStatus.choices, empty_label="全部")
    booker_kind = django_filters.ChoiceFilter(label="预约方", choices=BookerKind.choices, empty_label="全部")
    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个社区，或不在您的管辖范围内。"},
    )
    date_from = django_filters.DateFilter(
        label="开始日期",
        method="filter_from",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "开始日期请填写有效的日期，如 2026-03-01。"},
    )
    date_to = django_filters.DateFilter(
        label="结束日期",
        method="filter_to",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "结束日期请填写有效的日期，如 2026-03-31。"},
    )

    class Meta:
        model = Booking
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        if user is None:
            return
        self.filters["room"].queryset = Room.objects.restrict(user).order_by("community_id", "sort", "name")
        self.filters["community"].queryset = Community.objects.restrict(user).order_by("street_id", "code")
        for name in ("room", "status", "booker_kind", "community"):
            self.filters[name].extra["widget"] = FastSelect

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(Q(booker_name__contains=value) | Q(purpose__contains=value))

    def filter_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        if value >= datetime.date.max:
            return queryset
        return queryset.filter(starts_at__lt=_day_start(value + datetime.timedelta(days=1)))
