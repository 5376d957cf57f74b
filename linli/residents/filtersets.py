"""Which residents: one definition shared by the list page, the API and exports."""

import django_filters
from django.utils import timezone

from linli.areas.models import Building, Grid
from linli.residents.choices import ResidenceType, ResidentStatus, Sex
from linli.residents.models import Resident, Tag, birth_date_cutoff


class ResidentFilterSet(django_filters.FilterSet):
    """Filters over an already scope-restricted queryset; choice lists are scoped too."""

    q = django_filters.CharFilter(label="搜索", method="filter_search")
    grid = django_filters.ModelChoiceFilter(label="网格", queryset=Grid.objects.none())
    building = django_filters.ModelChoiceFilter(label="楼栋", queryset=Building.objects.none())
    tag = django_filters.ModelChoiceFilter(label="人员标签", queryset=Tag.objects.none(), method="filter_tag")
    residence_type = django_filters.ChoiceFilter(label="居住类型", choices=ResidenceType.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=ResidentStatus.choices, empty_label="全部")
    sex = django_filters.ChoiceFilter(label="性别", choices=Sex.choices)
    # Bounded: an age beyond any lifetime would put the cutoff date before year 1 (a 500).
    min_age = django_filters.NumberFilter(label="最小年龄", method="filter_min_age", min_value=0, max_value=150)
    max_age = django_filters.NumberFilter(label="最大年龄", method="filter_max_age", min_value=0, max_value=150)

    class Meta:
        model = Resident
        fields = ["q", "grid", "building", "tag", "residence_type", "status", "sex", "min_age", "max_age"]

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["grid"].queryset = Grid.objects.restrict(user).select_related("community")
        self.filters["building"].queryset = Building.objects.restrict(user)
        self.filters["tag"].queryset = Tag.objects.restrict(user).visible_to(user).filter(is_active=True)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags=value)

    def filter_min_age(self, queryset, name, value):
        return queryset.filter(birth_date__lte=birth_date_cutoff(int(value), timezone.localdate()))

    def filter_max_age(self, queryset, name, value):
        # younger than max_age + 1 years
        return queryset.filter(birth_date__gt=birth_date_cutoff(int(value) + 1, timezone.localdate()))
