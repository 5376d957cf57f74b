"""Template tag: the "转为议题" button other apps' pages show (panels are drawn with core's {% shell_part %})."""

from django import template

register = template.Library()


@register.inclusion_tag("deliberation/_turn_button.html", takes_context=True)
def turn_into_matter(context, kind, obj):
    """A one-step button: the appeal, diary note or problem-list item `obj` becomes a matter (matter.add);
    where it already is one, a link to it."""
    from linli.deliberation.services import matter_from

    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = bool(user and user.is_authenticated and user.has_role_perm("matter.add"))
    existing = matter_from(kind, obj.pk) if allowed else None
    return {
        "allowed": allowed,
        "kind": kind,
        "obj": obj,
        "existing": existing,
        "back": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
