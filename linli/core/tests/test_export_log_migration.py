"""ExportRecord moved from ledgers to core (core 0004, ledgers 0007) without touching its table: rows written
before the move are the log's rows after it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from linli.core.models import ExportRecord

BEFORE = [("core", "0003_change_record_content_type_protect"), ("ledgers", "0006_table_exports")]


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_survive_it(django_user_model):
    user = django_user_model.objects.create(username="before_the_move")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("ledgers", "ExportRecord")
        old.objects.create(user_id=user.pk, kind="residents_xlsx", filters={"q": "张"}, row_count=12, masked=False)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    record = ExportRecord.objects.get()
    assert (record.user, record.kind_label, record.row_count, record.masked) == (user, "居民台账 Excel", 12, False)
    assert record.filters_text == "搜索：张"
