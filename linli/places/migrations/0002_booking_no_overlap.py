"""No two holding bookings of one room overlap, enforced by PostgreSQL (linli.places.booking).

An exclusion constraint over (room_id =, tstzrange(starts_at, ends_at) &&) for the holding statuses; btree_gist lets
the integer room id take part in a GiST index. SQLite has no such constraint: there linli.places.booking takes the
database's write lock before it checks. The constraint is not in Booking.Meta (Django would try to write it on SQLite
too), so it is written here for PostgreSQL only.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CREATE = """
ALTER TABLE places_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
    room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
) WHERE (status IN ('pending', 'confirmed'))
"""
DROP = "ALTER TABLE places_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [BtreeGistExtension(), migrations.RunPython(create, drop)]
