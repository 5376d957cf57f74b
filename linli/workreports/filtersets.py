"""工作报告 list: one FilterSet over reports already restricted (node, period, year, status)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from linli.areas.models import Community
from linli.areas.scope import communities_for
from linli.workreports.choices import ReportLevel, ReportPeriod, ReportStatus
from linli.workreports.models import WorkReport


class WorkReportFilterSet(django_filters.FilterSet):
    node = django_filters.ChoiceFilter(label="单位", method="filter_node", empty_label="全部")
    period = django_filters.ChoiceFilter(label="报告类型", choices=ReportPeriod.choices, empty_label="全部")
    year = django_filters.NumberFilter(label="年度", min_value=2000, max_value=2100)
    month = django_filters.NumberFilter(label="月份", min_value=1, max_value=12)
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatus.choices, empty_label="全部")

    class Meta:
        model = WorkReport
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        choices = []
        if user is not None:
            streets = {
                r.street_id: r.street.name
                for r in queryset.filter(level=ReportLevel.STREET).select_related("street")[:50]
            }
            choices += [(f"street:{pk}", name) for pk, name in streets.items()]
            communities = communities_for(user, "workreport.view", Community.objects.order_by("code"))
            choices += [(f"community:{c.pk}", c.name) for c in communities]
        self.filters["node"].extra["choices"] = choices

    def filter_node(self, queryset, name, value):
        level, _, pk = value.partition(":")
        if level == ReportLevel.STREET:
            return queryset.filter(level=ReportLevel.STREET, street_id=pk)
        return queryset.filter(Q(level=ReportLevel.COMMUNITY, community_id=pk))
