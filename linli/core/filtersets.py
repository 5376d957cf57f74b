"""What every list's FilterSet shares: one FilterSet per list decides the rows of its page, API and export.

A page hands the FilterSet the request's query string and shows `error_list` above the list (an invalid
value is left out of the filter, as django-filter does); the API calls `api_rows`, which turns the same
errors into a 422 with the form's Chinese messages; an export takes the page's rows. Filters shared by
several apps (a month typed as YYYY-MM) live here.
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

BAD_MONTH = "月份格式应为 YYYY-MM，如 2026-03。"
_MONTH = re.compile(r"(\d{4})-(\d{2})")
#: Months outside these are typing mistakes (and a year past 9999 cannot be a date at all).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def error_dict(filterset) -> dict[str, list[str]]:
    """The form's Chinese messages by field (the API's 422)."""
    return {field: [e["message"] for e in errors.get_json_data()] for field, errors in filterset.errors.items()}


def error_list(filterset) -> list[str]:
    """The same messages in one list, for the line above a page's list ("筛选条件有误，未按它筛选：…")."""
    return [e for errors in error_dict(filterset).values() for e in errors]


def api_rows(filterset):
    """The FilterSet's rows for an API list; an invalid value is a 422 naming the field, never an empty answer."""
    if not filterset.is_valid():
        raise ValidationError(error_dict(filterset))
    return filterset.qs


def api_data(params) -> dict[str, str]:
    """An API endpoint's query schema as the FilterSet's data (what a page's query string would carry)."""
    data = params.model_dump(mode="json", exclude_none=True) if hasattr(params, "model_dump") else dict(params)
    return {k: v if isinstance(v, list) else str(v) for k, v in data.items() if v is not None}


class MonthField(forms.CharField):
    """'2026-03' → the first day of that month; anything else is BAD_MONTH."""

    default_error_messages = {"invalid": BAD_MONTH}

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        match = _MONTH.fullmatch(text) if text.isascii() else None
        if match is None or not (FIRST_YEAR <= int(match[1]) <= LAST_YEAR and 1 <= int(match[2]) <= 12):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(int(match[1]), int(match[2]), 1)


def next_month(first: datetime.date) -> datetime.date:
    return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


class MonthFilter(django_filters.Filter):
    """Rows whose `field_name` (a date, or a datetime in local time) falls in the month typed as YYYY-MM.

    A range on the column (not __year/__month), so that an index on it serves the filter."""

    field_class = MonthField

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        start, end = value, next_month(value)
        if isinstance(qs.model._meta.get_field(self.field_name), models.DateTimeField):
            start, end = (timezone.make_aware(datetime.datetime.combine(d, datetime.time.min)) for d in (start, end))
        return self.get_method(qs)(**{f"{self.field_name}__gte": start, f"{self.field_name}__lt": end})
