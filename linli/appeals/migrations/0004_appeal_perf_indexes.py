"""Indexes measured by bench/appeals.py at 500,000 appeals (docs/benchmarks.md, 诉求).

- appeal_street_status_idx (street, status, received_at): 诉求统计 for a street selects "received in the period
  OR open now"; with this index beside appeal_street_received_idx PostgreSQL combines two index scans
  (BitmapOr) instead of reading every appeal of the street (50,000 rows, 220 ms → 20 ms).
- appeal_org_working_due_idx (assigned_org, current_due, id) WHERE 待签收/办理中: 本单位待办 in its order,
  so the first page reads 30 index entries instead of sorting the organisation's open appeals.

Created with IF NOT EXISTS (the bench database got them by hand while they were measured).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_routing_model")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    'CREATE INDEX IF NOT EXISTS "appeal_street_status_idx" '
                    'ON "appeals_appeal" ("street_id", "status", "received_at")',
                    'DROP INDEX IF EXISTS "appeal_street_status_idx"',
                ),
                migrations.RunSQL(
                    'CREATE INDEX IF NOT EXISTS "appeal_org_working_due_idx" '
                    'ON "appeals_appeal" ("assigned_org_id", "current_due", "id") '
                    "WHERE \"status\" IN ('pending_sign', 'in_progress')",
                    'DROP INDEX IF EXISTS "appeal_org_working_due_idx"',
                ),
            ],
            state_operations=[
                migrations.AddIndex(
                    model_name="appeal",
                    index=models.Index(fields=["street", "status", "received_at"], name="appeal_street_status_idx"),
                ),
                migrations.AddIndex(
                    model_name="appeal",
                    index=models.Index(
                        condition=models.Q(("status__in", ("pending_sign", "in_progress"))),
                        fields=["assigned_org", "current_due", "id"],
                        name="appeal_org_working_due_idx",
                    ),
                ),
            ],
        )
    ]
