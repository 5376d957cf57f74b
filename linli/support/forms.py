"""Forms of 帮扶与共建: an organisation of the directory and its 共建项目, a pairing with a volunteer / unit / person,
its contact note and end, and an assistance record. Choice lists are the user's own rows; the services check
again."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from linli.appeals.models import Organisation as HandlingOrganisation
from linli.areas.models import Household
from linli.areas.scope import communities_for
from linli.core.forms import LinliForm, LinliModelForm
from linli.core.params import parse_id
from linli.core.widgets import FastSelect
from linli.party.models import PartnerUnit
from linli.support.choices import (
    PROGRAMMES,
    AssistanceKind,
    AssistanceSource,
    ContactKind,
    ContributionKind,
    HelperKind,
)
from linli.support.figures import in_need, scoped_households
from linli.support.models import HelpPairing, Organisation
from linli.volunteers.models import Team, Volunteer
from linli.wishes.choices import ClaimerKind
from linli.wishes.models import Claimer

DATE = {"type": "date"}
#: Households listed in a form's select (in need first); any other household is reached from its own page.
LISTED_HOUSEHOLDS = 500


class OrganisationForm(LinliModelForm):
    """An organisation: its community (when added), kind, contacts, 好商家 offer and year, and where it already
    appears in Linli (team, claimer, 承办机构, 共建单位 of its community / street)."""

    class Meta:
        model = Organisation
        fields = [
            "community",
            "kind",
            "name",
            "contact_name",
            "contact_phone",
            "address",
            "description",
            "offer",
            "merchant_year",
            "team",
            "claimer",
            "handling_org",
            "partner_unit",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        communities = communities_for(user, "directory.manage") if user is not None else None
        if self.instance.pk:
            del self.fields["community"]
            community_ids = [self.instance.community_id]
        else:
            self.fields["community"].queryset = communities.order_by("name")
            self.fields["community"].widget = FastSelect(choices=self.fields["community"].choices)
            community_ids = communities.values("pk")
        self.fields["team"].queryset = Team.objects.filter(community__in=community_ids).order_by("name")
        self.fields["claimer"].queryset = Claimer.objects.filter(
            community__in=community_ids, kind=ClaimerKind.ORGANISATION, is_active=True
        ).order_by("name")
        self.fields["partner_unit"].queryset = PartnerUnit.objects.filter(community__in=community_ids).order_by("name")
        self.fields["handling_org"].queryset = (
            HandlingOrganisation.objects.filter(street__communities__in=community_ids, is_active=True)
            .distinct()
            .order_by("name")
        )
        self.fields["merchant_year"].help_text = "好商家填写；其他类型不保存惠民服务和评定年度。"


class ContributionForm(LinliForm):
    title = forms.CharField(label="项目", max_length=100, error_messages={"required": "请填写项目名称。"})
    kind = forms.ChoiceField(label="类型", choices=ContributionKind.choices, initial=ContributionKind.SERVICE)
    started_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs=DATE))
    ended_on = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("started_on", timezone.localdate())


class HouseholdChoiceMixin:
    """A household field over the households the user may record for; the select lists households in need."""

    def setup_household(self, user, perm: str = "support.add"):
        households = scoped_households(user, perm)
        field = self.fields["household"]
        field.queryset = households
        listed = in_need(households).select_related("building").order_by("building__number", "entrance", "room")
        chosen = parse_id(self.data.get("household") if self.is_bound else self.initial.get("household"))
        options = [("", "请选择")] + [(h.pk, h.address) for h in listed[:LISTED_HOUSEHOLDS]]
        if chosen and all(pk != chosen for pk, _ in options):
            extra = households.filter(pk=chosen).select_related("building")
            options = [options[0]] + [(h.pk, h.address) for h in extra] + options[1:]
        field.widget = FastSelect(choices=options)


class HelpPairingForm(HouseholdChoiceMixin, LinliForm):
    household = forms.ModelChoiceField(
        label="帮扶户",
        queryset=Household.objects.none(),
        error_messages={"invalid_choice": "找不到这一户，或不在您的管辖范围内。"},
    )
    helper_kind = forms.ChoiceField(
        label="帮扶人类型", choices=HelperKind.choices, initial=HelperKind.VOLUNTEER, widget=forms.RadioSelect
    )
    volunteer = forms.ModelChoiceField(
        label="志愿者",
        queryset=Volunteer.objects.none(),
        required=False,
        error_messages={"invalid_choice": "找不到这位志愿者，或不在您的管辖范围内。"},
    )
    organisation = forms.ModelChoiceField(
        label="单位",
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": "找不到这个单位，或不在您的管辖范围内。"},
    )
    helper_name = forms.CharField(label="帮扶人姓名", max_length=64, required=False, help_text="其他个人填写。")
    helper_phone = forms.CharField(label="帮扶人电话", max_length=24, required=False)
    need = forms.CharField(label="帮扶需求", max_length=200, required=False, help_text="如：每周电话问候、代购药品。")
    started_on = forms.DateField(label="结对日期", widget=forms.DateInput(attrs=DATE))

    def __init__(self, data=None, *, user=None, **kwargs):
        super().__init__(data, **kwargs)
        self.initial.setdefault("started_on", timezone.localdate())
        if user is None:
            return
        self.setup_household(user)
        communities = communities_for(user, "support.add")
        self.fields["volunteer"].queryset = Volunteer.objects.filter(community__in=communities, is_active=True)
        self.fields["organisation"].queryset = Organisation.objects.filter(community__in=communities, is_active=True)
        for name in ("volunteer", "organisation"):
            self.fields[name].widget = FastSelect(choices=self.fields[name].choices)


class HelpContactForm(LinliForm):
    """记一笔: on a phone, three fields; the date is today unless changed."""

    contacted_on = forms.DateField(label="日期", widget=forms.DateInput(attrs=DATE))
    kind = forms.ChoiceField(label="方式", choices=ContactKind.choices, initial=ContactKind.VISIT)
    note = forms.CharField(
        label="情况",
        max_length=300,
        error_messages={"required": "请写一句联系情况。"},
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：上门看望，帮忙买了菜。"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("contacted_on", timezone.localdate())


class HelpEndForm(LinliForm):
    ended_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs=DATE))
    end_reason = forms.CharField(label="结束原因", max_length=100, error_messages={"required": "请写明结束原因。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ended_on", timezone.localdate())


class AssistanceForm(HouseholdChoiceMixin, LinliForm):
    household = forms.ModelChoiceField(
        label="受助户",
        queryset=Household.objects.none(),
        error_messages={"invalid_choice": "找不到这一户，或不在您的管辖范围内。"},
    )
    given_on = forms.DateField(label="日期", widget=forms.DateInput(attrs=DATE))
    kind = forms.ChoiceField(label="类型", choices=AssistanceKind.choices, initial=AssistanceKind.GOODS)
    description = forms.CharField(label="内容", max_length=200, help_text="如：米面油一套、慰问金、上门理发。")
    amount = forms.DecimalField(label="金额（元）", required=False, min_value=0, max_digits=10, decimal_places=2)
    quantity = forms.IntegerField(label="数量", required=False, min_value=1, max_value=100000)
    source = forms.ChoiceField(label="来源", choices=AssistanceSource.choices, initial=AssistanceSource.PROGRAMME)
    organisation = forms.ModelChoiceField(
        label="单位",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="来源为驻区单位时选择。",
        error_messages={"invalid_choice": "找不到这个单位，或不在您的管辖范围内。"},
    )
    programme = forms.CharField(
        label="项目名称", max_length=64, required=False, help_text="来源为政府项目时填写，如：" + "、".join(PROGRAMMES)
    )
    pairing = forms.ModelChoiceField(
        label="结对",
        queryset=HelpPairing.objects.none(),
        required=False,
        help_text="来源为结对帮扶人时选择。",
        error_messages={"invalid_choice": "找不到这个结对，或不在您的管辖范围内。"},
    )
    given_by = forms.CharField(label="发放人", max_length=64, required=False)

    def __init__(self, data=None, *, user=None, **kwargs):
        super().__init__(data, **kwargs)
        self.initial.setdefault("given_on", timezone.localdate())
        if user is None:
            return
        self.setup_household(user)
        self.fields["organisation"].queryset = Organisation.objects.restrict(user).filter(is_active=True)
        pairings = HelpPairing.objects.restrict(user, "add").live().select_related("volunteer", "organisation")
        self.fields["pairing"].queryset = pairings.select_related("household__building")
        for name in ("organisation", "pairing"):
            self.fields[name].widget = FastSelect(choices=self.fields[name].choices)
