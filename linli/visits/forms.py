from django import forms
from django.utils import timezone

from linli.visits.choices import Outcome, Wellbeing


class VisitForm(forms.Form):
    """A few taps on a phone: outcome, wellbeing, optional notes. Rules live in services.log_visit."""

    outcome = forms.ChoiceField(
        label="走访结果",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择走访结果。", "invalid_choice": "请选择走访结果。"},
    )
    wellbeing = forms.ChoiceField(
        label="身心状况",
        choices=Wellbeing.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="不在家时不用填。",
        error_messages={"invalid_choice": "身心状况的选项无效。"},
    )
    findings = forms.CharField(label="发现情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    need = forms.CharField(
        label="居民诉求",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="走访中发现的需求，之后可转为诉求办理。",
    )
    visited_on = forms.DateField(
        label="走访日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": "请填写走访日期。", "invalid": "日期格式应为 2026-01-31。"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"visited_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
