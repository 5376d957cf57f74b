"""Household.care_members and its partial index (filled by residents.0010)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0003_household_floor_area"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="care_members",
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name="关爱对象人数"),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(
                condition=models.Q(("care_members__gt", 0)),
                fields=["building", "entrance", "room", "id"],
                name="household_care_idx",
            ),
        ),
    ]
