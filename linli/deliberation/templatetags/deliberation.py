"""Template tags: a registered panel on the matter page, and the "转为议题" button other apps' pages show."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def matter_panel(context, panel, panel_context):
    """Render a matter panel (linli.deliberation.panels) in the page's context plus the panel's own."""
    panel_template = context.template.engine.get_template(panel.template)
    with context.push(panel_context):
        return panel_template.render(context)


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
