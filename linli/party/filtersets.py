"""Which party members: one FilterSet for the roster page, its API and its Excel export.

The queryset handed in is already restricted (PartyMember.objects.restrict(user)); the community, branch, group
and work unit choices are the user's too, so another area's is an invalid choice (a Chinese message above the
list), never someone else's rows.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q

from linli.areas.models import Community
from linli.core.widgets import FastSelect
from linli.party.choices import MemberKind, MemberStatus, OrgKind, Review
from linli.party.models import PartnerUnit, PartyMember, PartyOrg

NOT_YOURS = "找不到这一项，或不在您的管辖范围内。"
STATE_CHOICES = (("active", "在册"), ("left", "已离开"), ("all", "全部"))


class PartyMemberFilterSet(django_filters.FilterSet):
    """The roster: by text (name, pinyin initials, phone), community, branch, group, kind, status, review, work unit,
    in the roster or left (default: in the roster)."""

    q = django_filters.CharFilter(label="搜索", method="filter_search")
    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": NOT_YOURS},
    )
    branch = django_filters.ModelChoiceFilter(
        label="支部", queryset=PartyOrg.objects.none(), empty_label="全部", error_messages={"invalid_choice": NOT_YOURS}
    )
    group = django_filters.ModelChoiceFilter(
        label="党小组",
        queryset=PartyOrg.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": NOT_YOURS},
    )
    kind = django_filters.ChoiceFilter(label="类别", choices=MemberKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=MemberStatus.choices, empty_label="全部")
    review = django_filters.ChoiceFilter(label="确认", choices=Review.choices, empty_label="全部")
    work_unit = django_filters.ModelChoiceFilter(
        label="工作单位",
        queryset=PartnerUnit.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": NOT_YOURS},
    )
    state = django_filters.ChoiceFilter(label="在册", choices=STATE_CHOICES, method="filter_state", empty_label=None)

    class Meta:
        model = PartyMember
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        # "在册" is the default: a roster without the state shows who is on it now.
        if not (data or {}).get("state"):
            data = data.copy() if hasattr(data, "copy") else dict(data or {})
            data["state"] = "active"
        super().__init__(data, queryset, request=request, **kwargs)
        orgs = PartyOrg.objects.restrict(user).filter(is_active=True).select_related("community")
        self.filters["branch"].queryset = orgs.filter(kind__in=[OrgKind.COMMUNITY_ORG, OrgKind.GRID_BRANCH])
        self.filters["group"].queryset = orgs.filter(kind=OrgKind.GROUP)
        self.filters["community"].queryset = Community.objects.filter(
            pk__in=PartyMember.objects.restrict(user).values("community_id")
        ).order_by("code")
        self.filters["work_unit"].queryset = PartnerUnit.objects.restrict(user).filter(is_active=True)
        for name in ("community", "branch", "group", "work_unit"):
            self.filters[name].extra["widget"] = FastSelect

    def filter_search(self, queryset, name, value):
        from linli.residents.search import search_q

        value = value.strip()
        if not value:
            return queryset
        q = Q(name__contains=value) | Q(phone=value)
        if value.isascii() and value.isdigit() and len(value) == 4:
            q |= Q(phone__endswith=value)
        resident_q = search_q(value)
        if resident_q is not None:
            from linli.residents.models import Resident

            q |= Q(resident__in=Resident.objects.filter(resident_q).values("pk"))
        return queryset.filter(q)

    def filter_state(self, queryset, name, value):
        if value == "left":
            return queryset.filter(is_active=False)
        if value == "all":
            return queryset
        return queryset.filter(is_active=True)
