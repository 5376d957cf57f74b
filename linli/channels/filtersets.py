"""Which groups and which batches: one FilterSet per list page (over an already restricted queryset)."""

from __future__ import annotations

import django_filters

from linli.areas.models import Community
from linli.channels.choices import ChannelKind, DispatchStatus
from linli.channels.models import Dispatch, WechatGroup


class _CommunityFilterSet(django_filters.FilterSet):
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = Community.objects.restrict(user).order_by("street_id", "code")


class WechatGroupFilterSet(_CommunityFilterSet):
    is_active = django_filters.BooleanFilter(
        label="状态",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = WechatGroup
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django import forms

        self.filters["is_active"].field.widget = forms.Select(
            choices=[("", "全部"), ("true", "启用中"), ("false", "已停用")]
        )


class DispatchFilterSet(_CommunityFilterSet):
    channel = django_filters.ChoiceFilter(label="渠道", choices=ChannelKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=DispatchStatus.choices, empty_label="全部")

    class Meta:
        model = Dispatch
        fields: list[str] = []
