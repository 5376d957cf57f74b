"""Which residents: one definition shared by the list page, the API and exports."""

import django_filters
from django import forms
from django.utils import timezone

from linli.areas.models import Building, Community, Grid
from linli.core.pagecache import cached, scope_key
from linli.core.params import parse_id
from linli.core.widgets import FastSelect
from linli.residents.choices import ResidenceType, ResidentStatus, Sex
from linli.residents.models import Resident, Tag, birth_date_cutoff

#: The order residents are listed in everywhere (page, API, export, print ledger): walking order, rooms as
#: numbers (102 before 1003, see room_order), kept on the row as Resident.sort_key so that an index gives any
#: scope's first page; id makes it total.
LIST_ORDERING = ("sort_key", "id")


class PlacedChoiceField(forms.ModelChoiceField):
    """Grids and buildings labelled with their community, so that "1栋" is never ambiguous."""

    def label_from_instance(self, obj):
        return f"{obj.community.name} {obj.name}"


class PlacedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PlacedChoiceField


#: the list's scoped drop-downs (name, placed: labelled with the community) and the tables they are read from
LIST_SELECTS = (("community", False), ("grid", True), ("building", True), ("tag", False))
LIST_GROUPS = ("areas", "tags")


def tag_choices(user) -> list[tuple[int, str]]:
    """(id, name) of the tags the user may filter by and put on residents (services.usable_tags), cached per scope
    (the role, which decides whether sensitive groups are listed, is part of the key)."""
    from linli.residents.services import usable_tags

    return cached(
        "resident_filter:tag", LIST_GROUPS, scope_key(user), lambda: list(usable_tags(user).values_list("pk", "name"))
    )


def building_variant(data) -> str:
    """What the building list depends on besides the scope (ResidentFilterSet._building_choices): the ids asked for."""
    return f"g{parse_id(data.get('grid'))}b{parse_id(data.get('building'))}"


#: above this many buildings in scope, the building list waits until a grid is chosen
MAX_BUILDING_CHOICES = 60


class ResidentFilterSet(django_filters.FilterSet):
    """Filters over an already scope-restricted queryset; choice lists are scoped too."""

    q = django_filters.CharFilter(label="搜索", method="filter_search")
    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个社区，或不在您的管辖范围内。"},
    )
    grid = PlacedChoiceFilter(label="网格", queryset=Grid.objects.none(), empty_label="全部")
    building = PlacedChoiceFilter(label="楼栋", queryset=Building.objects.none(), empty_label="全部")
    tag = django_filters.ModelChoiceFilter(
        label="人员标签", queryset=Tag.objects.none(), method="filter_tag", empty_label="全部"
    )
    residence_type = django_filters.ChoiceFilter(label="居住类型", choices=ResidenceType.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=ResidentStatus.choices, empty_label="全部")
    sex = django_filters.ChoiceFilter(label="性别", choices=Sex.choices, empty_label="全部")
    # Bounded: an age beyond any lifetime would put the cutoff date before year 1 (a 500).
    min_age = django_filters.NumberFilter(label="最小年龄", method="filter_min_age", min_value=0, max_value=150)
    max_age = django_filters.NumberFilter(label="最大年龄", method="filter_max_age", min_value=0, max_value=150)

    class Meta:
        model = Resident
        fields = ["q", "community", "grid", "building", "tag", "residence_type", "status", "sex", "min_age", "max_age"]

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["community"].queryset = Community.objects.restrict(user).order_by("street_id", "code")
        self.filters["grid"].queryset = Grid.objects.restrict(user).select_related("community")
        self.filters["building"].queryset = self._building_choices(user, data or {})
        self.filters["tag"].queryset = Tag.objects.restrict(user).visible_to(user).filter(is_active=True)
        for name in ("community", "grid", "building", "tag", "residence_type", "status", "sex"):
            self.filters[name].extra["widget"] = FastSelect

    @staticmethod
    def _building_choices(user, data):
        """Buildings of the chosen grid; all of them only when the scope is small (a street has hundreds)."""
        buildings = Building.objects.restrict(user).select_related("community")
        grid, building = parse_id(data.get("grid")), parse_id(data.get("building"))
        if grid:
            return buildings.filter(grid_id=grid)
        many = cached("building_count", ("areas",), scope_key(user), buildings.count) > MAX_BUILDING_CHOICES
        if building and many:
            return buildings.filter(pk=building)
        return buildings.none() if many else buildings

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags=value)

    def filter_min_age(self, queryset, name, value):
        return queryset.filter(birth_date__lte=birth_date_cutoff(int(value), timezone.localdate()))

    def filter_max_age(self, queryset, name, value):
        # younger than max_age + 1 years
        return queryset.filter(birth_date__gt=birth_date_cutoff(int(value) + 1, timezone.localdate()))
