from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_exportrecord_from_ledgers"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=64, verbose_name="编号序列")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("last", models.PositiveIntegerField(default=0, verbose_name="已用到")),
            ],
            options={
                "verbose_name": "文书编号",
                "verbose_name_plural": "文书编号",
                "constraints": [models.UniqueConstraint(fields=("key", "year"), name="core_document_counter_unique")],
            },
        ),
    ]
