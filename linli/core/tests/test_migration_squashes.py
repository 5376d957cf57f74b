"""The squashed migrations (`NNNN_squashed_MMMM`, docs/testing.md) create the test database, and every new one: they
must end in the same schema state as the migrations they replace, which stay for the databases that ran them and
for the migrations that depend on them."""

from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState


def state_without_squashes() -> ProjectState:
    """The project state through the replaced migrations only, in dependency order."""
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    squashes = {key for key, migration in loader.disk_migrations.items() if migration.replaces}
    state = ProjectState(real_apps=loader.unmigrated_apps)
    done = set()
    for leaf in loader.graph.leaf_nodes():
        if leaf in squashes:
            continue
        for key in loader.graph.forwards_plan(leaf):
            if key not in done and key not in squashes:
                done.add(key)
                state = loader.graph.nodes[key].mutate_state(state, preserve=False)
    return state


def test_the_squashed_migrations_end_in_the_state_of_the_migrations_they_replace():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert len(loader.replacements) >= 10  # the squashes are used for a new database
    squashed = loader.project_state()
    plain = state_without_squashes()
    assert sorted(squashed.models) == sorted(plain.models)
    different = [key for key in plain.models if squashed.models[key] != plain.models[key]]
    assert different == []


def test_each_squash_keeps_the_files_it_replaces_and_no_data_migration():
    """The replaced files stay (databases that ran them, migrations that depend on them); a data migration
    (RunPython, RunSQL) stays outside the squashes, where its code lives."""
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    squashes = [(key, m) for key, m in loader.disk_migrations.items() if m.replaces]
    assert squashes
    for (app, name), migration in squashes:
        assert all(key in loader.disk_migrations and key[0] == app for key in migration.replaces), name
        assert not [op for op in migration.operations if type(op).__name__ in ("RunPython", "RunSQL")], name
