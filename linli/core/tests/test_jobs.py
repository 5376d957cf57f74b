"""Import jobs have one status enum, and only linli.core.jobs changes a job's status.

The walk reads every module of linli (tests and migrations aside: tests arrange states, migrations move data) and
fails on a write of a job's status anywhere else: `x.status = …` or setattr in a module that knows the job models or
JobStatus, a `status=` keyword in a call on a job model (`HotlineImport.objects.filter(…).update(status=…)`,
`ImportJob(status=…)`), or any status write whose value names JobStatus. A new importer that needs another
transition adds it to linli/core/jobs.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

import linli
from linli.core.jobs import BaseImportJob, JobStatus

ROOT = Path(linli.__file__).resolve().parent
SERVICE = ROOT / "core" / "jobs.py"


#: Queryset methods that write the fields they are given.
WRITES = {"update", "create", "get_or_create", "update_or_create", "bulk_create"}


def job_models() -> list[type[BaseImportJob]]:
    return [m for m in apps.get_models() if issubclass(m, BaseImportJob)]


def _names_job_status(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id == "JobStatus") or (isinstance(n, ast.Attribute) and n.attr == "JobStatus")
        for n in ast.walk(node)
    )


def _root_name(node: ast.AST) -> str | None:
    """The name a call chain starts from: `ImportJob` for ImportJob.objects.filter(pk=1).update."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else None


def status_writes(source: str, models: set[str]) -> list[int]:
    """Lines of `source` that write an import job's status (`models`: the job model class names)."""
    tree = ast.parse(source)
    known = models | {"JobStatus", "jobs"}
    knows_jobs = any(
        isinstance(node, ast.ImportFrom)
        and (node.module == "linli.core.jobs" or any((a.asname or a.name) in known for a in node.names))
        for node in ast.walk(tree)
    )
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets) and (
                knows_jobs or (node.value is not None and _names_job_status(node.value))
            ):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Name)
                and func.id == "setattr"
                and len(node.args) == 3
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "status"
                and (knows_jobs or _names_job_status(node.args[2]))
            ):
                lines.append(node.lineno)
            writes = isinstance(func, ast.Attribute) and func.attr in WRITES
            for keyword in node.keywords:
                if keyword.arg == "status" and (
                    _root_name(func) in models or _names_job_status(keyword.value) or (knows_jobs and writes)
                ):
                    lines.append(node.lineno)
    return sorted(set(lines))


def test_the_guard_finds_each_way_of_writing_a_job_status():
    models = {"ImportJob", "HotlineImport"}
    offending = {
        "from linli.core.jobs import JobStatus\njob.status = JobStatus.DONE\n": [2],
        "job.status = jobs.JobStatus.FAILED\n": [1],
        "from linli.hotline.models import HotlineImport\n\njob.status = 'done'\n": [3],
        "from linli.ledgers.models import ImportJob\nsetattr(job, 'status', 'done')\n": [2],
        "HotlineImport.objects.filter(pk=1).update(status='failed', message='x')\n": [1],
        "ImportJob.objects.create(community=c, status='committing')\n": [1],
        "rows.update(status=JobStatus.VALIDATED)\n": [1],
        "batch = HotlineImport(community=c, status='committing')\n": [1],
        "from linli.ledgers.models import ImportJob\nthis_run.update(status='failed')\n": [2],
    }
    for source, lines in offending.items():
        assert status_writes(source, models) == lines, source
    innocent = (
        "appeal.status = Status.DONE\n",  # another model's status, in a module that knows no job
        "from linli.core import jobs\njobs.fail(job, '原因', actor=a, attempt=1, back_to=JobStatus.VALIDATED)\n",
        "Appeal.objects.filter(pk=1).update(status='done')\n",
        "from linli.core.jobs import JobStatus\nif job.status == JobStatus.DONE:\n    pass\n",
    )
    for source in innocent:
        assert status_writes(source, models) == [], source


def test_only_the_job_service_writes_a_job_status():
    models = {m.__name__ for m in job_models()}
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if path == SERVICE or "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        try:
            lines = status_writes(path.read_text(encoding="utf-8"), models)
        except (SyntaxError, OSError):  # a file another test is writing right now, not code of the project
            continue
        for line in lines:
            offenders.append(f"{path.relative_to(ROOT.parent)}:{line}")
    assert offenders == [], "a job's status changes only in linli/core/jobs.py (upload, start, finish, fail, cancel)"


def test_every_import_job_model_uses_the_one_status_enum():
    models = job_models()
    assert len(models) >= 2  # the ledger's and the hotline's
    for model in models:
        field = model._meta.get_field("status")
        assert field.choices == JobStatus.choices and field.default == JobStatus.UPLOADED, model
