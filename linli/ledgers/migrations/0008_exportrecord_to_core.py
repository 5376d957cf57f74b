"""ExportRecord now belongs to core (linli.core.models, core 0004): ledgers lets go of it in the state only, the
table ledgers_exportrecord and its rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ledgers", "0007_importjob_shared_job_model"),
        ("core", "0004_exportrecord_from_ledgers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExportRecord")],
            database_operations=[],
        ),
    ]
