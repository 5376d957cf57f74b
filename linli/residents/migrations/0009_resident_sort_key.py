"""Resident.sort_key: the home's walking order on the row, and the (scope, sort_key, id) indexes of the lists.

The key is filled by id range (rows still without a key: an interrupted fill resumes where it stopped), one UPDATE ... FROM join per 100,000 residents on PostgreSQL (a million rows in
well under a minute; each batch commits, so no lock is held for long), and the indexes are built afterwards,
CONCURRENTLY on PostgreSQL so that pages reading and writing residents keep working meanwhile.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 100_000


def fill_sort_keys(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    Household = apps.get_model("areas", "Household")
    Building = apps.get_model("areas", "Building")
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        from linli.areas.querysets import home_sort_key_sql

        key = Household.objects.filter(pk=OuterRef("household_id")).annotate(k=home_sort_key_sql()).values("k")[:1]
        Resident.objects.update(sort_key=Subquery(key))
        return
    qn = connection.ops.quote_name
    residents, households, buildings = (qn(m._meta.db_table) for m in (Resident, Household, Building))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {residents}")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                f"UPDATE {residents} AS r SET sort_key = "
                "lpad(b.number::text, 10, '0') || lpad(h.entrance::text, 5, '0') "
                "|| lpad((h.floor + 32768)::text, 5, '0') || lpad(length(h.room)::text, 2, '0') || h.room "
                f"FROM {households} AS h JOIN {buildings} AS b ON b.id = h.building_id "
                "WHERE h.id = r.household_id AND r.id >= %s AND r.id < %s AND r.sort_key = ''",
                [start, start + BATCH],
            )


class AddIndexConcurrentlyOnPostgres(migrations.AddIndex):
    """CREATE INDEX CONCURRENTLY on PostgreSQL (no lock against writers), a plain index elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, concurrently=True)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY may not run in a transaction; each fill batch commits

    dependencies = [
        ("areas", "0003_household_floor_area"),
        ("residents", "0008_no_smartphone_tag"),
    ]

    operations = [
        migrations.AddField(
            model_name="resident",
            name="sort_key",
            field=models.CharField(default="", editable=False, max_length=38),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        AddIndexConcurrentlyOnPostgres(
            model_name="resident",
            index=models.Index(fields=["street", "sort_key", "id"], name="resident_street_order_idx"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="resident",
            index=models.Index(fields=["community", "sort_key", "id"], name="resident_community_order_idx"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="resident",
            index=models.Index(fields=["grid", "sort_key", "id"], name="resident_grid_order_idx"),
        ),
    ]
