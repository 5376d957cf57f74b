"""Links from visits to appeals: "转为诉求" for a need not yet registered, else the numbers of its appeals."""

from django import template

from linli.appeals.models import Appeal

register = template.Library()


@register.simple_tag(takes_context=True)
def load_visit_appeals(context, visits):
    """{% load_visit_appeals visits %}: one query sets `linked_appeals` (those the user may see) on each visit."""
    user = context["request"].user
    visits = list(visits)
    ids = [v.pk for v in visits if v.need]
    found: dict[int, list] = {}
    if ids:
        for a in Appeal.objects.restrict(user).filter(visit_id__in=ids).only("pk", "number", "visit_id", "status"):
            found.setdefault(a.visit_id, []).append(a)
    for v in visits:
        v.linked_appeals = found.get(v.pk, [])
    return ""


@register.inclusion_tag("appeals/intake_visit_link.html", takes_context=True)
def visit_appeal_link(context, visit):
    """For a visit with a need: its appeals' numbers, or "转为诉求" for users who may register appeals."""
    user = context["request"].user
    linked = getattr(visit, "linked_appeals", None)
    if linked is None and visit.need:
        linked = list(Appeal.objects.restrict(user).filter(visit=visit).only("pk", "number"))
    return {
        "visit": visit,
        "linked": linked or [],
        "can_add": bool(visit.need) and user.has_role_perm("appeal.add"),
    }


@register.inclusion_tag("appeals/intake_recent_needs.html", takes_context=True)
def recent_visit_needs(context, resident, limit=3):
    """On the visit form: the resident's recent visits that noted a need, each with its appeal link."""
    from linli.visits.models import Visit

    user = context["request"].user
    visits = list(
        Visit.objects.restrict(user).filter(resident=resident).exclude(need="").order_by("-visited_on", "-id")[:limit]
    )
    load_visit_appeals(context, visits)
    return {"visits": visits, "request": context["request"]}
