"""`get_<field>_display()` from a table made once per field, instead of once per call.

Django's Model._get_FIELD_display flattens the field's choices and builds a dict of them (make_hashable of every
choice) each time it is called: ~0.1 ms for the three labels an API appeal create shows (its channel in the 受理
step's note, its status and the step's action in the answer). The labels are kept lazy in the table, so each call
is still in the active language; a value that is not a choice is shown as it is, as Django does.
"""

from __future__ import annotations

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_tables: dict = {}


class ChoiceLabels:
    """Model mixin (before models.Model in the bases): Django's get_FOO_display with each field's table kept."""

    def _get_FIELD_display(self, field):
        table = _tables.get(field)
        if table is None:
            table = _tables[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(table.get(make_hashable(value), value), strings_only=True)
