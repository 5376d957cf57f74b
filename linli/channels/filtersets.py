"""Which groups and which batches: one FilterSet per list page (over an already restricted queryset)."""

from __future__ import annotations

import django_filters

from linli.areas.filtersets import CommunityFilterSet
from linli.channels.choices import ChannelKind, DispatchStatus
from linli.channels.models import Dispatch, WechatGroup


class WechatGroupFilterSet(CommunityFilterSet):
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


class DispatchFilterSet(CommunityFilterSet):
    channel = django_filters.ChoiceFilter(label="渠道", choices=ChannelKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=DispatchStatus.choices, empty_label="全部")

    class Meta:
        model = Dispatch
        fields: list[str] = []
