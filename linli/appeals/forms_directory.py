"""Forms of the directory pages (承办单位, 问题类别, 承办机构) and of problem lists (问题清单).

Forms only parse input; rules (scope, bounds, uniqueness) live in the services and come back as
ValidationError, put on the form with linli.core.forms.attach_errors.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from linli.appeals.choices import ProblemItemStatus, Urgency
from linli.appeals.models import Category, HandlingUnit
from linli.appeals.services_directory import DEADLINE_BOUNDS
from linli.core.forms import IdMultipleChoiceField, LinliForm


def _user_label(user) -> str:
    name = user.full_name or user.username
    return f"{name}（{user.username}，{user.get_role_display()}）"


class HandlingUnitForm(LinliForm):
    name = forms.CharField(label="名称", max_length=40)
    handles = forms.CharField(
        label="负责事项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="用居民听得懂的话写，顿号分隔。",
    )
    not_handles = forms.CharField(
        label="不负责（找别的单位）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="例如：楼内管道堵塞（找物业）",
    )
    is_active = forms.BooleanField(label="启用", required=False)


class CategoryForm(LinliForm):
    code = forms.SlugField(label="代码", max_length=40, help_text="英文字母、数字和下划线，保存后不能修改。")
    name = forms.CharField(label="名称", max_length=40)
    unit = forms.ModelChoiceField(label="默认承办单位", queryset=HandlingUnit.objects.all(), empty_label="请选择")
    default_urgency = forms.ChoiceField(label="默认紧急程度", choices=Urgency.choices)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]
            self.fields["unit"].queryset = HandlingUnit.objects.all()
        else:
            del self.fields["is_active"]
            self.fields["unit"].queryset = HandlingUnit.objects.filter(is_active=True)
        for field, label, low, high, what in DEADLINE_BOUNDS:
            self.fields[field] = forms.IntegerField(
                label=f"{label}（{what.removeprefix('个')}）",
                min_value=low,
                max_value=high,
                initial=Category._meta.get_field(field).default,
                error_messages={
                    "min_value": f"{label}不能少于{low}{what}。",
                    "max_value": f"{label}不能超过{high}{what}。",
                    "invalid": f"{label}请填写整数。",
                    "required": f"请填写{label}。",
                },
            )

    def deadlines(self) -> dict:
        return {field: self.cleaned_data[field] for field, *_ in DEADLINE_BOUNDS}


class OrganisationForm(LinliForm):
    name = forms.CharField(label="机构名称", max_length=80)
    unit = forms.ModelChoiceField(label="单位类型", queryset=HandlingUnit.objects.all(), empty_label="请选择")
    street = forms.ModelChoiceField(label="所属街道", queryset=None, empty_label=None)
    contact_name = forms.CharField(label="联系人", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False, help_text="手机或座机，例如 027-87654321")
    address = forms.CharField(label="地址", max_length=120, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    handlers = IdMultipleChoiceField(
        label="承办人账号",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="这些账号可以签收、办理派给本机构的诉求。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, streets, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        self.fields["handlers"].queryset = candidates
        self.fields["handlers"].label_from_instance = _user_label


class ProblemListForm(LinliForm):
    name = forms.CharField(label="清单名称", max_length=80, help_text="例如：我为群众办实事")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    community = forms.ModelChoiceField(label="社区", queryset=None, empty_label=None)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["year"].initial = timezone.localdate().year


class ProblemItemForm(LinliForm):
    title = forms.CharField(label="事项", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(label="进展", choices=ProblemItemStatus.choices)
    unit = forms.ModelChoiceField(
        label="责任单位", queryset=HandlingUnit.objects.filter(is_active=True), required=False, empty_label="请选择…"
    )
    due_on = forms.DateField(
        label="完成时限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="过期未解决的事项标为超期",
    )
    note = forms.CharField(label="进展说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LinkAppealForm(LinliForm):
    appeal = forms.CharField(label="诉求编号", max_length=30, help_text="填写诉求编号，只能关联本社区的诉求。")
