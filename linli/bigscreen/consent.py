"""Who agreed to have their name on the 好人好事墙 (one WallConsent row per person; see its docstring).

A volunteer record or a love-bank account that belongs to a registered resident answers with the resident's
consent; an outside volunteer's or account holder's with their own record's."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Consents:
    """The consenting people among some communities' records: ids of residents, outside volunteers and outside
    accounts whose row says yes."""

    residents: set = field(default_factory=set)
    volunteers: set = field(default_factory=set)
    accounts: set = field(default_factory=set)

    def of_volunteer(self, volunteer_id, resident_id) -> bool:
        return resident_id in self.residents if resident_id else volunteer_id in self.volunteers

    def of_account(self, account_id, resident_id) -> bool:
        return resident_id in self.residents if resident_id else account_id in self.accounts


def consents(community_ids) -> Consents:
    """The consents recorded in these communities (one query)."""
    from linli.bigscreen.models import WallConsent

    found = Consents()
    rows = WallConsent.objects.filter(community_id__in=list(community_ids), consent=True)
    for resident_id, volunteer_id, account_id in rows.values_list("resident_id", "volunteer_id", "account_id"):
        if resident_id:
            found.residents.add(resident_id)
        elif volunteer_id:
            found.volunteers.add(volunteer_id)
        else:
            found.accounts.add(account_id)
    return found


def person_key(person) -> dict:
    """The WallConsent lookup of a Resident, Volunteer or Account: the resident when there is one."""
    from linli.lovebank.models import Account
    from linli.residents.models import Resident
    from linli.volunteers.models import Volunteer

    if isinstance(person, Resident):
        return {"resident_id": person.pk}
    if isinstance(person, (Volunteer, Account)) and person.resident_id:
        return {"resident_id": person.resident_id}
    if isinstance(person, Volunteer):
        return {"volunteer_id": person.pk}
    if isinstance(person, Account):
        return {"account_id": person.pk}
    raise TypeError(f"not a person: {person!r}")


def has_consent(person) -> bool:
    """Whether this Resident, Volunteer or Account's person agreed (no row: no)."""
    from linli.bigscreen.models import WallConsent

    return WallConsent.objects.filter(consent=True, **person_key(person)).exists()
