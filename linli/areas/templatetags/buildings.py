"""The building drawing's room cells, built in Python: a 30-storey building has hundreds of
cells, and rendering each through the template engine (or format_html) dominated the page time."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from linli.areas.floor_area import format_floor_area

register = template.Library()


def _cell(base: str, h) -> str:
    classes = "room" + (" occupied" if h.people else "") + (f" c-{escape(h.color)}" if h.color else "")
    room = escape(h.room)
    groups = "".join(f" {escape(t.name)}" for t in h.tag_list)
    area = getattr(h, "floor_area", None)  # 建筑面积, when known: "502：2人 独居 89.5㎡"
    area = f" {format_floor_area(area)}" if area is not None else ""
    # Other apps' badges (linli.core.shell.household_marks): the label's first character, the label in the title.
    marks = getattr(h, "marks", ())
    badges = "".join(f'<span class="mark {escape(css)}">{escape(label[:1])}</span>' for label, css in marks)
    noted = "".join(f" · {escape(label)}" for label, _ in marks)
    return (
        f'<a class="{classes}" href="{base}{int(h.pk)}/" title="{room}：{int(h.people)}人{groups}{area}{noted}">'
        f"{room}{badges}</a>"
    )


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
