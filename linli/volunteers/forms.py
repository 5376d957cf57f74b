from django import forms

from linli.accounts.models import User
from linli.areas.scope import managed_communities
from linli.core.forms import LinliForm, LinliModelForm
from linli.core.params import parse_id
from linli.residents.models import Resident
from linli.volunteers.models import Activity, Team, Volunteer

DATETIME = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


def communities_of(user):
    return managed_communities(user)


class _CommunityForm(LinliModelForm):
    """The community choice is limited to the user's scope; with one community it is fixed."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["community"].queryset = communities_of(user).order_by("name")
        self.fields["community"].empty_label = None


def resident_phone_for(user, resident) -> str:
    """A resident's phone as `user` may see it (as on the resident pages)."""
    return resident.phone if user.has_role_perm("resident.reveal_phone") else resident.phone_masked


class ResidentPicker(forms.Widget):
    """A live search (htmx, volunteers:resident_search) over the user's residents; each hit is a radio
    `resident` carrying the name and phone that picking it fills in. The chosen one stays shown."""

    user = None

    def render(self, name, value, attrs=None, renderer=None):
        from django.template.loader import render_to_string

        chosen = None
        if (pk := parse_id(value)) and self.user is not None:
            residents = Resident.objects.restrict(self.user).select_related("household__building", "community")
            chosen = residents.filter(pk=pk).first()
        if chosen is not None:
            chosen.phone_shown = resident_phone_for(self.user, chosen)
        return render_to_string("volunteers/_resident_picker.html", {"name": name, "chosen": chosen})


class VolunteerForm(_CommunityForm):
    resident = forms.ModelChoiceField(
        label="居民档案",
        queryset=Resident.objects.none(),
        required=False,
        widget=ResidentPicker,
        help_text="本社区居民：按姓名、拼音首字母或电话后4位查找并选中，姓名和电话以档案为准；社区外志愿者不选。",
        error_messages={"invalid_choice": "找不到这位居民，或不在您的管辖范围内。"},
    )
    user = forms.ModelChoiceField(
        label="志愿者账号",
        queryset=User.objects.none(),
        required=False,
        help_text="关联后，本人可用这个账号报名活动、扫码签到、查看服务时长。",
    )

    class Meta:
        model = Volunteer
        fields = [
            "community",
            "resident",
            "name",
            "phone",
            "skills",
            "availability",
            "user",
            "joined_on",
            "is_active",
        ]
        widgets = {"joined_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}

    # One setting per person (linli.bigscreen.WallConsent), shared with the person's love-bank account.
    wall_name_consent = forms.BooleanField(
        label="同意在好人好事墙展示姓名",
        required=False,
        help_text="本人同意后勾选：社区大屏的好人好事墙显示姓名（本人的志愿服务和爱心积分共用这一项）；"
        "不勾选只显示“一位志愿者”。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk and not self.is_bound:
            from linli.bigscreen.consent import has_consent

            self.initial["wall_name_consent"] = has_consent(self.instance)
        self.fields["resident"].queryset = Resident.objects.restrict(user)
        self.fields["resident"].widget.user = user
        self.fields["user"].queryset = User.objects.filter(role="volunteer", is_active=True).order_by("username")
        self.fields["name"].required = False
        self.fields["name"].help_text = "社区外志愿者必填。"

    def clean(self):
        data = super().clean()
        resident, community = data.get("resident"), data.get("community")
        if resident and community and resident.community_id != community.pk:
            self.add_error("resident", f"{resident.name}不是{community.name}的居民，请选择居民所在的社区。")
        return data


class TeamForm(_CommunityForm):
    class Meta:
        model = Team
        fields = ["community", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(_CommunityForm):
    class Meta:
        model = Activity
        fields = ["community", "team", "title", "kind", "starts_at", "ends_at", "place", "capacity", "notice"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "notice": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["team"].queryset = Team.objects.restrict(user).order_by("name")
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "结束时间应晚于开始时间。")
        return data


class MembershipForm(LinliForm):
    volunteer = forms.ModelChoiceField(label="志愿者", queryset=Volunteer.objects.none())
    is_leader = forms.BooleanField(label="队长", required=False)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.active().filter(community_id=team.community_id)


class MarkForm(LinliForm):
    volunteer = forms.ModelChoiceField(label="志愿者", queryset=Volunteer.objects.none())
    hours = forms.DecimalField(
        label="服务时长（小时）",
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="留空按签到签退或活动全程计算。",
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.active().filter(community_id=activity.community_id)


class CorrectionForm(LinliForm):
    hours = forms.DecimalField(label="更正后的服务时长（小时）", min_value=0, decimal_places=2)
    reason = forms.CharField(label="更正原因", max_length=200)


class SignUpForVolunteerForm(LinliForm):
    volunteer = forms.ModelChoiceField(label="代为报名的志愿者", queryset=Volunteer.objects.none())

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.active().filter(community_id=activity.community_id)


class ActivityCancelForm(LinliForm):
    reason = forms.CharField(
        label="取消原因",
        max_length=200,
        help_text="会发给已报名和候补的志愿者，如“下雨，今晚巡逻取消”。",
        error_messages={"required": "请填写取消原因。", "max_length": "取消原因最多200个字。"},
    )


class HoursPeriodForm(LinliForm):
    """服务时长统计's period: a year, or a date range (which wins when both ends are given)."""

    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": "年度请填写数字，如2026。"},
    )
    start = forms.DateField(label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    MAX_DAYS = 366 * 5

    def clean(self):
        import datetime

        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise forms.ValidationError("按日期统计时请同时填写开始日期和结束日期。")
            if end < start:
                raise forms.ValidationError("结束日期不能早于开始日期。")
            if (end - start).days > self.MAX_DAYS:
                raise forms.ValidationError("一次最多统计5年。")
        else:
            from django.utils import timezone

            year = data.get("year") or timezone.localdate().year
            data["start"], data["end"] = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return data
