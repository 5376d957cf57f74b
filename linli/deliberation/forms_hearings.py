"""Forms of the hearing pages. Rules (scope, who may be picked, required answers) live in services_hearings; the
forms read and shape what a phone sends."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from linli.attachments.forms import MultiplePhotoField
from linli.core.forms import IdMultipleChoiceField, LinliForm
from linli.core.params import parse_id
from linli.deliberation.choices_hearings import DoorOutcome, MeetingKind, QuestionKind
from linli.deliberation.services_hearings import Guest, QuestionSpec
from linli.residents.models import Resident

DATETIME = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
#: question slots on the questionnaire form (blank ones are ignored)
QUESTION_SLOTS = 5
_GUEST_SPLIT = re.compile(r"[，,、\s]+")


class ResidentsPicker(forms.SelectMultiple):
    """A live search (htmx, deliberation:hearing_resident_search) over the matter's residents the user may see;
    each hit is a checkbox `residents`. The residents already chosen stay shown, checked."""

    search_url = ""

    def render(self, name, value, attrs=None, renderer=None):
        chosen_ids = {str(v) for v in value or ()}
        chosen = [(pk, label) for pk, label in self.choices if str(pk) in chosen_ids]
        return render_to_string(
            "deliberation/hearings/_picker.html", {"name": name, "chosen": chosen, "search_url": self.search_url}
        )


def resident_field(matter, user, *, label: str) -> IdMultipleChoiceField:
    queryset = Resident.objects.restrict(user, "view").filter(community_id=matter.community_id)
    field = IdMultipleChoiceField(queryset=queryset, required=False, label=label, widget=ResidentsPicker)
    field.widget.search_url = reverse("deliberation:hearing_resident_search", args=[matter.pk])
    return field


def chosen_choices(field, ids) -> None:
    """Only the chosen residents are rendered (a community has thousands): the picker searches the rest."""
    ids = [pk for pk in (parse_id(i) for i in ids or ()) if pk is not None]
    field.widget.choices = [
        (r.pk, f"{r.name} {r.household.address}")
        for r in field.queryset.filter(pk__in=ids).select_related("household__building")
    ]


class MeetingForm(LinliForm):
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    held_at = forms.DateTimeField(label="时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label="地点", max_length=100)
    attendance = forms.IntegerField(
        label="到会人数", required=False, min_value=0, max_value=100000, help_text="开完会再填。"
    )
    guests = forms.CharField(
        label="列席人员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不在居民库里的参会人，每行一位：姓名，身份或单位（如“刘经理，物业公司”）。",
    )
    minutes = forms.CharField(label="会议纪要", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    decisions = forms.CharField(
        label="议定事项", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一条。"
    )
    photos = MultiplePhotoField(label="照片或扫描件", help_text="会议照片、签到表、纪要扫描件，最多6张。")

    def __init__(self, *args, matter, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residents"] = resident_field(matter, user, label="参会居民")
        self.order_fields(["kind", "held_at", "place", "residents", "guests", "attendance", "minutes", "decisions"])
        ids = self.data.getlist("residents") if self.is_bound else self.initial.get("residents", [])
        chosen_choices(self.fields["residents"], ids)

    @staticmethod
    def initial_for(meeting) -> dict:
        people = list(meeting.participants.all())
        return {
            "kind": meeting.kind,
            "held_at": meeting.held_at,
            "place": meeting.place,
            "attendance": meeting.attendance,
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
            "residents": [p.resident_id for p in people if p.resident_id],
            "guests": "\n".join(f"{p.name}，{p.role}" if p.role else p.name for p in people if not p.resident_id),
        }

    def clean_guests(self):
        guests = []
        for line in (self.cleaned_data.get("guests") or "").splitlines():
            if not line.strip():
                continue
            parts = _GUEST_SPLIT.split(line.strip(), maxsplit=1)
            guests.append(Guest(parts[0], parts[1] if len(parts) > 1 else ""))
        return guests

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        keys = ("kind", "held_at", "place", "attendance", "minutes", "decisions", "guests", "photos")
        return {**{k: data[k] for k in keys}, "residents": list(data["residents"])}


class QuestionnaireForm(LinliForm):
    title = forms.CharField(label="问卷标题", max_length=100, help_text="如“3栋加装电梯入户征求意见”。")
    intro = forms.CharField(
        label="开场说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="入户时先念给居民听的话。"
    )

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, QUESTION_SLOTS + 1):
            self.fields[f"q{n}_text"] = forms.CharField(label=f"第{n}题", max_length=200, required=False)
            self.fields[f"q{n}_kind"] = forms.ChoiceField(
                label=f"第{n}题题型", choices=QuestionKind.choices, initial=QuestionKind.SINGLE, required=False
            )
            self.fields[f"q{n}_options"] = forms.CharField(
                label=f"第{n}题选项",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="单选题每行一个选项，如：同意 / 不同意 / 无所谓。",
            )
            if locked:
                for part in ("text", "kind", "options"):
                    self.fields[f"q{n}_{part}"].disabled = True

    @staticmethod
    def initial_for(questionnaire) -> dict:
        initial = {"title": questionnaire.title, "intro": questionnaire.intro}
        for n, q in enumerate(questionnaire.questions.all(), start=1):
            initial |= {f"q{n}_text": q.text, f"q{n}_kind": q.kind, f"q{n}_options": q.options}
        return initial

    def questions(self) -> list[QuestionSpec]:
        data = self.cleaned_data
        return [
            QuestionSpec(
                data[f"q{n}_text"],
                data.get(f"q{n}_kind") or QuestionKind.SINGLE,
                (data.get(f"q{n}_options") or "").splitlines(),
            )
            for n in range(1, QUESTION_SLOTS + 1)
            if (data.get(f"q{n}_text") or "").strip()
        ]


class DoorVisitForm(LinliForm):
    """One screen per household: 已回答 with the answers, or 不在家."""

    outcome = forms.ChoiceField(
        label="结果",
        choices=[(DoorOutcome.ANSWERED, "已回答"), (DoorOutcome.NOT_HOME, "不在家")],
        widget=forms.RadioSelect,
        initial=DoorOutcome.ANSWERED,
    )

    def __init__(self, *args, questionnaire, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questionnaire.questions.all())
        for q in self.questions:
            if q.kind == QuestionKind.SINGLE:
                self.fields[f"q{q.pk}"] = forms.ChoiceField(
                    label=f"{q.order}. {q.text}",
                    choices=[(o, o) for o in q.option_list],
                    widget=forms.RadioSelect,
                    required=False,
                )
            else:
                self.fields[f"q{q.pk}"] = forms.CharField(
                    label=f"{q.order}. {q.text}",
                    max_length=200,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        self.fields["respondent"] = forms.ModelChoiceField(
            label="受访人",
            queryset=Resident.objects.filter(household=household, status="active").order_by("id"),
            required=False,
            help_text="可不选。",
        )
        self.fields["respondent"].empty_label = "不选"

    @staticmethod
    def initial_for(answer) -> dict:
        if answer is None:
            return {}
        initial = {"outcome": answer.outcome, "respondent": answer.respondent_id}
        initial |= {f"q{key}": value for key, value in (answer.answers or {}).items()}
        return initial

    def answers(self) -> dict:
        return {q.key: self.cleaned_data.get(f"q{q.pk}") or "" for q in self.questions}


class TableTalkForm(LinliForm):
    building = forms.ModelChoiceField(label="楼栋", queryset=None)
    held_on = forms.DateField(label="日期", widget=DATE, input_formats=["%Y-%m-%d"])
    place = forms.CharField(label="地点", max_length=100, required=False, help_text="如“3栋楼下”。")
    attendance = forms.IntegerField(label="来了多少人", min_value=0, max_value=10000)
    points = forms.CharField(label="大家说了什么", widget=forms.Textarea(attrs={"rows": 6}), help_text="每行一条意见。")

    def __init__(self, *args, matter, user, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
        self.fields["residents"] = resident_field(matter, user, label="来的居民")
        self.fields["residents"].help_text = "可不选。"
        self.order_fields(["building", "held_on", "place", "attendance", "residents", "points"])
        ids = self.data.getlist("residents") if self.is_bound else self.initial.get("residents", [])
        chosen_choices(self.fields["residents"], ids)

    @staticmethod
    def initial_for(talk) -> dict:
        return {
            "building": talk.building_id,
            "held_on": talk.held_on,
            "place": talk.place,
            "attendance": talk.attendance,
            "points": talk.points,
            "residents": [r.pk for r in talk.residents.all()],
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        keys = ("building", "held_on", "place", "attendance", "points")
        return {**{k: data[k] for k in keys}, "residents": list(data["residents"])}
