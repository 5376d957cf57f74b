"""Which meetings and which appraisals: one FilterSet per list (page, API, export). The querysets handed in are
restricted already; the organisation choices are the user's own, so another branch is an invalid choice."""

from __future__ import annotations

import django_filters

from linli.areas.models import Community
from linli.core.filtersets import MonthFilter
from linli.party.choices import MeetingKind
from linli.party.models import Appraisal, PartyMeeting, PartyOrg

NO_ORG = "找不到这个党组织，或不在您的管辖范围内。"


def _orgs(user):
    if user is None:
        return PartyOrg.objects.none()
    return PartyOrg.objects.restrict(user, "view").filter(kind__in=["community_org", "grid_branch", "group"])


class PartyMeetingFilterSet(django_filters.FilterSet):
    """Meetings by community (the street's view), organisation (a branch's filter includes its 党小组), kind, month
    or a date range."""

    community = django_filters.ModelChoiceFilter(
        label="社区",
        queryset=Community.objects.none(),
        empty_label="全部",
        error_messages={"invalid_choice": "找不到这个社区，或不在您的管辖范围内。"},
    )
    org = django_filters.ModelChoiceFilter(
        label="党组织",
        queryset=PartyOrg.objects.none(),
        empty_label="全部",
        method="filter_org",
        error_messages={"invalid_choice": NO_ORG},
    )
    kind = django_filters.ChoiceFilter(label="类型", choices=MeetingKind.choices, empty_label="全部")
    month = MonthFilter(label="月份", field_name="held_on")
    held_from = django_filters.DateFilter(label="日期从", field_name="held_on", lookup_expr="gte")
    held_to = django_filters.DateFilter(label="日期到", field_name="held_on", lookup_expr="lte")

    class Meta:
        model = PartyMeeting
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = user or getattr(request, "user", None)
        orgs = _orgs(user)
        self.filters["org"].queryset = self.form.fields["org"].queryset = orgs
        communities = Community.objects.filter(pk__in=orgs.values("community_id")).order_by("name")
        self.filters["community"].queryset = self.form.fields["community"].queryset = communities
        self.form.fields["month"].widget.attrs.update({"placeholder": "2026-03", "inputmode": "numeric"})
        for name in ("held_from", "held_to"):
            self.form.fields[name].widget.input_type = "date"

    def filter_org(self, queryset, name, value):
        return queryset.filter(org__in=PartyOrg.objects.filter(pk=value.pk) | PartyOrg.objects.filter(parent=value))


class AppraisalFilterSet(django_filters.FilterSet):
    org = django_filters.ModelChoiceFilter(
        label="党支部", queryset=PartyOrg.objects.none(), empty_label="全部", error_messages={"invalid_choice": NO_ORG}
    )
    year = django_filters.NumberFilter(label="年度", min_value=2000, max_value=2100)

    class Meta:
        model = Appraisal
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = user or getattr(request, "user", None)
        orgs = _orgs(user).exclude(kind="group")
        self.filters["org"].queryset = orgs
        self.form.fields["org"].queryset = orgs
