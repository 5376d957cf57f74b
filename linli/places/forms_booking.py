"""Forms of the booking pages: a booking (once or every week), cancel, refuse, attendance, a closure."""

from __future__ import annotations

import datetime

from django import forms

from linli.core.forms import LinliForm
from linli.places import access
from linli.places.choices import BookerKind, CancelScope
from linli.places.series import EVERY_WEEKDAY

WEEKDAY_CHOICES = [(str(i), f"周{d}") for i, d in enumerate("一二三四五六日")]
REPEAT_CHOICES = [("once", "只预约一次"), ("weekly", "每周重复"), ("weekdays", "每个工作日（周一至周五）")]


class BookingForm(LinliForm):
    """One booking, or a weekly series (repeat): the day (the first day of a series), the time, who and what for."""

    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    purpose = forms.CharField(label="用途", max_length=200, help_text="如：书法练习、合唱排练、楼栋议事会。")
    expected_attendance = forms.IntegerField(label="预计人数", min_value=1, max_value=1000, initial=10)
    booker_kind = forms.ChoiceField(label="预约方", choices=BookerKind.choices)
    booker_name = forms.CharField(
        label="预约人/组织", max_length=100, required=False, help_text="以居民个人或志愿服务队名义预约时可不填。"
    )
    team = forms.ModelChoiceField(label="志愿服务队", queryset=None, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=24, required=False, help_text="取消或闭馆时短信通知。")
    repeat = forms.ChoiceField(label="重复", choices=REPEAT_CHOICES, initial="once", widget=forms.RadioSelect)
    weekdays = forms.MultipleChoiceField(
        label="每周哪几天", choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    until = forms.DateField(
        label="重复到", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="最长一年。"
    )

    def __init__(self, *args, room, user, **kwargs):
        super().__init__(*args, **kwargs)
        from linli.volunteers.models import Team

        self.room = room
        staff = access.may_book_for_others(user, room.community_id)
        kinds = [k for k in BookerKind if k.value in (room.bookable_by or [])]
        teams = Team.objects.filter(community_id=room.community_id)
        if not staff:
            kinds = [k for k in kinds if k != BookerKind.STAFF]
            if not user.resident_id:
                kinds = [k for k in kinds if k == BookerKind.TEAM]
            teams = teams.filter(pk__in=access.member_team_ids(user))
            if not teams.exists():
                kinds = [k for k in kinds if k != BookerKind.TEAM]
        self.fields["booker_kind"].choices = [(k.value, k.label) for k in kinds]
        if len(kinds) == 1:
            self.fields["booker_kind"].initial = kinds[0].value
        self.fields["team"].queryset = teams.order_by("name")
        self.fields["team"].empty_label = "（不是志愿服务队）"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start >= end:
            self.add_error("end", "结束时间应晚于开始时间。")
        repeat = data.get("repeat")
        if repeat == "weekdays":
            data["weekdays"] = [str(d) for d in EVERY_WEEKDAY]
        if repeat in ("weekly", "weekdays"):
            if repeat == "weekly" and not data.get("weekdays"):
                day = data.get("day")
                data["weekdays"] = [str(day.weekday())] if day else []
            if not data.get("until"):
                self.add_error("until", "每周重复的预约请填写重复到哪一天。")
        return data

    def moments(self):
        data = self.cleaned_data
        from django.utils import timezone

        combine = datetime.datetime.combine
        return (
            timezone.make_aware(combine(data["day"], data["start"])),
            timezone.make_aware(combine(data["day"], data["end"])),
        )


class CancelForm(LinliForm):
    reason = forms.CharField(label="取消原因", max_length=200)
    scope = forms.ChoiceField(
        label="取消范围", choices=CancelScope.choices, initial=CancelScope.ONE, widget=forms.RadioSelect
    )

    def __init__(self, *args, booking=None, manager=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(CancelScope.ONE.value, CancelScope.ONE.label)]
        if booking is not None and booking.series_id:
            choices.append((CancelScope.REST.value, CancelScope.REST.label))
        if manager:
            choices.append((CancelScope.CLOSURE.value, CancelScope.CLOSURE.label))
        self.fields["scope"].choices = choices


class RejectForm(LinliForm):
    reason = forms.CharField(label="不通过的原因", max_length=200)


class UseForm(LinliForm):
    attendance = forms.IntegerField(label="实到人数", min_value=0, max_value=2000, required=False)
    no_show = forms.BooleanField(label="爽约（预约了没有来，也没有取消）", required=False)


class CloseForm(LinliForm):
    day = forms.DateField(label="闭馆日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="闭馆原因", max_length=200, help_text="会通知当天每一位预约人。")
