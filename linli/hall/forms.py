"""Forms of the hall's pages; every save goes through linli.hall.services."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from linli.areas.scope import communities_for
from linli.core.forms import IdMultipleChoiceField, LinliForm, LinliModelForm
from linli.hall.choices import ERRAND_MOVES, ErrandKind, ErrandStatus
from linli.hall.models import Counter, ServiceMatter
from linli.hall.services import free_slots

WEEKDAYS = [(0, "周一"), (1, "周二"), (2, "周三"), (3, "周四"), (4, "周五"), (5, "周六"), (6, "周日")]
DATE = forms.DateInput(attrs={"type": "date"})


class ServiceMatterForm(LinliModelForm):
    class Meta:
        model = ServiceMatter
        fields = [
            "community", "name", "category", "audience", "materials", "place", "hours", "time_limit_days",
            "deciding_office", "forwarded", "fee", "notes", "link", "published", "sort",
        ]  # fmt: skip
        widgets = {"materials": forms.Textarea(attrs={"rows": 5}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user, "hall.manage").order_by("name")
        if self.instance.pk:
            self.fields["community"].disabled = True


class CounterForm(LinliModelForm):
    open_days = forms.TypedMultipleChoiceField(
        label="预约日", choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Counter
        fields = [
            "community", "name", "prefix", "matters", "open_days", "opens_at", "closes_at", "slot_minutes",
            "slot_capacity", "is_active", "sort",
        ]  # fmt: skip
        widgets = {"matters": forms.CheckboxSelectMultiple}
        field_classes = {"matters": IdMultipleChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user, "hall.manage").order_by("name")
        self.fields["matters"].queryset = ServiceMatter.objects.restrict(user, "manage").order_by("sort", "name")
        if self.instance.pk:
            self.fields["community"].disabled = True
            self.fields["matters"].queryset = self.fields["matters"].queryset.filter(
                community_id=self.instance.community_id
            )


class AppointmentForm(LinliForm):
    """A place in a slot: the counter and day decide the slots offered (the page reloads them)."""

    counter = forms.ModelChoiceField(label="窗口", queryset=Counter.objects.none())
    matter = forms.ModelChoiceField(label="办理事项", queryset=ServiceMatter.objects.none())
    day = forms.DateField(label="日期", widget=DATE)
    slot = forms.ChoiceField(label="时段", choices=())
    name = forms.CharField(label="姓名", max_length=64, required=False)
    phone = forms.CharField(label="联系电话", max_length=24, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, counters, matters, self_booking=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = counters
        self.fields["matter"].queryset = matters
        if self_booking:
            for name in ("name", "phone"):
                del self.fields[name]
        counter, day = self.chosen(counters)
        self.slots = free_slots(counter, day) if counter and day else []
        self.fields["slot"].choices = [
            (timezone.localtime(start).strftime("%H:%M"), f"{timezone.localtime(start):%H:%M}（余{left}个）")
            for start, left in self.slots
        ]

    def chosen(self, counters):
        from linli.core.params import parse_id

        data = self.data if self.is_bound else self.initial
        counter_id = parse_id(data.get("counter"))
        counter = counters.filter(pk=counter_id).first() if counter_id else None
        try:
            day = datetime.date.fromisoformat(str(data.get("day") or ""))
        except ValueError:
            day = None
        return counter, day

    def starts_at(self) -> datetime.datetime:
        hour, minute = (int(part) for part in self.cleaned_data["slot"].split(":"))
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["day"], datetime.time(hour, minute)))


class ErrandForm(LinliForm):
    matter = forms.ModelChoiceField(label="事项", queryset=ServiceMatter.objects.none())
    kind = forms.ChoiceField(label="方式", choices=ErrandKind.choices)
    reason = forms.CharField(label="代办原因", max_length=100, required=False, help_text="如：独居老人行动不便。")
    materials_received = forms.CharField(
        label="收取材料", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一项，交还时核对。"
    )
    accepted_on = forms.DateField(label="受理日期", widget=DATE)

    def __init__(self, *args, matters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters
        self.initial.setdefault("accepted_on", timezone.localdate())


class ErrandStepForm(LinliForm):
    status = forms.ChoiceField(label="进展", choices=())
    on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False, help_text="办结时写结果，退回时写原因。")

    def __init__(self, *args, errand, **kwargs):
        super().__init__(*args, **kwargs)
        moves = ERRAND_MOVES.get(errand.status, ())
        self.fields["status"].choices = [(s.value, s.label) for s in ErrandStatus if s in moves]
        self.initial.setdefault("on", timezone.localdate())


class HandBackForm(LinliForm):
    handed_to = forms.CharField(label="结果交给", max_length=64, help_text="居民本人或家属的姓名。")
    on = forms.DateField(label="交还日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())
