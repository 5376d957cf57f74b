"""Change records made by a logged-in user keep the user's name in actor_label too (new rows get it from
linli.core.audit.record), so that the record still says who once the account is deleted."""

from django.db import migrations
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Substr


def forwards(apps, schema_editor):
    ChangeRecord = apps.get_model("core", "ChangeRecord")
    User = apps.get_model("accounts", "User")
    for field in ("full_name", "username"):  # the full name when there is one (User.__str__)
        value = Subquery(User.objects.filter(pk=OuterRef("actor_id")).values(field)[:1], output_field=CharField())
        ChangeRecord.objects.filter(actor__isnull=False, actor_label="").update(actor_label=Substr(value, 1, 64))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("accounts", "0003_user_manager")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
