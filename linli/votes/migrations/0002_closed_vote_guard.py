"""The database's own guard: once a vote is closed, no ballot of it is written and its frozen result does not
change (whatever path writes: a service bug, a shell, a bulk update). Deleting stays possible (the demo reset
removes a whole street)."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION votes_ballot_refuse_closed() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM votes_vote WHERE id = NEW.vote_id AND status = 'closed') THEN
    RAISE EXCEPTION '表决已结束，表决票不能再改动' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER votes_ballot_closed BEFORE INSERT OR UPDATE ON votes_ballot
  FOR EACH ROW EXECUTE FUNCTION votes_ballot_refuse_closed();
CREATE OR REPLACE FUNCTION votes_vote_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'closed' AND (NEW.status <> 'closed' OR NEW.result IS DISTINCT FROM OLD.result) THEN
    RAISE EXCEPTION '表决已结束，结果不能再改动' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER votes_vote_frozen BEFORE UPDATE ON votes_vote
  FOR EACH ROW EXECUTE FUNCTION votes_vote_frozen();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS votes_ballot_closed ON votes_ballot;
DROP FUNCTION IF EXISTS votes_ballot_refuse_closed();
DROP TRIGGER IF EXISTS votes_vote_frozen ON votes_vote;
DROP FUNCTION IF EXISTS votes_vote_frozen();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER votes_ballot_closed_{op.lower()} BEFORE {op} ON votes_ballot
    WHEN EXISTS (SELECT 1 FROM votes_vote WHERE id = {row}.vote_id AND status = 'closed')
    BEGIN SELECT RAISE(ABORT, '表决已结束，表决票不能再改动'); END;"""
    for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"))
] + [
    """CREATE TRIGGER votes_vote_frozen BEFORE UPDATE ON votes_vote
    WHEN OLD.status = 'closed' AND (NEW.status <> 'closed' OR NEW.result IS NOT OLD.result)
    BEGIN SELECT RAISE(ABORT, '表决已结束，结果不能再改动'); END;"""
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS votes_ballot_closed_insert;",
    "DROP TRIGGER IF EXISTS votes_ballot_closed_update;",
    "DROP TRIGGER IF EXISTS votes_vote_frozen;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("votes", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
