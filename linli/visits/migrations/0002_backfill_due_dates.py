"""Give residents that already exist a visit policy: interval from their tags, starting on the day
they were registered (so long-registered care-group residents show up as due, not as new)."""

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import TruncDate

from linli.visits.querysets import AddDays


def backfill(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    through = Resident.tags.through.objects.filter(
        resident_id=OuterRef("pk"), tag__is_active=True, tag__visit_interval_days__isnull=False
    )
    interval = Subquery(through.values("resident_id").annotate(m=Min("tag__visit_interval_days")).values("m")[:1])
    Resident.objects.update(visit_interval_days=interval)
    with_policy = Resident.objects.filter(visit_interval_days__isnull=False)
    with_policy.update(visit_policy_since=TruncDate("created_at"))
    with_policy.update(visit_due_on=AddDays("visit_policy_since", "visit_interval_days"))


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_initial"),
        ("residents", "0004_visit_policy"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
