"""Which accounts and which catalogue items: one definition each, shared by the love bank's pages and its API.

The querysets handed in are already restricted (Account/CatalogueItem.objects.restrict(user)); the community
choices are the user's too, so another community is an invalid choice (a message on the page, 422 in the
API), not an empty list.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q

from linli.areas.models import Community
from linli.core.widgets import FastSelect
from linli.lovebank.models import Account, CatalogueItem
from linli.lovebank.querysets import _own_community


def communities_for(user):
    """The user's area's communities, and a resident's own (whose catalogue they may read)."""
    q = Q(pk__in=Community.objects.restrict(user).values("pk"))
    if user is not None and user.is_authenticated and user.resident_id:
        q |= Q(pk__in=_own_community(user))
    return Community.objects.filter(q).order_by("street_id", "code")


class _CommunityFilterSet(django_filters.FilterSet):
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = communities_for(user)
        self.filters["community"].extra["widget"] = FastSelect


class AccountFilterSet(_CommunityFilterSet):
    """积分账户: a name (or its start), an 11-digit phone or its last 4 digits; the community."""

    q = django_filters.CharFilter(label="查找", method="filter_search")

    class Meta:
        model = Account
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class CatalogueItemFilterSet(_CommunityFilterSet):
    """兑换目录 by community."""

    class Meta:
        model = CatalogueItem
        fields: list[str] = []
