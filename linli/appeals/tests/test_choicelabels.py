"""linli.core.choicelabels: get_FOO_display from a table kept per field says what Django's own says."""

from __future__ import annotations

import pytest
from django.db import models

from linli.appeals.choices import Channel, EventAction, Status
from linli.appeals.models import Appeal, AppealEvent


@pytest.mark.parametrize(
    ("model", "field", "values"),
    [
        (Appeal, "status", [*Status.values, "no_such_status", ""]),
        (Appeal, "channel", [*Channel.values, "fax"]),
        (AppealEvent, "action", [*EventAction.values, None]),
    ],
)
def test_the_label_is_djangos(model, field, values):
    meta_field = model._meta.get_field(field)
    for value in values:
        obj = model(**{field: value})
        shown = getattr(obj, f"get_{field}_display")()
        assert shown == models.Model._get_FIELD_display(obj, meta_field)
        assert shown == getattr(obj, f"get_{field}_display")()  # from the kept table the second time
    assert Appeal(status=Status.PENDING_DISPATCH).get_status_display() == "待派单"
