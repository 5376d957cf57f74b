"""`squashmigrations` with a fold pass before Django's optimizer (docs/testing.md, "The test database").

    PYTHONPATH=. .venv/bin/python tests/squash_migrations.py party:0001 lovebank:0002 visits:0003:0006

squashes each APP:[FIRST:]LAST like `linli squashmigrations APP [FIRST] LAST`. An AddIndex, AddConstraint or
AddField is first folded into its model's CreateModel when nothing in between changes that model (and, for a
relation, its target is not created in between): Django's own optimizer stops at any in-between CreateModel that
may reference the model, so the initial migrations' separate AddIndex/AddConstraint operations stayed. Squash no
range with a data migration (RunPython): its code lives in the replaced file.
linli/core/tests/test_migration_squashes.py checks that the squashes end in the same state as what they replace."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.migrations import operations as ops_  # noqa: E402
from django.db.migrations.optimizer import MigrationOptimizer  # noqa: E402

FOLD = (ops_.AddIndex, ops_.AddConstraint, ops_.AddField)


def modifies(op, model):
    if isinstance(op, (ops_.CreateModel, ops_.DeleteModel)) or isinstance(op, ops_.models.ModelOptionOperation):
        return op.name_lower == model
    if isinstance(op, (ops_.fields.FieldOperation, ops_.models.IndexOperation)):
        return op.model_name_lower == model
    return True  # RunPython, RunSQL, SeparateDatabaseAndState and anything else: never moved across


def created_between(ops, lo, hi, app_label, field):
    if not field.is_relation:
        return False
    targets = [field.remote_field.model]
    through = getattr(field.remote_field, "through", None)
    if through:
        targets.append(through)
    for target in targets:
        if not isinstance(target, str):
            target = target._meta.label_lower
        label = target.lower()
        t_app, _, t_model = label.rpartition(".")
        if t_app and t_app != app_label:
            continue
        if any(isinstance(o, ops_.CreateModel) and o.name_lower == t_model for o in ops[lo : hi + 1]):
            return True
    return False


def fold(operations, app_label):
    ops = list(operations)
    changed = True
    while changed:
        changed = False
        for j, op in enumerate(ops):
            if not isinstance(op, FOLD):
                continue
            model = op.model_name_lower
            for i in range(j - 1, -1, -1):
                if isinstance(ops[i], ops_.CreateModel) and ops[i].name_lower == model:
                    break
                if modifies(ops[i], model):
                    i = None
                    break
            else:
                i = None
            if i is None:
                continue
            if isinstance(op, ops_.AddField) and created_between(ops, i + 1, j, app_label, op.field):
                continue
            merged = ops[i].reduce(op, app_label)
            if not isinstance(merged, list) or len(merged) != 1:
                continue
            ops[i] = merged[0]
            del ops[j]
            changed = True
            break
    return ops


_optimize = MigrationOptimizer.optimize


def optimize(self, operations, app_label):
    return _optimize(self, fold(operations, app_label), app_label)


MigrationOptimizer.optimize = optimize

if __name__ == "__main__":
    for spec in sys.argv[1:]:
        app, *names = spec.split(":")
        call_command("squashmigrations", app, *names, interactive=False, verbosity=1)
