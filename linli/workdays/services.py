"""Changes to the administrators' holiday table: permission-checked and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from linli.core.audit import Actor
from linli.core.querysets import require_perm
from linli.core.services import delete_audited, save_audited
from linli.workdays.models import HolidayOverride

MANAGE = "holiday.manage"


def add_override(date: dt.date, is_workday: bool, name: str, *, actor: Actor) -> HolidayOverride:
    """Record that ``date`` is a day off (False) or a makeup workday (True); one entry per date."""
    if actor.user is not None:
        require_perm(actor.user, MANAGE)
    override = HolidayOverride(
        date=date,
        is_workday=is_workday,
        name=(name or "").strip(),
        created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            return save_audited(override, actor)
    except IntegrityError as exc:
        # Two administrators adding the same date at once: the unique index decides.
        raise ValidationError({"date": "该日期已设置。"}) from exc


def delete_override(override: HolidayOverride, *, actor: Actor) -> None:
    if actor.user is not None:
        require_perm(actor.user, MANAGE)
    delete_audited(override, actor)
