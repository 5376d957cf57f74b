"""A base for the list FilterSets of rows that belong to one community: a 社区 choice limited to the communities the
user sees (Community.objects.restrict). Subclasses add their own filters and Meta."""

from __future__ import annotations

import django_filters

from linli.areas.models import Community


class CommunityFilterSet(django_filters.FilterSet):
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = Community.objects.restrict(user).order_by("street_id", "code")
