"""Existing reveal records keep a masked label, the id and the community of their resident (written once,
so that they survive the resident's deletion)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from linli.residents.models import mask_name

    RevealRecord = apps.get_model("residents", "RevealRecord")
    rows = RevealRecord.objects.filter(resident__isnull=False, resident_label="").select_related("resident")
    batch = []
    for record in rows.iterator(chunk_size=2000):
        resident = record.resident
        record.resident_pk = resident.pk
        record.resident_label = f"{mask_name(resident.name)}（居民#{resident.pk}）"
        record.community_id = resident.community_id
        batch.append(record)
        if len(batch) >= 2000:
            RevealRecord.objects.bulk_update(batch, ["resident_pk", "resident_label", "community"])
            batch = []
    if batch:
        RevealRecord.objects.bulk_update(batch, ["resident_pk", "resident_label", "community"])


class Migration(migrations.Migration):
    dependencies = [("residents", "0005_audit_survives_and_community_tags")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
