"""Which children of a term: one FilterSet for the term page's roster and the roster export."""

from __future__ import annotations

import django_filters

from linli.afterschool.choices import EnrolmentStatus, Priority
from linli.afterschool.models import Enrolment


class EnrolmentFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=EnrolmentStatus.choices, empty_label="全部")
    priority = django_filters.ChoiceFilter(label="优先情形", choices=Priority.choices, empty_label="全部")
    q = django_filters.CharFilter(label="姓名", field_name="child__name", lookup_expr="contains")

    class Meta:
        model = Enrolment
        fields: list[str] = []
