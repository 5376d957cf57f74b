"""Widgets rendered in Python where Django's per-option templates are too slow.

Django renders every <option> through a template include; a filter form listing a street's
hundreds of grids and buildings spent most of the page time there (bench/registry.py).
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> whose options are built with format_html; same markup as forms.Select."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        attrs = context["attrs"]
        # Boolean attributes as HTML writes them: required, not required="True" (as Django's templates do).
        attrs_html = mark_safe(
            "".join(
                format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v)
                for k, v in attrs.items()
                if v is not False and v is not None
            )
        )
        options = []
        for group_name, group, _ in context["optgroups"]:
            rows = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], mark_safe(" selected") if o["selected"] else "", o["label"]) for o in group),
            )
            options.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rows) if group_name else rows)
        return format_html('<select name="{}"{}>{}</select>', name, attrs_html, mark_safe("".join(options)))
