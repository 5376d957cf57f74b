"""结对帮扶 changes beyond starting a pairing and adding a contact (linli.party.services.pair / add_contact): ending a
pairing and changing what the household needs. Atomic, the row locked, checked against the actor's scope (the
"manage" action of PairingQuerySet: party-work roles over their area and the member's branch secretary), and a
change record with the actor.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction
from linli.party.models import Pairing
from linli.party.services import locked


@transaction.atomic
def end_pairing(pairing: Pairing, *, actor: Actor, ended_on: datetime.date, reason: str) -> Pairing:
    """结束结对: on `ended_on` (not before the pairing started, not in the future) for `reason`. Its contact records
    stay; the household may be paired again (with this member or another)."""
    pairing = locked(Pairing, pairing.pk, actor, "manage")
    reason = " ".join((reason or "").split())
    if pairing.ended_on is not None:
        raise ValidationError("这个结对已经结束。")
    if not reason:
        raise ValidationError({"end_reason": "请写明结束原因。"})
    if ended_on is None:
        raise ValidationError({"ended_on": "请填写结束日期。"})
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": "结束日期早于结对日期。"})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "结束日期不能晚于今天。"})
    before = audit.snapshot(pairing)
    pairing.ended_on = ended_on
    pairing.end_reason = reason[:100]
    pairing.save(update_fields=["ended_on", "end_reason"])
    audit.record(pairing, ChangeAction.UPDATE, before, audit.snapshot(pairing), actor)
    return pairing


@transaction.atomic
def set_need(pairing: Pairing, *, actor: Actor, need: str) -> Pairing:
    """Change what the household needs from the pairing (帮扶需求)."""
    pairing = locked(Pairing, pairing.pk, actor, "manage")
    if pairing.ended_on is not None:
        raise ValidationError("这个结对已经结束。")
    before = audit.snapshot(pairing)
    pairing.need = " ".join((need or "").split())[:200]
    pairing.save(update_fields=["need"])
    audit.record(pairing, ChangeAction.UPDATE, before, audit.snapshot(pairing), actor)
    return pairing
