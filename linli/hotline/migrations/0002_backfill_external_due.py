"""Work orders imported before appeals had `external_due` keep their 办理时限 cap: copy due_at onto the appeal."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    HotlineOrder = apps.get_model("hotline", "HotlineOrder")
    due = HotlineOrder.objects.filter(appeal_id=OuterRef("pk")).values("due_at")[:1]
    Appeal.objects.filter(pk__in=HotlineOrder.objects.values("appeal_id"), external_due__isnull=True).update(
        external_due=Subquery(due)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0006_appeal_external_due"),
        ("hotline", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
