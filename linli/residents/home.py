"""What the home page shows of the registry: the residents, homes, buildings and grids in the user's scope and
the care groups' counts (blocks: shell.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
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


# --- the residents' Linli (居民端): this app's tiles (shell.py) -----------------------------------------------------


def grid_worker_tile(user) -> dict | None:
    """联系网格员: one tap calls the resident's grid worker (the first with a phone), named on the button."""
    from linli.accounts.directory import workers_of_grid

    resident = user.resident
    for worker in workers_of_grid(resident.grid_id):
        phone = (getattr(worker, "phone", "") or "").replace(" ", "")
        if phone:
            name = worker.full_name or worker.username
            return {"url": f"tel:{phone}", "note": f"网格员{name} · {phone}"}
    return None


def family_tile(user) -> dict:
    """家人帮忙: the elders I help (agreed), and requests waiting for me to agree."""
    from linli.residents.models import FamilyLink

    links = FamilyLink.objects.filter(Q(helper_id=user.resident_id) | Q(elder_id=user.resident_id))
    helping = [
        lk.elder.name for lk in links.filter(helper_id=user.resident_id, status="agreed").select_related("elder")
    ]
    waiting = links.filter(elder_id=user.resident_id, status="asked").count()
    if helping:
        note = "您在帮" + "、".join(helping) + "查看通知和诉求"
    else:
        note = "子女经您同意，可以帮您查看通知和诉求"
    return {"url": reverse("residents:family"), "count": waiting or None, "note": note}


def my_record_tile(user) -> dict:
    return {"url": reverse("residents:my_record"), "note": "住址、家人、紧急联系人"}


def is_a_resident(user) -> bool:
    return bool(user.resident_id) and user.has_role_perm("resident.view_self")


def family_panel(user, resident) -> dict:
    """家人帮忙 on a resident's page: the links in which they are the elder; staff who may change the resident record
    an in-person agreement there."""
    from linli.residents.choices import ContactRelation
    from linli.residents.models import FamilyLink

    links = list(FamilyLink.objects.restrict(user).filter(elder=resident).select_related("helper", "witness"))
    return {
        "family_links": links,
        "relations": ContactRelation.choices,
        "can_record": user.has_role_perm("resident.change"),
    }
