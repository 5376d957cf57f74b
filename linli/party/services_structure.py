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
from linli.party.models import CoveredHousehold, PartnerUnit, PartyHousehold
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


@transaction.atomic
def end_centre(centre: PartyHousehold, *, actor: Actor, note: str = "") -> PartyHousehold:
    """撤销中心户: the household stops being a 党员中心户 (the member moved, or another household takes over); the
    households it looked after are free for another 中心户. The change record keeps which ones they were."""
    centre = locked(PartyHousehold, centre.pk, actor)
    if not centre.is_active:
        raise ValidationError("这个党员中心户已经撤销。")
    note = " ".join((note or "").split())[:200]
    before = audit.snapshot(centre) | {"联系户": sorted(str(h) for h in centre.covered.all())}
    centre.is_active = False
    centre.save(update_fields=["is_active"])
    CoveredHousehold.objects.filter(centre=centre).delete()
    after = audit.snapshot(centre) | {"联系户": []}
    audit.record(centre, ChangeAction.UPDATE, before, after, actor, note=note or "撤销中心户")
    return centre
