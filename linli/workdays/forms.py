import datetime as dt

from django import forms

from linli.core.forms import LinliModelForm
from linli.workdays.models import HolidayOverride

FIRST, LAST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)


class HolidayOverrideForm(LinliModelForm):
    """Entry of one day; duplicates are caught by the model's unique check (message 该日期已设置)."""

    date = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"],
        error_messages={"required": "请填写日期。", "invalid": "日期格式不正确，请按 2026-01-01 的格式填写。"},
    )
    is_workday = forms.TypedChoiceField(
        label="类型",
        choices=[("0", "放假"), ("1", "调休上班")],
        coerce=lambda v: v in (True, "1", "True", "true"),
        initial="0",
        error_messages={"required": "请选择类型。", "invalid_choice": "类型只能是“放假”或“调休上班”。"},
    )
    name = forms.CharField(
        label="名称",
        max_length=32,
        help_text="如：春节、国庆节",
        error_messages={"required": "请填写名称，如“春节”。", "max_length": "名称最多32个字。"},
    )

    class Meta:
        model = HolidayOverride
        fields = ["date", "is_workday", "name"]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not FIRST <= date <= LAST:
            raise forms.ValidationError("日期须在1900年至2200年之间。")
        return date
