"""Which pairings and which members' service: one FilterSet per list (page and export), over querysets the caller
has restricted already. Choice lists are the user's own (branches, members, communities in scope), so another
area's id is an invalid choice with a Chinese message, never its rows.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from linli.areas.models import Community
from linli.core.widgets import FastSelect
from linli.party.choices import MemberStatus
from linli.party.models import Pairing, PairingContact, PartnerUnit, PartyMember, PartyOrg
from linli.residents.models import Resident, Tag

NO_BRANCH = "找不到这个支部，或不在您的管辖范围内。"
NO_MEMBER = "找不到这位党员，或不在您的管辖范围内。"
#: A pairing nobody contacted in this many days is what a secretary must see ("quiet").
QUIET_DAYS = 30
STATE_CHOICES = (("live", "结对中"), ("ended", "已结束"), ("quiet", f"{QUIET_DAYS}天未联系"))
SORT_CHOICES = (("hours", "按志愿时长"), ("name", "按姓名"), ("contacts", "按帮扶记录数"))
FIRST_YEAR, LAST_YEAR = 2000, 2100


def quiet_q(today: datetime.date | None = None) -> Q:
    """Live pairings started over QUIET_DAYS ago with no contact recorded in the last QUIET_DAYS days."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=QUIET_DAYS)
    recent = PairingContact.objects.filter(pairing_id=OuterRef("pk"), contacted_on__gte=since)
    return Q(ended_on__isnull=True, started_on__lt=since) & ~Q(Exists(recent))


class PairingFilterSet(django_filters.FilterSet):
    """结对帮扶 list: branch, member, a care-group tag of the household's residents, live/ended/quiet, text."""

    q = django_filters.CharFilter(label="搜索", method="filter_search")
    branch = django_filters.ModelChoiceFilter(
        label="支部",
        queryset=PartyOrg.objects.none(),
        method="filter_branch",
        empty_label="全部",
        error_messages={"invalid_choice": NO_BRANCH},
    )
    member = django_filters.ModelChoiceFilter(
        label="党员",
        queryset=PartyMember.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": NO_MEMBER},
    )
    tag = django_filters.ModelChoiceFilter(
        label="帮扶对象类别",
        queryset=Tag.objects.none(),
        method="filter_tag",
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个人员标签。"},
    )
    state = django_filters.ChoiceFilter(label="状态", choices=STATE_CHOICES, method="filter_state", empty_label="全部")

    class Meta:
        model = Pairing
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        if user is None:
            return
        self.filters["branch"].queryset = PartyOrg.objects.restrict(user).branches().order_by("community_id", "name")
        self.filters["member"].queryset = PartyMember.objects.restrict(user).filter(is_active=True).order_by("name")
        # A street lists 1,600 members: the member is chosen by a link (a member's page: ?member=) or found by name in
        # 搜索, never from a select of everyone.
        self.filters["member"].extra["widget"] = forms.HiddenInput
        self.filters["tag"].queryset = Tag.objects.restrict(user).visible_to(user).filter(is_active=True)
        for name in ("branch", "tag"):
            self.filters[name].extra["widget"] = FastSelect

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        from linli.residents.search import search_q

        q = Q(member__name__startswith=value) | Q(need__icontains=value)
        found = search_q(value)
        if found is not None:
            q |= Q(household__in=Resident.objects.filter(found).values("household_id"))
        return queryset.filter(q)

    def filter_branch(self, queryset, name, value):
        return queryset.filter(Q(member__branch=value) | Q(member__group__parent=value))

    def filter_tag(self, queryset, name, value):
        return queryset.filter(household__in=Resident.objects.filter(tags=value).values("household_id"))

    def filter_state(self, queryset, name, value):
        if value == "live":
            return queryset.filter(ended_on__isnull=True)
        if value == "ended":
            return queryset.filter(ended_on__isnull=False)
        if value == "quiet":
            return queryset.filter(quiet_q())
        return queryset


class ServiceSummaryFilterSet(django_filters.FilterSet):
    """Members' service summary (page and export): the year, community (for street users), branch, status, work
    unit, name; sorted by hours by default. `year` and `sort` decide the figures and the order, not the rows."""

    year = django_filters.NumberFilter(
        label="年度",
        method="keep",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": "请填写年份，如 2026。"},
    )
    q = django_filters.CharFilter(label="姓名", method="filter_name")
    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个社区，或不在您的管辖范围内。"},
    )
    branch = django_filters.ModelChoiceFilter(
        label="支部",
        queryset=PartyOrg.objects.none(),
        method="filter_branch",
        empty_label="全部",
        error_messages={"invalid_choice": NO_BRANCH},
    )
    status = django_filters.ChoiceFilter(label="党员状态", choices=MemberStatus.choices, empty_label="全部")
    work_unit = django_filters.ModelChoiceFilter(
        label="工作单位",
        queryset=PartnerUnit.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个单位，或不在您的管辖范围内。"},
    )
    sort = django_filters.ChoiceFilter(label="排序", choices=SORT_CHOICES, method="keep", empty_label=None)

    class Meta:
        model = PartyMember
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        user = user or getattr(request, "user", None)
        super().__init__(data, queryset, request=request, **kwargs)
        if user is None:
            return
        members = PartyMember.objects.restrict(user)
        self.filters["community"].queryset = Community.objects.filter(pk__in=members.values("community_id")).order_by(
            "name"
        )
        self.filters["branch"].queryset = PartyOrg.objects.restrict(user).branches().order_by("community_id", "name")
        self.filters["work_unit"].queryset = PartnerUnit.objects.filter(
            pk__in=members.filter(work_unit__isnull=False).values("work_unit_id")
        ).order_by("community_id", "name")
        for name in ("community", "branch", "status", "work_unit", "sort"):
            self.filters[name].extra["widget"] = FastSelect

    def keep(self, queryset, name, value):
        return queryset

    def filter_name(self, queryset, name, value):
        value = " ".join(value.split())
        return queryset.filter(name__startswith=value) if value else queryset

    def filter_branch(self, queryset, name, value):
        return queryset.filter(Q(branch=value) | Q(group__parent=value))

    def chosen_year(self) -> int:
        """The year asked for (this year when none or an invalid one)."""
        self.is_valid()
        year = getattr(self.form, "cleaned_data", {}).get("year")
        return int(year) if year else timezone.localdate().year

    def chosen_sort(self) -> str:
        self.is_valid()
        return getattr(self.form, "cleaned_data", {}).get("sort") or "hours"
