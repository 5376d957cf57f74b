"""Small helpers shared by the management commands."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError


def date_option(value: str | None, message: str = "日期格式应为 YYYY-MM-DD。", returncode: int = 1):
    """A --date style option as a date (None when not given); a CommandError with `message` when unreadable."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(message, returncode=returncode) from exc
