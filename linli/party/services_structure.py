"""Changes of the structure part beyond the skeleton's services: the community's confirmation of a 双报到 unit.
Atomic, scoped like every party service (linli.party.services.locked), with a change record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.party.choices import Review
from linli.party.models import PartnerUnit
from linli.party.services import locked

#: What the community may decide about a pending unit.
DECISIONS = {"confirm": Review.CONFIRMED, "reject": Review.REJECTED}


@transaction.atomic
def review_unit(unit: PartnerUnit, *, actor: Actor, decision: str, note: str = "") -> PartnerUnit:
    """Confirm (已确认) or reject (未通过) a 双报到 unit's registration, with a note kept in the change record. A
    rejected unit can be confirmed later (the unit came back with what was missing); a confirmed one stays."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": "请选择确认或不通过。"})
    unit = locked(PartnerUnit, unit.pk, actor)
    note = " ".join((note or "").split())[:200]
    review = DECISIONS[decision]
    if unit.review == Review.CONFIRMED:
        raise ValidationError("这个单位已经确认过了。")
    if review == Review.REJECTED and not note:
        raise ValidationError({"note": "不通过时请写明原因，便于单位补充材料。"})
    before = audit.snapshot(unit)
    unit.review = review
    unit.reviewed_by = actor.account
    unit.reviewed_at = timezone.now()
    if review == Review.CONFIRMED and not unit.registered_on:
        unit.registered_on = timezone.localdate()
    unit.save(update_fields=["review", "reviewed_by", "reviewed_at", "registered_on"])
    audit.record(unit, ChangeAction.UPDATE, before, audit.snapshot(unit), actor, note=note)
    return unit
