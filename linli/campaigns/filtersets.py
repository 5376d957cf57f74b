"""Which campaigns and which targets: one FilterSet per list, shared by the page, the API and the export.

The querysets handed in are already restricted (restrict(user)); the grid and building choices are the user's
too, so another grid is an invalid choice (a Chinese message above the list), never someone else's rows.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q

from linli.accounts.models import User
from linli.areas.models import Building, Community, Grid
from linli.campaigns.choices import CampaignStatus
from linli.campaigns.models import Campaign, CampaignOutcome, CampaignTarget
from linli.core.params import parse_id
from linli.core.widgets import FastSelect
from linli.residents.filtersets import PlacedChoiceFilter

NO_GRID = "找不到这个网格，或不在您的管辖范围内。"
NO_BUILDING = "找不到这个楼栋，或不在您的管辖范围内。"


class CampaignFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_search")
    status = django_filters.ChoiceFilter(label="状态", choices=CampaignStatus.choices, empty_label="全部")

    class Meta:
        model = Campaign
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(department__icontains=value)) if value else queryset


STATE_CHOICES = (("open", "未完成"), ("done", "已完成"), ("unrecorded", "未登记"))


class CampaignTargetFilterSet(django_filters.FilterSet):
    """Targets of campaigns in scope: by campaign, grid, building, outcome, open/done, recorder, text."""

    campaign = django_filters.ModelChoiceFilter(
        label="专项工作",
        queryset=Campaign.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这项专项工作，或不在您的管辖范围内。"},
    )
    q = django_filters.CharFilter(label="搜索", method="filter_search")
    grid = PlacedChoiceFilter(
        label="网格", queryset=Grid.objects.none(), empty_label="全部", error_messages={"invalid_choice": NO_GRID}
    )
    building = PlacedChoiceFilter(
        label="楼栋",
        queryset=Building.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": NO_BUILDING},
    )
    outcome = django_filters.ModelChoiceFilter(
        label="结果",
        queryset=CampaignOutcome.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "请先选择专项工作，再按它的结果筛选。"},
    )
    state = django_filters.ChoiceFilter(
        label="完成情况", choices=STATE_CHOICES, method="filter_state", empty_label="全部"
    )
    campaign_status = django_filters.ChoiceFilter(
        label="专项工作状态", field_name="campaign__status", choices=CampaignStatus.choices, empty_label="全部"
    )
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")
    recorded_by = django_filters.ModelChoiceFilter(
        label="登记人",
        queryset=User.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这位登记人，或不在这份名单里。"},
    )

    class Meta:
        model = CampaignTarget
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, campaign=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["campaign"].queryset = Campaign.objects.restrict(user).order_by("-created_at")
        self.filters["grid"].queryset = (
            Grid.objects.restrict(user).select_related("community").order_by("community__name", "number", "id")
        )
        self.filters["grid"].extra["widget"] = FastSelect
        self.filters["community"].queryset = Community.objects.restrict(user).order_by("street_id", "code")
        buildings = Building.objects.restrict(user).select_related("community").order_by("community__name", "number")
        if campaign is not None:
            buildings = buildings.filter(community_id=campaign.community_id)
            self.filters["grid"].queryset = self.filters["grid"].queryset.filter(community_id=campaign.community_id)
        self.filters["building"].queryset = buildings
        self.filters["building"].extra["widget"] = FastSelect
        # Who recorded targets the user may see (of this campaign, when one is chosen).
        recorded = CampaignTarget.objects.restrict(user).filter(recorded_by__isnull=False)
        if campaign is not None:
            recorded = recorded.filter(campaign=campaign)
        recorders = User.objects.filter(pk__in=recorded.values("recorded_by_id")).order_by("full_name", "username")
        self.filters["recorded_by"].queryset = recorders
        self.filters["recorded_by"].field.label_from_instance = lambda u: u.full_name or u.username
        chosen = campaign.pk if campaign is not None else parse_id((self.data or {}).get("campaign"))
        if chosen:
            self.filters["outcome"].queryset = CampaignOutcome.objects.filter(campaign_id=chosen)

    def filter_search(self, queryset, name, value):
        from linli.residents.search import search_q

        q = search_q(value)
        if q is None:
            return queryset
        from linli.residents.models import Resident

        return queryset.filter(resident__in=Resident.objects.filter(q).values("pk"))

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(done=False)
        if value == "done":
            return queryset.filter(done=True)
        if value == "unrecorded":
            return queryset.filter(outcome__isnull=True)
        return queryset
