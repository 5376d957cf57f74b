"""A multi-select of rows refuses ids no key can be: Django's own field sent 10**30 to SQLite (OverflowError, 500)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType

from linli.core.forms import IdMultipleChoiceField
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


class RowsForm(forms.Form):
    # Any table will do: content types exist in every test database, no app's rows needed.
    rows = IdMultipleChoiceField(queryset=ContentType.objects.all())


def two_rows() -> list[ContentType]:
    return [ContentType.objects.get_for_model(ChangeRecord), ContentType.objects.get_for_model(ContentType)]


@pytest.mark.parametrize("value", ["9" * 30, "²", "①", "-1", "0"])
def test_an_impossible_id_is_an_invalid_choice(value):
    form = RowsForm({"rows": [str(two_rows()[0].pk), value]})
    assert not form.is_valid()
    assert "rows" in form.errors


def test_real_ids_are_chosen():
    rows = two_rows()
    form = RowsForm({"rows": [str(row.pk) for row in rows]})
    assert form.is_valid()
    assert set(form.cleaned_data["rows"]) == set(rows)
