"""Which notices and which saved lists: one FilterSet per list page (and the API), over an already restricted
queryset."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from linli.areas.filtersets import CommunityFilterSet
from linli.notices.choices import NoticeCategory, NoticeStatus
from linli.notices.models import Notice, SavedAudience


class NoticeFilterSet(CommunityFilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=NoticeStatus.choices, empty_label="全部")
    category = django_filters.ChoiceFilter(label="类别", choices=NoticeCategory.choices, empty_label="全部")
    q = django_filters.CharFilter(label="标题或正文", method="filter_text", max_length=50)
    sent_from = django_filters.DateFilter(label="发布日期从", field_name="sent_at__date", lookup_expr="gte")
    sent_to = django_filters.DateFilter(label="发布日期到", field_name="sent_at__date", lookup_expr="lte")

    class Meta:
        model = Notice
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value)) if value else queryset


class SavedAudienceFilterSet(CommunityFilterSet):
    q = django_filters.CharFilter(label="名单名称", field_name="name", lookup_expr="icontains", max_length=60)

    class Meta:
        model = SavedAudience
        fields: list[str] = []
