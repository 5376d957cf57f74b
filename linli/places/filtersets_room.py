"""Which rooms: one FilterSet for the room list page, its API list and the usage figures (page and export).

The queryset handed in is already restricted (Room.objects.restrict(user)); the community choices are the user's,
so another community is an invalid choice (a Chinese message above the list), never someone else's rooms."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from linli.areas.models import Community
from linli.areas.scope import communities_for
from linli.places.choices import BookerKind, RoomKind
from linli.places.models import Room

ACTIVE = (("yes", "启用中"), ("no", "已停用"), ("all", "全部"))


class RoomFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_search")
    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个社区，或不在您的管辖范围内。"},
    )
    kind = django_filters.ChoiceFilter(label="类型", choices=RoomKind.choices, empty_label="全部")
    bookable_by = django_filters.ChoiceFilter(
        label="可预约对象", choices=BookerKind.choices, method="filter_bookable", empty_label="全部"
    )
    active = django_filters.ChoiceFilter(label="状态", choices=ACTIVE, method="filter_active", empty_label=None)

    class Meta:
        model = Room
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, active="yes", **kwargs):
        user = user or getattr(request, "user", None)
        data = data.copy() if data is not None else {}
        if not data.get("active"):
            data["active"] = active  # 启用中 unless asked (the usage figures ask for every room)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = communities_for(user, "room.view").order_by("name")

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(equipment__icontains=value) | Q(location__icontains=value))

    def filter_bookable(self, queryset, name, value):
        # JSON text containment works on SQLite and PostgreSQL alike (the codes are distinct words).
        return queryset.filter(bookable_by__icontains=f'"{value}"') if value else queryset

    def filter_active(self, queryset, name, value):
        if value == "all" or not value:
            return queryset
        return queryset.filter(is_active=value == "yes")
