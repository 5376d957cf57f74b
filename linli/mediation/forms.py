"""Forms of the mediation pages. They only read input; the services validate and change."""

from __future__ import annotations

from django import forms

from linli.accounts.models import User
from linli.core.forms import IdMultipleChoiceField, LinliForm
from linli.mediation.choices import (
    AgreementKind,
    CaseType,
    FollowUpResult,
    MediatorKind,
    PartyRole,
    ReceptionHandling,
    Referral,
    Urgency,
)
from linli.mediation.models import MediationRoom, Mediator

DATE = forms.DateInput(attrs={"type": "date"})


def _community_field(form, communities):
    field = form.fields["community"]
    field.queryset = communities
    if len(communities[:2]) == 1:
        field.initial = communities[0].pk
        field.widget = forms.HiddenInput()


class CaseIntakeForm(LinliForm):
    """The quick intake (手机上一分钟): type, who, what happened."""

    community = forms.ModelChoiceField(label="社区", queryset=None)
    case_type = forms.ChoiceField(label="纠纷类型", choices=CaseType.choices, widget=forms.RadioSelect)
    applicant_name = forms.CharField(label="申请人", max_length=40, required=False)
    applicant_phone = forms.CharField(label="申请人电话", max_length=32, required=False)
    respondent_name = forms.CharField(label="对方当事人", max_length=40, required=False)
    account = forms.CharField(
        label="纠纷简要情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="一两句话即可，详情可在调解时补充。",
    )
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        _community_field(self, communities)


class CaseEditForm(LinliForm):
    case_type = forms.ChoiceField(label="纠纷类型", choices=CaseType.choices)
    account = forms.CharField(label="纠纷简要情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices)


class AssignForm(LinliForm):
    mediators = IdMultipleChoiceField(
        label="调解员", queryset=Mediator.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    room = forms.ModelChoiceField(label="调解室", queryset=MediationRoom.objects.none(), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = Mediator.objects.filter(community_id=case.community_id, is_active=True)
        self.fields["room"].queryset = MediationRoom.objects.filter(community_id=case.community_id, is_active=True)


class PartyForm(LinliForm):
    role = forms.ChoiceField(label="身份", choices=PartyRole.choices)
    name = forms.CharField(label="姓名", max_length=40)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    address = forms.CharField(label="住址", max_length=120, required=False)


class SessionForm(LinliForm):
    held_at = forms.DateTimeField(
        label="时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="地点", max_length=80, required=False)
    participants = forms.CharField(label="参加人员", max_length=300, required=False)
    notes = forms.CharField(label="调解记录", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)


class SettleForm(LinliForm):
    kind = forms.ChoiceField(
        label="协议形式", choices=AgreementKind.choices, widget=forms.RadioSelect, initial=AgreementKind.WRITTEN
    )
    facts = forms.CharField(label="纠纷主要事实、争议事项", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    terms = forms.CharField(label="经调解，自愿达成协议如下", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    performance = forms.CharField(label="履行方式", max_length=200, required=False)
    deadline = forms.DateField(label="履行期限", widget=DATE, required=False)
    follow_up_on = forms.DateField(
        label="回访日期", widget=DATE, required=False, help_text="不填则在履行期限当天回访。"
    )


class FailForm(LinliForm):
    referral = forms.ChoiceField(label="调解不成后的去向", choices=Referral.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class WithdrawForm(LinliForm):
    note = forms.CharField(label="撤回原因", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class ScanForm(LinliForm):
    scan = forms.FileField(label="签字后的协议书扫描件（PDF/JPG/PNG）")
    signed_on = forms.DateField(label="签订日期", widget=DATE, required=False)


class FollowUpForm(LinliForm):
    result = forms.ChoiceField(label="履行情况", choices=FollowUpResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="回访情况", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)
    next_due = forms.DateField(label="下次回访", widget=DATE, required=False)


class ReceptionForm(LinliForm):
    community = forms.ModelChoiceField(label="社区", queryset=None)
    visitor_name = forms.CharField(label="来访人", max_length=40)
    topic = forms.CharField(label="反映事项", max_length=200)
    handling = forms.ChoiceField(
        label="处理方式",
        choices=ReceptionHandling.choices,
        initial=ReceptionHandling.LISTENED,
        widget=forms.RadioSelect,
    )
    case_type = forms.ChoiceField(label="纠纷类型（立案时选）", choices=[("", "—"), *CaseType.choices], required=False)
    minutes = forms.IntegerField(label="时长（分钟）", min_value=1, max_value=600, required=False)
    received_on = forms.DateField(label="日期", widget=DATE, required=False, help_text="不填为今天。")

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        _community_field(self, communities)


class MediatorForm(LinliForm):
    community = forms.ModelChoiceField(label="社区", queryset=None)
    name = forms.CharField(label="姓名", max_length=40)
    kind = forms.ChoiceField(label="身份", choices=MediatorKind.choices)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    username = forms.CharField(
        label="登录账号（用户名）",
        max_length=150,
        required=False,
        help_text="调解员有账号的，填写后本人可查看自己承办的案件。",
    )
    is_active = forms.BooleanField(label="在任", required=False, initial=True)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        _community_field(self, communities)

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        if not name:
            return None
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError("没有这个账号。")
        return user


class RoomForm(LinliForm):
    community = forms.ModelChoiceField(label="社区", queryset=None)
    name = forms.CharField(label="名称", max_length=60)
    description = forms.CharField(label="简介", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    members = IdMultipleChoiceField(
        label="成员", queryset=Mediator.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        _community_field(self, communities)
        self.fields["members"].queryset = Mediator.objects.filter(community__in=communities, is_active=True)
