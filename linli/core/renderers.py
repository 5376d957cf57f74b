"""The form renderer (settings.FORM_RENDERER): Django's, except that plain <input> widgets are written in Python.

Django renders each widget through its template (input.html including attrs.html), some 0.2-0.5 ms a widget; a
list page's filter form draws a few dozen (each status checkbox is one), which cost more than the page's own SQL
(issue 20). These templates are short and fixed, so the same markup is written here; every other template (select,
textarea, the multiple-input wrappers, the form layouts) still goes through Django's.
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.safestring import SafeString

_W = "django/forms/widgets/"
#: templates that are input.html (each of these only includes it)
INPUT_TEMPLATES = frozenset(
    _W + name
    for name in (
        "input.html", "text.html", "number.html", "email.html", "url.html", "password.html", "hidden.html",
        "date.html", "datetime.html", "time.html", "search.html", "tel.html", "color.html", "checkbox.html",
    )
)  # fmt: skip
#: one choice of a checkbox or radio group (input_option.html: the input, wrapped in its label when asked)
OPTION_TEMPLATES = frozenset(_W + name for name in ("input_option.html", "checkbox_option.html", "radio_option.html"))


def escape(value) -> str:
    """conditional_escape without its lazy-string wrapper (called once per option and attribute), and what
    {{ value }} writes in a row written in Python: None as "None", safe HTML as it is, the rest escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def attr_of(obj, name: str) -> str:
    """{{ obj.name }} where obj may be missing (no building, no household): "" as the template writes it."""
    return "" if obj is None else escape(getattr(obj, name))


def url_around_pk(name: str) -> tuple[str, str]:
    """A per-row URL as (before the id, after it): reverse() once per page instead of once per row (the rows
    written in Python: linli/*/rows.py)."""
    before, _, after = reverse(name, args=[987654321]).partition("987654321")
    return before, after


def input_html(widget: dict) -> str:
    """input.html with attrs.html: the same markup, attribute for attribute."""
    out = [f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"']
    if widget["value"] is not None:
        out.append(f' value="{escape(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        out.append(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"')
    out.append(">")
    return "".join(out)


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return SafeString(input_html(context["widget"]))
        if template_name in OPTION_TEMPLATES:
            widget = context["widget"]
            tag = input_html(widget)
            if not widget.get("wrap_label"):
                return SafeString(tag)
            for_id = widget["attrs"].get("id")
            label_for = f' for="{escape(for_id)}"' if for_id else ""
            # input.html ends with a newline, which Django's include keeps inside the label
            return SafeString(f"<label{label_for}>{tag}\n {escape(widget['label'])}</label>")
        return super().render(template_name, context, request)


def filter_fields_html(form, *, skip=("q",), fieldsets=None, errors: bool = True) -> SafeString:
    """A list page's filter fields, as its template's loop writes them (appeal_list.html, resident_list.html):
    `<label>{{ field.label }}{{ field }}</label>` per field, with `<small class="errorlist">` after the widget when
    `errors`; a field named in `fieldsets` ({name: css class}) as a fieldset of its boxes. The widgets render as
    ever (str(bound field)); only the template loop around them is skipped
    (linli/appeals/tests/test_filter_fields.py compares the two)."""
    out = []
    for field in form:
        name = field.name
        if fieldsets and name in fieldsets:
            boxes = "".join(f"<label>{box.tag()} {escape(box.choice_label)}</label>" for box in field)
            out.append(
                f'<fieldset class="{escape(fieldsets[name])}"><legend>{escape(field.label)}</legend>{boxes}</fieldset>'
            )
        elif name not in skip:
            field_errors = field.errors if errors else ()
            tail = (
                f'<small class="errorlist">{" ".join(escape(e) for e in field_errors)}</small>' if field_errors else ""
            )
            out.append(f"<label>{escape(field.label)}{escape(str(field))}{tail}</label>")
    return SafeString("".join(out))
