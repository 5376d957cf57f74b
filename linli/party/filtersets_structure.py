"""Which 共建单位: one FilterSet for the unit list page (and any API or export of it later).

The queryset handed in is already restricted (restrict(user)); the community choices are the user's too, so another
community is an invalid choice (a Chinese message above the list), never someone else's rows.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q

from linli.areas.models import Community
from linli.areas.scope import communities_for
from linli.party.choices import Review, UnitKind
from linli.party.models import PartnerUnit

YES_NO = (("yes", "是"), ("no", "否"))


class PartnerUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_search")
    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个社区，或不在您的管辖范围内。"},
    )
    kind = django_filters.ChoiceFilter(label="单位类型", choices=UnitKind.choices, empty_label="全部")
    in_committee = django_filters.ChoiceFilter(
        label="大党委成员单位", choices=YES_NO, method="filter_flag", empty_label="全部"
    )
    dual_registered = django_filters.ChoiceFilter(
        label="双报到单位", choices=YES_NO, method="filter_flag", empty_label="全部"
    )
    review = django_filters.ChoiceFilter(label="确认状态", choices=Review.choices, empty_label="全部")
    active = django_filters.ChoiceFilter(
        label="有效", choices=YES_NO, method="filter_active", empty_label="全部", initial="yes"
    )

    class Meta:
        model = PartnerUnit
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = communities_for(user, "party.view").order_by("name")

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(party_org_name__icontains=value) | Q(contact_name__icontains=value)
        )

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"}) if value else queryset

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes") if value else queryset
