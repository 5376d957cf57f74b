"""Fill Household.care_members (areas.0004) from the residents' care-group tags: one UPDATE of the households that
have a care-group resident (the others keep the default 0)."""

from django.db import migrations


def fill(apps, schema_editor):
    from linli.residents.care import recount_care_members

    recount_care_members(
        household_model=apps.get_model("areas", "Household"), resident_model=apps.get_model("residents", "Resident")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0004_household_care_members"),
        ("residents", "0009_resident_sort_key"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
