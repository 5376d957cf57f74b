"""Which votes: one FilterSet for the list page and the API (over an already restricted queryset)."""

from __future__ import annotations

import django_filters

from linli.areas.filtersets import CommunityFilterSet
from linli.votes.choices import VoteStatus
from linli.votes.models import Vote


class VoteFilterSet(CommunityFilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=VoteStatus.choices, empty_label="全部")

    class Meta:
        model = Vote
        fields: list[str] = []
