"""Forms for wishes, claimers and donations; the rules live in linli.wishes.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from linli.accounts.choices import Role
from linli.accounts.models import User
from linli.attachments.forms import MultiplePhotoField
from linli.core.forms import LinliForm, LinliModelForm
from linli.wishes.choices import Direction, DonationKind, WishCategory
from linli.wishes.models import Claimer

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class WishForm(LinliForm):
    """Public wording first (what everyone reads), then the private delivery details."""

    community = forms.ModelChoiceField(label="社区", queryset=None, error_messages={"required": "请选择社区。"})
    title = forms.CharField(
        label="心愿",
        max_length=80,
        help_text="公开显示，如“一个新书包”“帮忙修理门锁”。不要写姓名、电话、门牌号。",
        error_messages={"required": "请填写心愿。"},
    )
    description = forms.CharField(
        label="公开说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="中性的描述，如“一位独居老人希望有人帮忙修理门锁”。",
    )
    category = forms.ChoiceField(label="类别", choices=WishCategory.choices)
    target_date = forms.DateField(
        label="希望实现日期", required=False, widget=DATE, error_messages={"invalid": "日期格式应为 2026-01-31。"}
    )
    beneficiary_name = forms.CharField(
        label="心愿人（不公开）", max_length=64, error_messages={"required": "请填写心愿人姓名。"}
    )
    address = forms.CharField(label="地址（不公开）", max_length=200, required=False)
    contact_phone = forms.CharField(label="联系电话（不公开）", max_length=32, required=False)
    delivery_notes = forms.CharField(
        label="送达说明（不公开）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如上门时间、需要注意的事。只有认领人（认领后）和社区工作人员能看到。",
    )

    def __init__(self, *args, communities, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["community"]
        else:
            self.fields["community"].queryset = communities
            if len(communities) == 1:
                self.fields["community"].initial = communities[0].pk

    def service_kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "community"}

    @staticmethod
    def initial_for(wish) -> dict:
        return {name: getattr(wish, name) for name in WishForm.base_fields if name != "community"}


class ClaimForm(LinliForm):
    """Staff record a claim for a claimer without an account (an organisation that phoned in)."""

    claimer = forms.ModelChoiceField(label="认领人", queryset=Claimer.objects.none(), required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, wish=None, **kwargs):
        super().__init__(*args, **kwargs)
        if wish is not None:
            self.fields["claimer"].queryset = Claimer.objects.filter(community=wish.community, is_active=True)


class ReasonForm(LinliForm):
    reason = forms.CharField(label="原因", max_length=200, error_messages={"required": "请填写原因。"})


class FulfilForm(LinliForm):
    photos = MultiplePhotoField(label="照片", help_text="至少一张，最多6张，单张不超过15MB。")
    note = forms.CharField(label="实现情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ThanksForm(LinliForm):
    text = forms.CharField(
        label="心愿人的感谢",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写感谢的话。"},
    )


class ClaimerForm(LinliModelForm):
    username = forms.CharField(
        label="登录账号（用户名）",
        required=False,
        help_text="可不填。填志愿者/党员账号的用户名后，本人可以用手机认领心愿。",
    )

    class Meta:
        model = Claimer
        fields = ["community", "kind", "name", "phone", "workplace", "in_service", "is_active", "note"]

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        if self.instance.pk:
            del self.fields["community"]
            if self.instance.user_id:
                self.fields["username"].initial = self.instance.user.username
        elif len(communities) == 1:
            self.fields["community"].initial = communities[0].pk

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True, role=Role.VOLUNTEER).first()
        if user is None:
            raise forms.ValidationError("没有这个志愿者/党员账号。")
        return user

    def save_claimer(self):
        claimer = self.save(commit=False)
        claimer.user = self.cleaned_data["username"]
        return claimer


class DonationForm(LinliForm):
    community = forms.ModelChoiceField(label="社区", queryset=None, error_messages={"required": "请选择社区。"})
    direction = forms.ChoiceField(label="捐入/领取", choices=Direction.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label="物品类别", choices=DonationKind.choices)
    quantity = forms.IntegerField(
        label="数量（件）",
        min_value=1,
        max_value=100000,
        error_messages={"required": "请填写数量。", "min_value": "数量必须大于0。", "invalid": "请填写整数。"},
    )
    donor_name = forms.CharField(label="捐赠人", max_length=100, required=False, help_text="捐入时可填，可匿名。")
    moved_on = forms.DateField(label="日期", widget=DATE, error_messages={"invalid": "日期格式应为 2026-01-31。"})
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, communities, **kwargs):
        kwargs.setdefault("initial", {"moved_on": timezone.localdate(), "direction": Direction.IN})
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        if len(communities) == 1:
            self.fields["community"].initial = communities[0].pk
            self.fields["community"].widget = forms.HiddenInput()

    def service_kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "community"}
