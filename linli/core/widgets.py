"""Widgets rendered in Python where Django's per-option templates are too slow.

Django renders every <option> through a template include; a filter form listing a street's
hundreds of grids and buildings spent most of the page time there (bench/registry.py).
"""

from django import forms
from django.utils.safestring import SafeString

from linli.core.renderers import escape as _escape


class FastSelect(forms.Select):
    """A <select> whose options are joined as strings; same markup as forms.Select.

    Django builds a dict per option (optgroups, create_option) before its templates; a queue page's filter form
    has a few hundred options, and building them cost more than the page's SQL (issue 20). This walks the choices
    once, with the same selection rule (the first matching option only, unless the widget selects several)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        # Boolean attributes as HTML writes them: required, not required="True" (as Django's templates do).
        attrs_html = "".join(
            f" {_escape(k)}" if v is True else f' {_escape(k)}="{_escape(v)}"'
            for k, v in attrs.items()
            if v is not False and v is not None
        )
        wanted = set(self.format_value(value))
        several = self.allow_multiple_selected
        has_selected = False
        out = [f'<select name="{_escape(name)}"{attrs_html}>']
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped:
                out.append(f'<optgroup label="{_escape(option_value)}">')
                choices = option_label
            else:
                choices = ((option_value, option_label),)
            for sub_value, sub_label in choices:
                text = str(sub_value)
                selected = (several or not has_selected) and text in wanted
                has_selected |= selected
                out.append(
                    f'<option value="{_escape(text)}"{" selected" if selected else ""}>{_escape(sub_label)}</option>'
                )
            if grouped:
                out.append("</optgroup>")
        out.append("</select>")
        return SafeString("".join(out))
