from django import template

register = template.Library()


@register.filter
def visible_tags(resident, user):
    """The resident's tags this user may see (sensitive ones need the right); uses prefetched tags."""
    allowed = user.has_role_perm("resident.view_sensitive")
    return [t for t in resident.tags.all() if allowed or not t.sensitive]


@register.filter
def shown_phone(resident, user):
    """Full phone for roles allowed to see it and for the resident themself, masked for the rest."""
    if user.has_role_perm("resident.reveal_phone") or (user.resident_id and user.resident_id == resident.pk):
        return resident.phone
    return resident.phone_masked


@register.filter
def contact_phone(contact, user):
    """An emergency contact's phone, shown like the resident's own (full for resident.reveal_phone and for the
    resident themself, masked for the rest)."""
    if user.has_role_perm("resident.reveal_phone") or (user.resident_id and user.resident_id == contact.resident_id):
        return contact.phone
    return contact.phone_masked


@register.filter
def at_home(user) -> bool:
    """A resident on their own Linli (居民端): pages their home's buttons open show 回到首页 and large type."""
    from linli.residents.home import is_a_resident_at_home

    return bool(getattr(user, "is_authenticated", False)) and is_a_resident_at_home(user)
