"""A multi-select of rows refuses ids no key can be: Django's own field sent 10**30 to SQLite (OverflowError, 500)."""

from __future__ import annotations

import pytest
from django import forms

from linli.areas.models import Building
from linli.core.forms import IdMultipleChoiceField

pytestmark = pytest.mark.django_db


class BuildingsForm(forms.Form):
    buildings = IdMultipleChoiceField(queryset=Building.objects.all())


@pytest.mark.parametrize("value", ["9" * 30, "²", "①", "-1", "0"])
def test_an_impossible_id_is_an_invalid_choice(world, value):
    form = BuildingsForm({"buildings": [str(world.buildings["b1"].pk), value]})
    assert not form.is_valid()
    assert "buildings" in form.errors


def test_real_ids_are_chosen(world):
    form = BuildingsForm({"buildings": [str(world.buildings["b1"].pk), str(world.buildings["b2"].pk)]})
    assert form.is_valid()
    assert set(form.cleaned_data["buildings"]) == {world.buildings["b1"], world.buildings["b2"]}
