"""Which votes: one FilterSet for the list page and the API (over an already restricted queryset)."""

from __future__ import annotations

import django_filters

from linli.areas.models import Community
from linli.votes.choices import VoteStatus
from linli.votes.models import Vote


class VoteFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=VoteStatus.choices, empty_label="全部")
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")

    class Meta:
        model = Vote
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = Community.objects.restrict(user).order_by("street_id", "code")
