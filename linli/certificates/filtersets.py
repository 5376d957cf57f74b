"""证明登记簿: one FilterSet for the register page and its Excel export, over certificates already restricted."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from linli.areas.models import Community
from linli.areas.scope import communities_for
from linli.certificates.choices import CertificateKind, CertificateStatus
from linli.certificates.models import Certificate, CertificateTemplate
from linli.core.widgets import FastSelect

FIRST_YEAR, LAST_YEAR = 2000, 2100
DATE = {"type": "date"}


class CertificateFilterSet(django_filters.FilterSet):
    """Year (the register is kept per year), community, template, kind, status, issue dates and a search over the
    number and the resident's name."""

    year = django_filters.NumberFilter(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个社区，或不在您的管辖范围内。"},
    )
    template = django_filters.ModelChoiceFilter(
        label="模板",
        queryset=CertificateTemplate.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个模板，或不在您的管辖范围内。"},
    )
    kind = django_filters.ChoiceFilter(label="证明类型", choices=CertificateKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=CertificateStatus.choices, empty_label="全部")
    since = django_filters.DateFilter(
        label="开具日期从", field_name="issued_at", lookup_expr="date__gte", widget=forms.DateInput(attrs=DATE)
    )
    until = django_filters.DateFilter(
        label="至", field_name="issued_at", lookup_expr="date__lte", widget=forms.DateInput(attrs=DATE)
    )
    q = django_filters.CharFilter(label="编号或姓名", method="filter_search")

    class Meta:
        model = Certificate
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        if user is None:
            return
        self.filters["community"].queryset = communities_for(user, "certificate.view").order_by("code")
        self.filters["template"].queryset = CertificateTemplate.objects.restrict(user).order_by("kind", "id")
        for name in ("community", "template"):
            self.filters[name].extra["widget"] = FastSelect

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())[:40]
        if not value:
            return queryset
        return queryset.filter(Q(number__contains=value) | Q(resident__name__startswith=value))
