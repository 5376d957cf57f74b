"""What 结对帮扶 and 党员中心户 put on other apps' pages (registered in linli/party/shell.py):

- the household page: the household's live pairings (the member's name only, no party details) with their last
  contact notes, and the 党员中心户 that looks after it — for whoever reads the household (querysets say so);
- the resident page: a line pointing to the household page when the resident's household has either;
- a member's own pages (a resident's 我的 page, the home page of other accounts): their live pairings with a
  one-tap 记一笔.
"""

from __future__ import annotations

from django.db.models import Prefetch

from linli.party.models import CoveredHousehold, Pairing, PairingContact, PartyHousehold

LAST_CONTACTS = 3


def _live_pairings(user, household_id):
    return Pairing.objects.restrict(user).filter(household_id=household_id, ended_on__isnull=True)


def _centre_of(user, household_id):
    """The active 中心户 looking after the household (or the household itself being one), if the user reads it."""
    centres = PartyHousehold.objects.restrict(user).filter(is_active=True).select_related("member", "household")
    covering = CoveredHousehold.objects.filter(household_id=household_id).values("centre_id")
    return centres.filter(pk__in=covering).first(), centres.filter(household_id=household_id).first()


def household_pairings(user, household) -> dict | None:
    """结对帮扶 and 党员中心户 on the household page."""
    pairings = list(
        _live_pairings(user, household.pk)
        .select_related("member")
        .prefetch_related(Prefetch("contacts", PairingContact.objects.order_by("-contacted_on", "-id"), "diary"))
        .order_by("started_on", "pk")
    )
    ids = [p.pk for p in pairings]
    kept = set(Pairing.objects.restrict(user, "kept").filter(pk__in=ids).values_list("pk", flat=True))
    for pairing in pairings:
        pairing.last_contacts = pairing.diary[:LAST_CONTACTS]
        pairing.can_open = pairing.pk in kept
    covered_by, is_centre = _centre_of(user, household.pk)
    if not (pairings or covered_by or is_centre):
        return None
    from linli.party.access import may_use

    return {
        "pairings": pairings,
        "covered_by": covered_by,
        "is_centre": is_centre,
        "household": household,
        "can_pair": may_use(user, "party.record"),
    }


def resident_pairings(user, resident) -> dict | None:
    """A line on the resident page: the household is paired / looked after by a 中心户 (details on its page)."""
    if not resident.household_id:
        return None
    names = list(_live_pairings(user, resident.household_id).values_list("member__name", flat=True))
    covered_by, _ = _centre_of(user, resident.household_id)
    if not (names or covered_by):
        return None
    return {"names": names, "covered_by": covered_by, "household_id": resident.household_id}


def my_pairings(user) -> dict | None:
    """我的结对: the live pairings of the member whose account this is, each with its last contact."""
    if not user.is_authenticated:
        return None
    last = PairingContact.objects.order_by("-contacted_on", "-id")
    pairings = list(
        Pairing.objects.restrict(user, "record")
        .filter(member__user=user, ended_on__isnull=True)
        .select_related("household__building")
        .prefetch_related(Prefetch("contacts", last, "diary"))
        .order_by("started_on", "pk")
    )
    if not pairings:
        return None
    for pairing in pairings:
        pairing.last_contact = pairing.diary[0] if pairing.diary else None
    return {"my_pairings": pairings}
