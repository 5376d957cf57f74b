"""One FilterSet per list of the hall (page, Excel export and API): appointments, 代办, walk-in tickets and the
staff's catalogue. Choice lists are the user's own (communities, counters, matters in scope), so another area's id is
an invalid choice with a Chinese message, never its rows."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from linli.areas.scope import communities_for
from linli.hall.choices import OPEN_ERRAND, AppointmentStatus, ErrandStatus, MatterCategory, TicketStatus
from linli.hall.models import Appointment, Counter, Errand, ServiceMatter, Ticket

NO_COMMUNITY = "找不到这个社区，或不在您的管辖范围内。"
NO_COUNTER = "找不到这个窗口，或不在您的管辖范围内。"
NO_MATTER = "找不到这个事项，或不在您的管辖范围内。"
DATE_ERRORS = {"invalid": "日期格式应为 YYYY-MM-DD。"}


class HallFilterSet(django_filters.FilterSet):
    """The community, counter and matter choices of the user's scope."""

    community = django_filters.ModelChoiceFilter(
        label="社区", queryset=None, empty_label="全部", error_messages={"invalid_choice": NO_COMMUNITY}
    )

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        from linli.areas.models import Community

        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = (
            communities_for(user, "hall.view").order_by("street_id", "name") if user else Community.objects.none()
        )
        if "counter" in self.filters:
            counters = Counter.objects.restrict(user) if user else Counter.objects.none()
            self.filters["counter"].queryset = counters.order_by("community_id", "sort", "name")
        if "matter" in self.filters:
            matters = ServiceMatter.objects.restrict(user) if user else ServiceMatter.objects.none()
            self.filters["matter"].queryset = matters.order_by("community_id", "sort", "name")


def _counter_filter():
    return django_filters.ModelChoiceFilter(
        label="窗口", queryset=None, empty_label="全部", error_messages={"invalid_choice": NO_COUNTER}
    )


def _matter_filter():
    return django_filters.ModelChoiceFilter(
        label="事项", queryset=None, empty_label="全部", error_messages={"invalid_choice": NO_MATTER}
    )


class AppointmentFilterSet(HallFilterSet):
    """预约: a day (default: every day), counter, matter, status, name or phone."""

    day = django_filters.DateFilter(label="日期", field_name="starts_at__date", error_messages=DATE_ERRORS)
    counter = _counter_filter()
    matter = _matter_filter()
    status = django_filters.ChoiceFilter(label="状态", choices=AppointmentStatus.choices, empty_label="全部")
    q = django_filters.CharFilter(label="姓名/电话", method="filter_q", max_length=30)

    class Meta:
        model = Appointment
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(phone__endswith=value)) if value else queryset


class ErrandFilterSet(HallFilterSet):
    """代办: status (open, overdue), matter, accepted in a date range, the resident's name."""

    STATE = (("open", "未办结"), ("overdue", "已超期"), *ErrandStatus.choices)

    state = django_filters.ChoiceFilter(label="状态", choices=STATE, method="filter_state", empty_label="全部")
    matter = _matter_filter()
    accepted_from = django_filters.DateFilter(
        label="受理起", field_name="accepted_on", lookup_expr="gte", error_messages=DATE_ERRORS
    )
    accepted_to = django_filters.DateFilter(
        label="受理止", field_name="accepted_on", lookup_expr="lte", error_messages=DATE_ERRORS
    )
    q = django_filters.CharFilter(label="居民姓名", method="filter_q", max_length=30)

    class Meta:
        model = Errand
        fields: list[str] = []

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_ERRAND)
        if value == "overdue":
            return queryset.filter(status__in=OPEN_ERRAND, due_on__lt=timezone.localdate())
        return queryset.filter(status=value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(resident__name__contains=value) if value else queryset


class TicketFilterSet(HallFilterSet):
    """取号记录: a day, counter, status."""

    day = django_filters.DateFilter(label="日期", error_messages=DATE_ERRORS)
    counter = _counter_filter()
    status = django_filters.ChoiceFilter(label="状态", choices=TicketStatus.choices, empty_label="全部")

    class Meta:
        model = Ticket
        fields: list[str] = []


class ServiceMatterFilterSet(HallFilterSet):
    """办事指南 (staff list): category, published or not, name."""

    category = django_filters.ChoiceFilter(label="类别", choices=MatterCategory.choices, empty_label="全部")
    published = django_filters.BooleanFilter(label="公开")
    q = django_filters.CharFilter(label="事项名称", field_name="name", lookup_expr="contains", max_length=30)

    class Meta:
        model = ServiceMatter
        fields: list[str] = []
