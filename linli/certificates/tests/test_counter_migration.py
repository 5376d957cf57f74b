"""certificates 0002 moves each community's counter to linli.core.numbering: the next certificate after the
migration takes the number it would have taken before (no number changes, none repeats)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from linli.certificates.numbering import series
from linli.core.numbering import last_number

BEFORE = [("certificates", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_counters_written_before_the_move_continue_after_it(world):
    e1, w1 = world.communities["e1"], world.communities["w1"]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        NumberCounter = executor.loader.project_state(BEFORE).apps.get_model("certificates", "NumberCounter")
        NumberCounter.objects.create(community_id=e1.pk, year=2025, last_serial=41)
        NumberCounter.objects.create(community_id=e1.pk, year=2026, last_serial=7)
        NumberCounter.objects.create(community_id=w1.pk, year=2026, last_serial=3)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert last_number(series(e1), 2025) == 41
    assert last_number(series(e1), 2026) == 7
    assert last_number(series(w1), 2026) == 3
