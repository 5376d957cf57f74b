from django import template

from linli.attachments.services import attach_photo_lists

register = template.Library()


@register.simple_tag
def load_photos(owners):
    """{% load_photos visits %}: one query sets `attached_photos` on every object of the list or queryset.

    For a queryset, its result cache is filled first, so a later {% for %} over it sees the same objects.
    """
    if hasattr(owners, "_fetch_all"):
        owners._fetch_all()
        attach_photo_lists(owners._result_cache)
    else:
        attach_photo_lists(owners)
    return ""


@register.inclusion_tag("attachments/_thumbs.html")
def photo_thumbs(photos):
    """Thumbnails linking to the full photos."""
    return {"photos": photos}
