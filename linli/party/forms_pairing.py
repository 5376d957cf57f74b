"""Forms of 结对帮扶: a new pairing (a member and a household: care-group households first), its end, and the
phone-first contact note (date, how, one or two sentences)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from linli.areas.models import Household
from linli.core.forms import LinliForm
from linli.party.choices import ContactKind
from linli.party.models import PartyMember

DATE = {"type": "date"}


def member_label(member) -> str:
    return f"{member.name}（{member.branch.name}）" if member.branch_id else member.name


class PairingForm(LinliForm):
    """结对: the member (of the members the user may record for) and the household (of the households the user
    reads, in those members' communities; the view lists care-group households first)."""

    member = forms.ModelChoiceField(
        label="结对党员",
        queryset=PartyMember.objects.none(),
        error_messages={"invalid_choice": "找不到这位党员，或不在您的管辖范围内。"},
    )
    household = forms.ModelChoiceField(
        label="帮扶户",
        queryset=Household.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "找不到这一户，或不在您的管辖范围内。"},
    )
    started_on = forms.DateField(label="结对日期", widget=forms.DateInput(attrs=DATE))
    need = forms.CharField(
        label="帮扶需求",
        max_length=200,
        required=False,
        help_text="如：独居老人，每周电话问候、代购药品。",
        widget=forms.TextInput(attrs={"placeholder": "每周电话问候、代购药品……"}),
    )

    def __init__(self, data=None, *, user=None, **kwargs):
        super().__init__(data, **kwargs)
        self.initial.setdefault("started_on", timezone.localdate())
        if user is None:
            return
        members = PartyMember.objects.restrict(user, "record").active().order_by("name", "pk")
        self.fields["member"].label_from_instance = member_label
        self.fields["member"].queryset = members.select_related("branch")
        self.fields["household"].queryset = Household.objects.restrict(user).filter(
            building__community_id__in=members.values("community_id")
        )

    def clean_started_on(self):
        day = self.cleaned_data["started_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("结对日期不能晚于今天。")
        return day


class PairingEndForm(LinliForm):
    ended_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs=DATE))
    end_reason = forms.CharField(
        label="结束原因",
        max_length=100,
        error_messages={"required": "请写明结束原因。"},
        widget=forms.TextInput(attrs={"placeholder": "如：老人搬去子女家、党员组织关系转出"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ended_on", timezone.localdate())


class PairingContactForm(LinliForm):
    """记一笔: on a phone, three fields; the date is today unless changed."""

    contacted_on = forms.DateField(label="日期", widget=forms.DateInput(attrs=DATE))
    kind = forms.ChoiceField(label="方式", choices=ContactKind.choices, initial=ContactKind.VISIT)
    note = forms.CharField(
        label="情况",
        max_length=300,
        error_messages={"required": "请写一句联系情况。"},
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：上门看望，老人身体还好，帮忙换了灯泡。"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("contacted_on", timezone.localdate())
