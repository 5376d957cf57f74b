"""What 帮扶与共建 puts on other pages (registered in linli/support/shell.py):

- the household page: its live pairings with volunteers / units / people (the helper's name and the last contact
  notes) and this year's assistance, with a link to its whole history — for field roles over the household;
- the resident page of a volunteer who is a resident: the households they are paired with (both sides shown);
- a helper volunteer's own pages (我的 for residents, the home page for volunteer accounts): 我的结对 with 记一笔;
- the home page of field roles: the figures of their area (linked to the yearly table, which shows the same
  totals).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Sum
from django.urls import reverse
from django.utils import timezone

from linli.support.figures import care_table_url, grid_figures
from linli.support.models import Assistance, HelpContact, HelpPairing

LAST_CONTACTS = 3


def _diary():
    return Prefetch("contacts", HelpContact.objects.order_by("-contacted_on", "-id"), "diary")


def household_support(user, household) -> dict | None:
    pairings = list(
        HelpPairing.objects.restrict(user)
        .live()
        .filter(household=household)
        .select_related("volunteer", "organisation")
        .prefetch_related(_diary())
        .order_by("started_on", "pk")
    )
    for p in pairings:
        p.last_contacts = p.diary[:LAST_CONTACTS]
    year = timezone.localdate().year
    records = Assistance.objects.restrict(user).filter(household=household)
    this_year = records.filter(given_on__year=year).aggregate(n=Count("pk"), money=Sum("amount"))
    readable = user.is_superuser or user.has_role_perm("support.view")
    if not readable and not pairings:
        return None
    if not (pairings or this_year["n"] or records.exists()) and not user.has_role_perm("support.add"):
        return None
    return {
        "help_pairings": pairings,
        "household": household,
        "year": year,
        "count": this_year["n"],
        "money": this_year["money"],
        "readable": readable,
        "can_add": user.is_superuser or user.has_role_perm("support.add"),
    }


def resident_helper(user, resident) -> dict | None:
    """The households a resident helps as a volunteer (the other side of their pairings)."""
    pairings = list(
        HelpPairing.objects.restrict(user)
        .live()
        .filter(volunteer__resident=resident)
        .select_related("household__building")
        .order_by("started_on", "pk")
    )
    return {"helping": pairings} if pairings else None


def my_help_pairings(user) -> dict | None:
    """我的结对: the live pairings of the volunteer whose account this is, each with its last contact."""
    if not user.is_authenticated:
        return None
    pairings = list(
        HelpPairing.objects.restrict(user, "record")
        .live()
        .filter(volunteer__user=user)
        .select_related("household__building")
        .prefetch_related(_diary())
        .order_by("started_on", "pk")
    )
    if not pairings:
        return None
    for p in pairings:
        p.last_contact = p.diary[0] if p.diary else None
    return {"my_help_pairings": pairings}


def home_figures(user) -> dict | None:
    """帮扶 figures of the user's area this year (links to the yearly table carrying the same totals)."""
    if not (user.is_superuser or user.has_role_perm("support.view")):
        return None
    year = timezone.localdate().year
    rows, total = grid_figures(user, year)
    if not total.need:
        return None
    return {
        "support_total": total,
        "year": year,
        "links": {
            "need": care_table_url(year),
            "paired": care_table_url(year, paired="yes"),
            "assisted": care_table_url(year, received="yes"),
            "nothing": care_table_url(year, received="no"),
            "grids": f"{reverse('support:grid_figures')}?year={year}",
        },
    }
