"""A street's due residents off an index (今日走访 of a street administrator: issue 20). Built CONCURRENTLY on
PostgreSQL, like residents.0009's indexes."""

import importlib

from django.db import migrations, models

AddIndexConcurrentlyOnPostgres = importlib.import_module(
    "linli.residents.migrations.0009_resident_sort_key"
).AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY may not run in a transaction

    dependencies = [
        ("residents", "0011_resident_active_building_idx"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="resident",
            index=models.Index(fields=["street", "visit_due_on"], name="resident_street_due_idx"),
        ),
    ]
