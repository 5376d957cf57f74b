"""Certificate counters move to linli.core.numbering (one numbering helper for every app that numbers documents).

Each NumberCounter row becomes a core DocumentCounter row of series "certificates:<community id>" with the same
year and last serial, so the next certificate takes exactly the number it would have taken; then the table goes.
Backwards, the rows are copied back.
"""

from django.db import migrations

PREFIX = "certificates:"


def forwards(apps, schema_editor):
    NumberCounter = apps.get_model("certificates", "NumberCounter")
    DocumentCounter = apps.get_model("core", "DocumentCounter")
    for row in NumberCounter.objects.all().iterator():
        counter, _ = DocumentCounter.objects.get_or_create(key=f"{PREFIX}{row.community_id}", year=row.year)
        counter.last = max(counter.last, row.last_serial)
        counter.save(update_fields=["last"])


def backwards(apps, schema_editor):
    NumberCounter = apps.get_model("certificates", "NumberCounter")
    DocumentCounter = apps.get_model("core", "DocumentCounter")
    for row in DocumentCounter.objects.filter(key__startswith=PREFIX).iterator():
        NumberCounter.objects.update_or_create(
            community_id=int(row.key[len(PREFIX) :]), year=row.year, defaults={"last_serial": row.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("core", "0005_document_counter"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="NumberCounter"),
    ]
