"""Forms of 工作报告: creating a report (node and period), its text, a notable case. The services check again."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from linli.core.forms import LinliForm
from linli.workreports.choices import ReportPeriod
from linli.workreports.services import FIRST_YEAR, MAX_TEXT, writable_nodes

MONTHS = [(m, f"{m}月") for m in range(1, 13)]


class WorkReportForm(LinliForm):
    """写报告: whose report (the street or community the user writes for) and which month or year."""

    node = forms.ChoiceField(label="报告单位")
    period = forms.ChoiceField(label="报告类型", choices=ReportPeriod.choices, initial=ReportPeriod.MONTH)
    year = forms.TypedChoiceField(label="年度", coerce=int)
    month = forms.TypedChoiceField(label="月份", coerce=int, choices=MONTHS, required=False, empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.nodes = {f"{level}:{node.pk}": (level, node) for level, node in writable_nodes(user)}
        self.fields["node"].choices = [(key, node.name) for key, (_level, node) in self.nodes.items()]
        self.fields["node"].error_messages["invalid_choice"] = "请选择您负责的街道或社区。"
        self.fields["year"].choices = [
            (y, f"{y}年") for y in range(today.year, max(FIRST_YEAR, today.year - 5) - 1, -1)
        ]
        self.fields["year"].error_messages["invalid_choice"] = "请选择近几年中的一年。"
        self.fields["month"].error_messages["invalid_choice"] = "请选择月份（1—12）。"
        last = today.replace(day=1) - datetime.timedelta(days=1)
        self.initial.setdefault("year", last.year)
        self.initial.setdefault("month", last.month)

    def clean(self):
        data = super().clean()
        if data.get("period") == ReportPeriod.MONTH and not data.get("month"):
            self.add_error("month", "月度报告请选择月份。")
        return data


class WorkReportTextForm(LinliForm):
    """综述, a paragraph per section and 下一步工作 (fields made per section by the view)."""

    foreword = forms.CharField(
        label="综述",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="本期工作的总体情况，印在报告开头。",
    )
    closing = forms.CharField(
        label="下一步工作", required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, sections: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for name, label in sections.items():
            self.fields[f"section_{name}"] = forms.CharField(
                label=f"{label}：工作情况说明",
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        # 下一步工作 last
        self.order_fields(["foreword", *[f"section_{n}" for n in sections], "closing"])

    def paragraphs(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"section_{name}", "") for name in self.sections}


class WorkReportCaseForm(LinliForm):
    number = forms.CharField(label="诉求编号", max_length=40, help_text="诉求列表和诉求页面上的编号。")
    title = forms.CharField(
        label="事项（可不填）", max_length=120, required=False, help_text="不填则用诉求的公开摘要。"
    )
    note = forms.CharField(label="说明（可不填）", max_length=200, required=False)
