"""Forms of organisational life: a meeting with its attendance (one row per member of the organisation: 出席 by
default, 请假/缺席 with a reason), the year's 民主评议 and each member's entry. The rules live in services_life."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from linli.attachments.forms import MultiplePhotoField
from linli.core.forms import LinliForm
from linli.core.params import parse_id
from linli.party import compliance
from linli.party.choices import Attendance, MeetingKind, Rating

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartyMeetingForm(LinliForm):
    """A meeting of one organisation. Attendance comes as `att_<member id>` (出席/请假/缺席) and `reason_<member id>`
    fields for the `members` given (the organisation's); a member id outside them is refused."""

    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    held_on = forms.DateField(label="会议日期", widget=DATE)
    topic = forms.CharField(label="主题", max_length=200)
    place = forms.CharField(label="地点", max_length=100, required=False)
    host = forms.CharField(label="主持人", max_length=64, required=False)
    minutes = forms.CharField(label="会议记录", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    photos = MultiplePhotoField(label="照片", help_text="会议现场照片，最多6张，单张不超过15MB。")

    def __init__(self, *args, org=None, members=(), attendance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.members = list(members)
        if org is not None:
            allowed = compliance.allowed_kinds(org)
            self.fields["kind"].choices = [(k, MeetingKind(k).label) for k in allowed]
            if len(allowed) == 1:
                self.fields["kind"].initial = allowed[0]
        self.fields["held_on"].initial = self.fields["held_on"].initial or timezone.localdate()
        #: {member id: (status, reason)} shown (the meeting's rows on an edit; 出席 for a new one)
        self.shown = attendance or {}
        self.attendance: dict[int, tuple[str, str]] = {}

    def attendance_rows(self):
        """(member, status, reason) for the form, with what was typed when the form comes back with errors."""
        for member in self.members:
            status, reason = self.shown.get(member.pk, (Attendance.PRESENT, ""))
            if self.is_bound:
                status = self.data.get(f"att_{member.pk}", status)
                reason = self.data.get(f"reason_{member.pk}", reason)
            yield member, status, reason

    def clean(self):
        data = super().clean()
        known = {m.pk for m in self.members}
        rows = {}
        for key in self.data:
            if not key.startswith("att_"):
                continue
            member_id = parse_id(key[4:])
            if member_id is None or member_id not in known:
                self.add_error(None, "名单外的党员不能登记出席情况。")
                return data
            status = self.data.get(key)
            if status not in Attendance.values:
                self.add_error(None, "出席情况有误，请选择出席、请假或缺席。")
                return data
            reason = (self.data.get(f"reason_{member_id}") or "").strip()
            if len(reason) > 100:
                self.add_error(None, "缺席原因不能超过100个字。")
                return data
            rows[member_id] = (status, reason)
        self.attendance = rows
        return data


class AppraisalStartForm(LinliForm):
    """Open the year's 民主评议 of a branch."""

    org = forms.ModelChoiceField(label="党支部", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    held_on = forms.DateField(label="评议日期", required=False, widget=DATE)

    def __init__(self, *args, orgs=None, **kwargs):
        from linli.party.models import PartyOrg

        self.base_fields["org"].queryset = PartyOrg.objects.none()
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs
        self.fields["year"].initial = timezone.localdate().year


RATING_CHOICES = [("", "未评定"), *Rating.choices]


class AppraisalEntriesForm(LinliForm):
    """Every member's self-assessment and rating, as `text_<entry id>` and `rating_<entry id>`."""

    held_on = forms.DateField(label="评议日期", required=False, widget=DATE)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        self.values: dict[int, tuple[str, str]] = {}

    def rows(self):
        for entry in self.entries:
            text, rating = entry.self_assessment, entry.rating
            if self.is_bound:
                text = self.data.get(f"text_{entry.pk}", text)
                rating = self.data.get(f"rating_{entry.pk}", rating)
            yield entry, text, rating

    def clean(self):
        data = super().clean()
        known = {e.pk: e for e in self.entries}
        values = {}
        for key in self.data:
            if not key.startswith("rating_"):
                continue
            entry_id = parse_id(key[7:])
            if entry_id is None or entry_id not in known:
                self.add_error(None, "名单外的党员不能评议。")
                return data
            rating = self.data.get(key) or ""
            if rating not in Rating.values and rating != "":
                self.add_error(None, f"{known[entry_id].member}的评议等次有误。")
                return data
            text = self.data.get(f"text_{entry_id}")  # absent: left as it was
            text = None if text is None else text.strip()
            if text and len(text) > 2000:
                self.add_error(None, f"{known[entry_id].member}的自评不能超过2000字。")
                return data
            values[entry_id] = (text, rating)
        self.values = values
        return data
