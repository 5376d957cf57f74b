"""One FilterSet per list of 帮扶与共建 (page, Excel export and API): the directory, the pairings, the assistance
ledger and the yearly table per care group. Choice lists are the user's own (grids, tags, organisations in scope),
so another area's id is an invalid choice with a Chinese message, never its rows."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from linli.areas.models import Community, Grid, Household
from linli.areas.scope import GRID_PATHS, areas_for, communities_for
from linli.core.filtersets import FIRST_YEAR, LAST_YEAR
from linli.core.widgets import FastSelect
from linli.residents.models import Resident, Tag
from linli.support.choices import CARE_TAGS, AssistanceKind, AssistanceSource, HelperKind, OrganisationKind
from linli.support.figures import assisted_q, in_need, paired_q
from linli.support.models import Assistance, HelpPairing, Organisation

YES_NO = (("yes", "是"), ("no", "否"))
NO_GRID = "找不到这个网格，或不在您的管辖范围内。"
NO_TAG = "找不到这个帮扶对象类别。"


def _search_households(value: str):
    """Households whose address or a resident's name matches (None: nothing to search for)."""
    from linli.residents.search import search_q

    found = search_q(value)
    return Resident.objects.filter(found).values("household_id") if found is not None else None


def _grids(user):
    return areas_for(Grid.objects.all(), user, "support.view", GRID_PATHS).order_by("community_id", "number")


def _care_tags(user):
    return Tag.objects.restrict(user).visible_to(user).filter(is_active=True, code__in=CARE_TAGS)


def grid_filter(field_name: str):
    return django_filters.ModelChoiceFilter(
        label="网格",
        queryset=Grid.objects.none(),
        field_name=field_name,
        empty_label="全部",
        error_messages={"invalid_choice": NO_GRID},
    )


def tag_filter():
    return django_filters.ModelChoiceFilter(
        label="帮扶对象类别",
        queryset=Tag.objects.none(),
        method="filter_tag",
        empty_label="全部",
        error_messages={"invalid_choice": NO_TAG},
    )


class _ScopedFilterSet(django_filters.FilterSet):
    """The support lists' common start: the choices of the scoped filters are the user's own (scope_choices), and the
    drop-downs named in `fast_selects` render with FastSelect."""

    fast_selects: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        if user is not None:
            self.scope_choices(user)
        for name in self.fast_selects:
            self.filters[name].extra["widget"] = FastSelect

    def scope_choices(self, user):
        pass


class YearMixin:
    def keep(self, queryset, name, value):
        return queryset

    @property
    def form(self):
        """The 年度 box shows this year (the year listed when it is left empty) instead of nothing."""
        form = super().form
        form.fields["year"].widget.attrs.setdefault("placeholder", str(timezone.localdate().year))
        return form

    def chosen_year(self) -> int:
        """The year asked for (this year when none or an invalid one)."""
        self.is_valid()
        year = getattr(self.form, "cleaned_data", {}).get("year")
        return int(year) if year else timezone.localdate().year


class OrganisationFilterSet(_ScopedFilterSet):
    """驻区单位名录: kind, community (for street users), name."""

    q = django_filters.CharFilter(label="名称", method="filter_name")
    kind = django_filters.ChoiceFilter(label="类型", choices=OrganisationKind.choices, empty_label="全部")
    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个社区，或不在您的管辖范围内。"},
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    fast_selects = ("kind", "community")

    def scope_choices(self, user):
        self.filters["community"].queryset = communities_for(user, "directory.view").order_by("name")

    def filter_name(self, queryset, name, value):
        value = " ".join(value.split())
        return queryset.filter(Q(name__contains=value) | Q(offer__contains=value)) if value else queryset


class HelpPairingFilterSet(_ScopedFilterSet):
    """结对帮扶（志愿者/单位）: helper kind, grid, care group, live/ended, text."""

    q = django_filters.CharFilter(label="搜索", method="filter_search")
    helper_kind = django_filters.ChoiceFilter(label="帮扶人类型", choices=HelperKind.choices, empty_label="全部")
    grid = grid_filter("household__building__grid")
    tag = tag_filter()
    state = django_filters.ChoiceFilter(
        label="状态", choices=(("live", "结对中"), ("ended", "已结束")), method="filter_state", empty_label="全部"
    )

    class Meta:
        model = HelpPairing
        fields: list[str] = []

    fast_selects = ("helper_kind", "grid", "tag", "state")

    def scope_choices(self, user):
        self.filters["grid"].queryset = _grids(user)
        self.filters["tag"].queryset = _care_tags(user)

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        q = (
            Q(volunteer__name__startswith=value)
            | Q(organisation__name__contains=value)
            | Q(helper_name__startswith=value)
            | Q(need__contains=value)
        )
        found = _search_households(value)
        if found is not None:
            q |= Q(household__in=found)
        return queryset.filter(q)

    def filter_tag(self, queryset, name, value):
        return queryset.filter(household__in=Resident.objects.active().filter(tags=value).values("household_id"))

    def filter_state(self, queryset, name, value):
        return queryset.filter(ended_on__isnull=(value == "live"))


class AssistanceFilterSet(YearMixin, _ScopedFilterSet):
    """帮扶台账 (the assistance ledger): year, source, kind, grid, unit, household, text."""

    year = django_filters.NumberFilter(
        label="年度",
        method="filter_year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": "请填写年份，如 2026。"},
    )
    q = django_filters.CharFilter(label="搜索", method="filter_search")
    source = django_filters.ChoiceFilter(label="来源", choices=AssistanceSource.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="类型", choices=AssistanceKind.choices, empty_label="全部")
    grid = grid_filter("household__building__grid")
    organisation = django_filters.ModelChoiceFilter(
        label="单位",
        queryset=Organisation.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个单位，或不在您的管辖范围内。"},
    )
    household = django_filters.NumberFilter(label="户", field_name="household_id", widget=forms.HiddenInput)

    class Meta:
        model = Assistance
        fields: list[str] = []

    fast_selects = ("source", "kind", "grid", "organisation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["household"].extra.update(min_value=1, max_value=2**62)

    def scope_choices(self, user):
        self.filters["grid"].queryset = _grids(user)
        self.filters["organisation"].queryset = Organisation.objects.restrict(user).order_by("name")

    def filter_year(self, queryset, name, value):
        return queryset.filter(given_on__year=int(value)) if value else queryset

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        q = Q(description__contains=value) | Q(programme__contains=value) | Q(given_by__startswith=value)
        found = _search_households(value)
        if found is not None:
            q |= Q(household__in=found)
        return queryset.filter(q)


class CareTableFilterSet(YearMixin, _ScopedFilterSet):
    """帮扶年度表 over households in need (figures.in_need: the caller's queryset): a care group, the year, grid,
    and whether they were paired or
    received anything that year — "今年未获帮扶" is received=no."""

    year = django_filters.NumberFilter(
        label="年度",
        method="keep",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": "请填写年份，如 2026。"},
    )
    tag = tag_filter()
    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        field_name="building__community",
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个社区，或不在您的管辖范围内。"},
    )
    grid = grid_filter("building__grid")
    received = django_filters.ChoiceFilter(
        label="本年获得帮扶", choices=YES_NO, method="filter_received", empty_label="全部"
    )
    paired = django_filters.ChoiceFilter(label="本年有结对", choices=YES_NO, method="filter_paired", empty_label="全部")
    q = django_filters.CharFilter(label="搜索", method="filter_search")

    class Meta:
        model = Household
        fields: list[str] = []

    fast_selects = ("tag", "community", "grid", "received", "paired")

    def scope_choices(self, user):
        self.filters["grid"].queryset = _grids(user)
        self.filters["community"].queryset = communities_for(user, "support.view").order_by("street_id", "code")
        self.filters["tag"].queryset = _care_tags(user)

    def filter_tag(self, queryset, name, value):
        return in_need(queryset, value)

    def filter_received(self, queryset, name, value):
        q = assisted_q(self.chosen_year())
        return queryset.filter(q) if value == "yes" else queryset.exclude(q)

    def filter_paired(self, queryset, name, value):
        q = paired_q(self.chosen_year())
        return queryset.filter(q) if value == "yes" else queryset.exclude(q)

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())
        found = _search_households(value) if value else None
        return queryset.filter(pk__in=found) if found is not None else queryset
