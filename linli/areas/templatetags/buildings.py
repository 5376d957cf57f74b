"""The building drawing's room cells, built in Python: a 30-storey building has hundreds of
cells, and rendering each through the template engine (or format_html) dominated the page time."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()


def _cell(base: str, h) -> str:
    classes = "room" + (" occupied" if h.people else "") + (f" c-{escape(h.color)}" if h.color else "")
    room = escape(h.room)
    groups = "".join(f" {escape(t.name)}" for t in h.tag_list)
    return f'<a class="{classes}" href="{base}{int(h.pk)}/" title="{room}：{int(h.people)}人{groups}">{room}</a>'


@register.simple_tag
def floor_rows(floors):
    base = reverse("areas:household_detail", args=[0])[:-2]  # ".../households/"; the id is appended per cell
    return mark_safe(
        "".join(
            f'<div class="floor"><span class="floor-label">{int(f["floor"])}层</span>'
            + "".join(_cell(base, h) for h in f["rooms"])
            + "</div>"
            for f in floors
        )
    )
