"""ExportRecord moves from the ledgers app to core, keeping its table (ledgers_exportrecord) and its rows.

State only: core takes the model over (ledgers 0007 lets go of it), the database is not touched. The kind column
loses its choices, which live in no database (export kinds are registered by the apps, linli.core.excel.exports).
This depends on the ledgers migration that last changed the table, so that every later migration of the model
(in core) finds it, on a new database too.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_change_record_content_type_protect"),
        ("ledgers", "0006_table_exports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExportRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                        ("kind", models.CharField(max_length=20, verbose_name="类型")),
                        ("filters", models.JSONField(default=dict, verbose_name="筛选条件")),
                        ("row_count", models.PositiveIntegerField(default=0, verbose_name="行数")),
                        ("masked", models.BooleanField(default=True, verbose_name="身份证号码已遮蔽")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="导出人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "导出记录",
                        "verbose_name_plural": "导出记录",
                        "db_table": "ledgers_exportrecord",
                        "ordering": ["-at"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
