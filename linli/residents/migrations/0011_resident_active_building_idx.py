"""The active residents per building, counted off an index (the area tree: issue 20). Built CONCURRENTLY on
PostgreSQL, like residents.0009's indexes."""

import importlib

from django.db import migrations, models

AddIndexConcurrentlyOnPostgres = importlib.import_module(
    "linli.residents.migrations.0009_resident_sort_key"
).AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY may not run in a transaction

    dependencies = [
        ("residents", "0010_fill_care_members"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="resident",
            index=models.Index(
                condition=models.Q(("status", "active")), fields=["building"], name="resident_active_building_idx"
            ),
        ),
    ]
