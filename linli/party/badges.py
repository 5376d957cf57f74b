"""The 党员 badge on a resident's page (core.shell.resident_panel): party membership is personal data, so the
readers of the roster get a link to the member's page and other staff only the word 党员, no branch, no status."""

from __future__ import annotations

from linli.party.models import PartyMember


def resident_badge(user, resident) -> dict | None:
    rows = PartyMember.objects.filter(resident=resident, is_active=True, review="confirmed")
    member = rows.only("pk").first()
    if member is None:
        return None
    readable = PartyMember.objects.restrict(user).filter(pk=member.pk).exists()
    return {"party_member": member if readable else None}
