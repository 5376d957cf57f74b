"""Grids and buildings a ledger import creates (bulk inserts: no post_save) are offered and accepted by the list
pages' cached filters at once, though the pages cached their choices before the import (versioned.touched)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.areas.models import Building, Grid
from linli.ledgers.tests.test_importer import run, table_of

pytestmark = pytest.mark.django_db

RESIDENTS = reverse("residents:resident_list")
APPEALS = reverse("appeals:appeal_list")


def chosen(client, url, **data):
    """The page filtered by `data`: the filter form's errors and the chosen drop-downs' labels offered."""
    response = client.get(url, data)
    assert response.status_code == 200
    form = response.context["filter"].form
    return form.errors, {field: [label for _, label in form.fields[field].widget.choices] for field in data}


def test_a_grid_and_building_the_import_creates_are_accepted_as_filters_at_once(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.users["secretary"])
    g1 = world.grids["g1"]
    # the pages cache their choices (and the ids they accept) for the scope, filtered and not
    for url in (RESIDENTS, APPEALS):
        client.get(url)
        assert chosen(client, url, grid=g1.pk)[0] == {}
    rows = [[1, "新住户", "", "", "99栋", "1", "101", "", "", "第9网格", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        report = run(table_of(rows), world.communities["e1"])
    assert (report.buildings_created, report.grids_created) == (1, 1)
    grid = Grid.objects.get(community=world.communities["e1"], number=9)
    building = Building.objects.get(community=world.communities["e1"], number=99)
    errors, offered = chosen(client, RESIDENTS, grid=grid.pk, building=building.pk)
    assert errors == {}
    assert "东一社区 第9网格" in offered["grid"] and "东一社区 99栋" in offered["building"]
    errors, offered = chosen(client, APPEALS, grid=grid.pk)
    assert errors == {}
    assert "东一社区 第9网格" in offered["grid"]
