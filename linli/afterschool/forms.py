"""The 四点半学校's forms: what the pages post to the services (linli.afterschool.services)."""

from __future__ import annotations

from django import forms

from linli.afterschool.choices import WEEKDAYS, Priority
from linli.afterschool.models import School, Term
from linli.core.forms import IdMultipleChoiceField, LinliForm, LinliModelForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SchoolForm(LinliModelForm):
    staff = IdMultipleChoiceField(label="学校工作人员", queryset=None, required=False,
                                  help_text="能看花名册、办理签到签退的人（任何角色）。")  # fmt: skip

    class Meta:
        model = School
        fields = ["community", "name", "room", "room_name", "opens_at", "closes_at", "head_teacher", "is_active"]
        widgets = {"opens_at": TIME, "closes_at": TIME}

    def __init__(self, *args, communities, users, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["staff"].queryset = users
        self.fields["head_teacher"].queryset = users
        self.fields["room"].queryset = rooms
        if self.instance.pk:
            self.initial.setdefault("staff", [u.pk for u in self.instance.staff.all()])


class TermForm(LinliModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label="上课日", choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, initial=[0, 1, 2, 3, 4]
    )

    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on", "capacity", "weekdays", "age_limit", "team"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class SessionsForm(LinliForm):
    first = forms.DateField(label="从", widget=DATE)
    last = forms.DateField(label="到", widget=DATE)
    topic = forms.CharField(label="内容", max_length=100, required=False)


class EnrolForm(LinliForm):
    child = forms.ModelChoiceField(label="孩子", queryset=None, help_text="本社区居民档案里未满年龄上限的孩子。")
    priority = forms.ChoiceField(label="优先情形", choices=[("", "按居民档案（留守儿童自动优先）"), *Priority.choices],
                                 required=False)  # fmt: skip
    notes = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children


class GuardianForm(LinliForm):
    resident = forms.ModelChoiceField(label="同户居民", queryset=None, required=False,
                                      help_text="从孩子家里选；不在档案里的，填下面的姓名和电话。")  # fmt: skip
    name = forms.CharField(label="姓名", max_length=64, required=False)
    phone = forms.CharField(label="联系电话", max_length=24, required=False)
    relation = forms.CharField(label="与孩子关系", max_length=16, help_text="如：母亲、爷爷、外婆。")
    authorised = forms.BooleanField(label="可以接孩子", required=False, initial=True)
    id_check = forms.CharField(label="核验说明", max_length=100, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = members


class GuardianChangeForm(LinliForm):
    change = forms.ChoiceField(label="操作", choices=[("authorise", "可以接"), ("stop", "不能接"), ("remove", "移除")])


class WithdrawForm(LinliForm):
    reason = forms.CharField(label="退出原因", max_length=100, required=False)


class SignInForm(LinliForm):
    enrolment = forms.IntegerField(label="孩子", min_value=1, max_value=2**31 - 1)


class PickUpForm(LinliForm):
    guardian = forms.IntegerField(label="监护人", min_value=1, max_value=2**31 - 1)


class OverrideForm(LinliForm):
    name = forms.CharField(label="接走人姓名", max_length=64)
    phone = forms.CharField(label="接走人电话", max_length=24)
    relation = forms.CharField(label="与孩子关系", max_length=16)
    reason = forms.CharField(label="特批原因", max_length=200, help_text="如：妈妈加班，电话确认由舅舅来接。")
    approved_by = forms.ModelChoiceField(label="批准人（书记）", queryset=None)

    def __init__(self, *args, approvers, **kwargs):
        super().__init__(*args, **kwargs)
        from linli.accounts.models import User

        self.fields["approved_by"].queryset = User.objects.filter(pk__in=[u.pk for u in approvers])


class TutorForm(LinliForm):
    volunteer = forms.ModelChoiceField(label="志愿者", queryset=None)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


class TutorHoursForm(TutorForm):
    hours = forms.DecimalField(label="服务时长（小时）", required=False, min_value=0, max_value=24, decimal_places=2,
                               help_text="不填按整次辅导计。")  # fmt: skip
