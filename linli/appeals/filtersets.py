"""Which appeals: one definition shared by the queue pages, the Excel export and the JSON API.

The queryset handed in is already restricted (Appeal.objects.restrict(user)); the choice lists
are scoped too, so a grid, building or organisation outside the user's view is an invalid choice,
not an empty answer.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from linli.appeals.choices import OPEN, Channel, Rating, Status, Urgency
from linli.appeals.models import AppealAssist, Category, HandlingUnit, Organisation, UnitBinding
from linli.appeals.querysets import handler_org_ids
from linli.areas.models import Building, Community, Grid
from linli.core import pagecache
from linli.core.pagecache import scope_key
from linli.core.widgets import FastSelect
from linli.residents.filtersets import PlacedChoiceFilter, ResidentFilterSet

YES_NO = (("1", "是"), ("0", "否"))
MAX_NUMBER_LENGTH = 24


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


#: the tables the filter form's drop-downs are read from (linli.core.pagecache groups, bumped on their writes)
CHOICE_GROUPS = ("areas", "appeals")
pagecache.eager(*CHOICE_GROUPS)  # the queue pages read them on every view


def filter_scope(user) -> str:
    """Users with the same scope key see the same drop-downs: the area scope and the organisations they handle for."""
    return scope_key(user, handler_org_ids(user))


def communities_for(user):
    """Communities the user's area covers, plus those their organisations serve (a handler's queue)."""
    orgs = handler_org_ids(user)
    q = Q(pk__in=Community.objects.restrict(user).values("pk"))
    if orgs:
        q |= Q(pk__in=UnitBinding.objects.filter(organisation_id__in=orgs).values("community_id"))
    return Community.objects.filter(q).order_by("street_id", "code")


def organisations_for(user):
    orgs = handler_org_ids(user)
    q = Q(pk__in=Organisation.objects.restrict(user).values("pk"))
    if orgs:
        q |= Q(pk__in=orgs)
    return Organisation.objects.filter(q).select_related("unit").order_by("unit__sort", "name")


REPLY_OWED = "owed"
RESOLVED_CHOICES = (("yes", "已办结"), ("on_time", "按时办结"), ("late", "超时办结"))
RESOLVED_LOOKUPS = {
    "yes": {"resolved_late__isnull": False},
    "on_time": {"resolved_late": False},
    "late": {"resolved_late": True},
}


RATED = (Rating.SATISFIED, Rating.BASICALLY, Rating.UNSATISFIED)
GOOD = (Rating.SATISFIED, Rating.BASICALLY)
RATING_CHOICES = (*Rating.choices, ("rated", "已评价（已结案）"), ("good", "满意和基本满意（已结案）"))


class AppealFilterSet(django_filters.FilterSet):
    """Filters over an already scope-restricted queryset of appeals."""

    q = django_filters.CharFilter(label="搜索", method="filter_search")
    status = django_filters.MultipleChoiceFilter(
        label="状态", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    # null_label: "?unit=null" lists the appeals without one (the 未分类 / 未派单 rows of 诉求统计 link there).
    category = django_filters.ModelChoiceFilter(
        label="问题类别", queryset=Category.objects.none(), empty_label="全部", null_label="未分类"
    )
    unit = django_filters.ModelChoiceFilter(
        label="承办单位", queryset=HandlingUnit.objects.none(), empty_label="全部", null_label="未派单"
    )
    organisation = django_filters.ModelChoiceFilter(
        label="承办机构",
        field_name="assigned_org",
        queryset=Organisation.objects.none(),
        empty_label="全部",
        null_label="未派单",
    )
    channel = django_filters.ChoiceFilter(label="来源渠道", choices=Channel.choices, empty_label="全部")
    urgency = django_filters.ChoiceFilter(label="紧急程度", choices=Urgency.choices, empty_label="全部")
    community = django_filters.ModelChoiceFilter(label="社区", queryset=Community.objects.none(), empty_label="全部")
    grid = PlacedChoiceFilter(label="网格", queryset=Grid.objects.none(), empty_label="全部")
    building = PlacedChoiceFilter(label="楼栋", queryset=Building.objects.none(), empty_label="全部")
    overdue = django_filters.ChoiceFilter(label="超期", choices=YES_NO, empty_label="全部", method="filter_overdue")
    supervised = django_filters.ChoiceFilter(
        label="督办", choices=YES_NO, empty_label="全部", method="filter_supervised"
    )
    needs_reply = django_filters.ChoiceFilter(
        label="待回访",
        choices=(("1", "是"), (REPLY_OWED, "应回访（已回访或回访已到期）")),
        empty_label="全部",
        method="filter_needs_reply",
    )
    # The dashboards' 已办结 / 按时办结 (linli.appeals.dashfigures): the appeals that were resolved, on time or not.
    resolved = django_filters.ChoiceFilter(
        label="办结", choices=RESOLVED_CHOICES, empty_label="全部", method="filter_resolved"
    )
    # 已评价 / 满意 of the dashboards (linli.appeals.dashfigures): closed appeals with a rating, or a good one.
    rating = django_filters.ChoiceFilter(
        label="评价", choices=RATING_CHOICES, empty_label="全部", method="filter_rating"
    )
    received_from = django_filters.DateFilter(label="受理日期从", method="filter_received_from")
    received_to = django_filters.DateFilter(label="受理日期到", method="filter_received_to")

    def __init__(self, data=None, queryset=None, *, request=None, user=None, now=None, **kwargs):
        user = user or getattr(request, "user", None)
        self.now = now or timezone.now()
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["category"].queryset = Category.objects.restrict(user)
        self.filters["unit"].queryset = HandlingUnit.objects.restrict(user)
        self.filters["organisation"].queryset = organisations_for(user)
        self.filters["community"].queryset = communities_for(user)
        self.filters["grid"].queryset = Grid.objects.restrict(user).select_related("community")
        self.filters["building"].queryset = ResidentFilterSet._building_choices(user, data or {})
        for name in ("category", "unit", "organisation", "channel", "urgency", "community", "grid", "building"):
            self.filters[name].extra["widget"] = FastSelect
        for name in ("overdue", "supervised", "needs_reply", "rating"):
            self.filters[name].extra["widget"] = FastSelect
        self.filters["received_from"].extra["widget"] = forms.DateInput(attrs={"type": "date"})
        self.filters["received_to"].extra["widget"] = forms.DateInput(attrs={"type": "date"})

    def filter_search(self, queryset, name, value):
        """An appeal number (or its tail: "00042", "20251120-00042"), else words of the text or the place."""
        value = " ".join((value or "").split())
        if not value:
            return queryset
        compact = value.replace(" ", "")
        if len(compact) <= MAX_NUMBER_LENGTH and compact.replace("-", "").isdigit() and len(compact) >= 3:
            return queryset.filter(number__endswith=compact) if len(compact) < 14 else queryset.filter(number=compact)
        for word in value.split(" ")[:5]:
            queryset = queryset.filter(Q(text__icontains=word) | Q(address__icontains=word))
        return queryset

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=OPEN, current_due__lt=self.now)
        return queryset.filter(late) if value == "1" else queryset.exclude(late)

    def filter_supervised(self, queryset, name, value):
        return queryset.filter(supervised=value == "1")

    def filter_needs_reply(self, queryset, name, value):
        if value == REPLY_OWED:
            return queryset.filter(Q(status=Status.CLOSED) | Q(status=Status.RESOLVED, reply_due__lt=self.now))
        return queryset.filter(status=Status.RESOLVED) if value == "1" else queryset

    def filter_rating(self, queryset, name, value):
        if value in ("rated", "good"):
            return queryset.filter(status=Status.CLOSED, rating__in=RATED if value == "rated" else GOOD)
        return queryset.filter(rating=value)

    def filter_resolved(self, queryset, name, value):
        return queryset.filter(**RESOLVED_LOOKUPS[value]) if value in RESOLVED_LOOKUPS else queryset

    def filter_received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=_day_start(value))

    def filter_received_to(self, queryset, name, value):
        return queryset.filter(received_at__lt=_day_start(value + datetime.timedelta(days=1)))


def assisted_by(org_ids) -> Q:
    return Q(pk__in=AppealAssist.objects.filter(org_id__in=org_ids).values("appeal_id"))
