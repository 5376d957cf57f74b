from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0003_field_notes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(fields=["street", "visited_on"], name="visit_street_date_idx"),
        ),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(
                condition=models.Q(("outcome__in", ["met", "phone", "refused"])),
                fields=["resident", "visited_on"],
                name="visit_resident_done_idx",
            ),
        ),
    ]
