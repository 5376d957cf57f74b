"""What the home page shows of the registry: the residents, homes, buildings and grids in the user's scope and
the care groups' counts (blocks: shell.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from linli.areas.models import Building, Grid, Household
from linli.residents.models import Resident, Tag, birth_date_cutoff


def figures(user) -> dict:
    residents = Resident.objects.restrict(user).active()
    cutoff = birth_date_cutoff(60, timezone.localdate())
    stats = residents.aggregate(total=Count("id"), elderly=Count("id", filter=Q(birth_date__lte=cutoff)))
    stats["buildings"] = Building.objects.restrict(user).count()
    stats["grids"] = Grid.objects.restrict(user).count()
    stats["households"] = Household.objects.restrict(user).count()
    tags = Tag.objects.restrict(user).visible_to(user).filter(is_active=True)
    counts = dict(residents.filter(tags__in=tags).values_list("tags").annotate(n=Count("id")).values_list("tags", "n"))
    return {"stats": stats, "tag_counts": [(t, counts.get(t.pk, 0)) for t in tags]}


def works_in_the_registry(user) -> bool:
    """Staff who read the registry see its figures; the others, if linked to a resident, their own things."""
    return user.has_role_perm("resident.view")


def is_a_resident_at_home(user) -> bool:
    """A user linked to a resident record who does not work in the registry (the home page's large buttons)."""
    return bool(user.resident_id) and not user.has_role_perm("resident.view")
