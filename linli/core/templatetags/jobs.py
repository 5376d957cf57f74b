"""Template filters of the import job pages (core/_job_*.html)."""

from django import template

register = template.Library()


@register.filter
def note_item(note: dict, key: str):
    """A report note's value under `key` (a column the importer names, such as order_no)."""
    return note.get(key) if isinstance(note, dict) else None
