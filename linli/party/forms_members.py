"""Forms of the member roster: a member's record, leaving, the review of a self-registration, the public QR form
(扫码报到) and the roster upload."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from linli.areas.models import Community
from linli.core.forms import ImportFileForm, LinliForm, LinliModelForm
from linli.party.choices import BRANCH_KINDS, LeftReason, OrgKind
from linli.party.models import PartnerUnit, PartyMember, PartyOrg
from linli.residents.models import Resident

#: How many residents a search on the member form offers (a name narrows it further).
RESIDENT_CHOICES = 20


class PartyMemberForm(LinliModelForm):
    """A member's record. The choices are the user's own (communities, residents, branches, units where they hold
    party.manage); the service checks again that they are all of the member's community."""

    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none())
    resident = forms.ModelChoiceField(
        label="居民档案",
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        help_text="住在本社区的党员：先在上面查找居民再选择；只在本社区服务的党员不选，填写姓名和电话。",
    )
    account = forms.CharField(
        label="本人账号（用户名）", required=False, max_length=150, help_text="填写后，党员本人登录可查看自己的记录。"
    )

    class Meta:
        model = PartyMember
        fields = [
            "community",
            "resident",
            "name",
            "phone",
            "branch",
            "group",
            "kind",
            "status",
            "joined_on",
            "work_unit",
            "work_unit_name",
            "skills",
            "availability",
            "volunteer",
            "claimer",
            "note",
        ]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, communities=None, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        from linli.volunteers.models import Volunteer
        from linli.wishes.models import Claimer

        communities = communities if communities is not None else Community.objects.none()
        self.fields["name"].required = False
        if self.instance.pk:
            del self.fields["community"]
            community_ids = [self.instance.community_id]
        else:
            self.fields["community"].queryset = communities
            community_ids = communities.values("pk")
            if communities.count() == 1:
                self.initial.setdefault("community", communities.first())
        self.fields["resident"].queryset = Resident.objects.filter(community_id__in=community_ids, status="active")
        shown = list(residents)
        if self.instance.resident_id and self.instance.resident not in shown:
            shown.insert(0, self.instance.resident)
        self.fields["resident"].widget.choices = [("", "不关联居民档案（只在本社区服务）")] + [
            (r.pk, f"{r.name}（{r.household}）") for r in shown[:RESIDENT_CHOICES]
        ]
        orgs = PartyOrg.objects.restrict(user, "manage") if user is not None else PartyOrg.objects.none()
        orgs = orgs.filter(is_active=True, community_id__in=community_ids)
        self.fields["branch"].queryset = orgs.filter(kind__in=BRANCH_KINDS)
        self.fields["group"].queryset = orgs.filter(kind=OrgKind.GROUP)
        self.fields["work_unit"].queryset = PartnerUnit.objects.filter(community_id__in=community_ids, is_active=True)
        self.fields["volunteer"].queryset = Volunteer.objects.filter(community_id__in=community_ids, is_active=True)
        self.fields["claimer"].queryset = Claimer.objects.filter(community_id__in=community_ids, is_active=True)
        self.fields["volunteer"].help_text = self.fields["claimer"].help_text = "不选时，保存时自动关联唯一匹配的记录。"
        # Offer the records that are this person's (the same resident, account, or name and phone), not the
        # community's whole list; any record of the community is still accepted (the service checks).
        from linli.party.services_members import matching_claimers, matching_volunteers

        member = self.instance
        for name, matching in (("volunteer", matching_volunteers), ("claimer", matching_claimers)):
            offered = list(matching(member)[:10]) if member.pk else []
            current = getattr(member, name) if getattr(member, f"{name}_id") else None
            if current is not None and current not in offered:
                offered.insert(0, current)
            self.fields[name].widget.choices = [("", "自动关联（唯一匹配时）")] + [(r.pk, str(r)) for r in offered]
        if self.instance.user_id:
            self.initial.setdefault("account", self.instance.user.username)

    def clean_account(self):
        from linli.accounts.models import User

        username = self.cleaned_data.get("account", "").strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError("找不到这个用户名的账号。")
        return user

    def clean(self):
        data = super().clean()
        if data.get("resident"):
            data["name"], data["phone"] = data["resident"].name, ""
        elif not (data.get("name") or "").strip():
            self.add_error("name", "请填写姓名，或选择居民档案。")
        return data

    def save(self, commit=True):
        member = super().save(commit=False)
        member.user = self.cleaned_data.get("account")
        return member


class LeaveForm(LinliForm):
    left_on = forms.DateField(label="离开日期", widget=forms.DateInput(attrs={"type": "date"}))
    left_reason = forms.ChoiceField(label="离开原因", choices=[("", "请选择…"), *LeftReason.choices])
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("left_on", timezone.localdate())


DECISIONS = (("confirm", "确认报到"), ("reject", "不予确认"))


class ReviewForm(LinliForm):
    decision = forms.ChoiceField(label="处理", choices=DECISIONS, widget=forms.RadioSelect)
    branch = forms.ModelChoiceField(label="编入支部", queryset=PartyOrg.objects.none(), required=False)
    note = forms.CharField(label="意见", required=False, max_length=200, help_text="不予确认时请写明原因。")

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None:
            self.fields["branch"].queryset = PartyOrg.objects.filter(
                community_id=member.community_id, kind__in=BRANCH_KINDS, is_active=True
            )


class RegisterForm(LinliForm):
    """扫码报到: what an in-service member types on their phone. `website` is a honeypot: people leave it empty."""

    name = forms.CharField(label="姓名", max_length=64)
    phone = forms.CharField(label="手机号", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    work_unit = forms.ModelChoiceField(label="工作单位", queryset=PartnerUnit.objects.none(), required=False)
    work_unit_name = forms.CharField(
        label="其他单位", max_length=100, required=False, help_text="单位不在上面列表里时，请填写单位名称。"
    )
    address = forms.CharField(
        label="住在本社区的，填写楼栋和房号", max_length=60, required=False, help_text="如：3栋2单元502（可不填）"
    )
    skills = forms.CharField(label="特长", max_length=200, required=False, help_text="如：法律咨询、医护、维修、书法")
    availability = forms.CharField(label="可服务时间", max_length=200, required=False, help_text="如：周末上午")
    consent = forms.BooleanField(
        label="我已阅读并同意：以上个人信息仅用于社区党组织联系和服务统计。",
        error_messages={"required": "请阅读个人信息处理告知并勾选同意。"},
    )
    website = forms.CharField(label="网址", required=False, widget=forms.TextInput(attrs={"tabindex": "-1"}))

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["work_unit"].queryset = PartnerUnit.objects.filter(
                community=community, dual_registered=True, is_active=True, review="confirmed"
            )

    def clean_phone(self):
        phone = "".join(ch for ch in self.cleaned_data["phone"] if ch.isascii() and ch.isdigit())
        if len(phone) != 11 or not phone.startswith("1"):
            raise forms.ValidationError("请填写11位手机号。")
        return phone

    def clean(self):
        data = super().clean()
        if not data.get("work_unit") and not (data.get("work_unit_name") or "").strip():
            self.add_error("work_unit_name", "请选择工作单位，或填写单位名称。")
        return data


class MemberUploadForm(ImportFileForm):
    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none())

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities if communities is not None else Community.objects.none()
        if communities is not None and communities.count() == 1:
            self.initial.setdefault("community", communities.first())
        self.fields["file"].label = "党员名册"
