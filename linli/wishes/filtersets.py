"""Which wishes: one definition shared by the wish list page and the JSON API.

The queryset handed in is already restricted (Wish.objects.restrict(user)); the community choices are the
user's too (their area's, or the communities they claim in), so another community is an invalid choice (a
message on the page, 422 in the API), not an empty list. `status=all` (the page's 全部 tab) lists every
status; the page opens on 待认领 when no status is asked for, the API (whose schema lists the four statuses)
lists every status then.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from linli.areas.models import Community
from linli.core.filtersets import MonthFilter
from linli.core.widgets import FastSelect
from linli.wishes.choices import WishStatus
from linli.wishes.models import Claimer, Wish, WishClaim

ALL = "all"


def communities_for(user):
    """The communities whose wishes the user may list: their area's, and those they claim wishes in."""
    claimer = Claimer.objects.filter(user=user, is_active=True).values("community_id")
    claimed = WishClaim.objects.live().filter(claimer__user=user).values("wish__community_id")
    q = Q(pk__in=Community.objects.restrict(user).values("pk")) | Q(pk__in=claimer) | Q(pk__in=claimed)
    return Community.objects.filter(q).order_by("street_id", "code")


class WishFilterSet(django_filters.FilterSet):
    """Filters over an already scope-restricted queryset of wishes."""

    status = django_filters.ChoiceFilter(
        label="状态", choices=[*WishStatus.choices, (ALL, "全部")], empty_label="全部", method="filter_status"
    )
    month = MonthFilter(label="登记月份", field_name="created_at")
    fulfilled_month = MonthFilter(label="实现月份", field_name="fulfilled_at")
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")

    class Meta:
        model = Wish
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = communities_for(user)
        self.filters["community"].extra["widget"] = FastSelect
        for name in ("month", "fulfilled_month"):
            self.filters[name].extra["widget"] = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)
