"""Change and audit records: kept at least 180 days, deleted by nobody but `linli purge-records`, which records
that it ran."""

from __future__ import annotations

import ast
import datetime
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessLog
from django.core.management import CommandError, call_command
from django.urls import get_resolver
from django.utils import timezone

from linli.accounts.roles import ROLE_PERMISSIONS
from linli.core.audit import Actor, actor_of, record, snapshot
from linli.core.excel.exports import record_export
from linli.core.models import ChangeAction, ChangeRecord, ExportRecord
from linli.ops import checks
from linli.ops.models import PurgeRun
from linli.ops.retention import AUDIT_RECORDS, audit_models, purge_records
from linli.residents.models import RevealRecord

LINLI = Path(__file__).resolve().parents[2]


def _age(qs, days: int) -> None:
    field = "attempt_time" if qs.model is AccessLog else "at"
    qs.update(**{field: timezone.now() - datetime.timedelta(days=days)})


@pytest.fixture
def records(world):
    """Of each kind of audit record: one 400 days old, one 179 days old."""
    user = world.users["secretary"]
    resident = world.residents["zhang"]
    made = {}
    for days in (400, 179):
        made[days] = [
            record(resident, ChangeAction.UPDATE, {"a": 1}, {"a": days}, actor_of(user)),
            record_export(user, "residents_xlsx", row_count=3),
            RevealRecord.objects.create(user=user, resident=resident, field="id_number"),
            AccessLog.objects.create(username=user.username, ip_address="10.0.0.1", user_agent="t"),
        ]
        for row in made[days]:
            _age(type(row).objects.filter(pk=row.pk), days)
    return made


def test_purge_deletes_only_what_is_older_than_the_retention_and_records_the_run(records, settings):
    settings.LINLI_AUDIT_RETENTION_DAYS = 180
    out = StringIO()
    call_command("purge_records", stdout=out)
    for row in records[400]:
        assert not type(row)._base_manager.filter(pk=row.pk).exists(), type(row).__name__
    for row in records[179]:
        assert type(row)._base_manager.filter(pk=row.pk).exists(), type(row).__name__
    run = PurgeRun.objects.get()
    assert run.retention_days == 180
    assert run.counts["core_changerecord"] >= 1
    assert run.counts["ledgers_exportrecord"] == run.counts["residents_revealrecord"] == 1
    assert run.counts["axes_accesslog"] == 1
    assert ChangeRecord.objects.filter(object_id=run.pk, object_repr__startswith="清理过期记录").exists()
    assert "已删除" in out.getvalue() and "查看记录" in out.getvalue()


def test_a_longer_retention_keeps_more_and_a_dry_run_deletes_nothing(records, settings):
    settings.LINLI_AUDIT_RETENTION_DAYS = 500
    assert purge_records(actor=Actor.cli("t")).total == 0
    settings.LINLI_AUDIT_RETENTION_DAYS = 180
    before = ChangeRecord.objects.count()
    out = StringIO()
    call_command("purge_records", dry_run=True, stdout=out)
    assert "什么也没有删除" in out.getvalue()
    assert ChangeRecord.objects.count() == before
    assert PurgeRun.objects.filter(retention_days=180).count() == 0


def test_purge_works_in_batches(records, settings):
    settings.LINLI_AUDIT_RETENTION_DAYS = 180
    user = records[400][1].user
    for _ in range(5):
        _age(ExportRecord.objects.filter(pk=record_export(user, "template", row_count=0).pk), 300)
    result = purge_records(actor=Actor.cli("t"), batch=2)
    assert result.counts["ledgers_exportrecord"] == 6
    assert ExportRecord.objects.count() == 1


@pytest.mark.parametrize("days", [179, 30, 0, -1, "半年"])
def test_it_refuses_a_retention_below_180_days(db, settings, days):
    settings.LINLI_AUDIT_RETENTION_DAYS = days
    errors = checks.audit_retention()
    assert [e.id for e in errors] == ["linli.ops.E002"]
    assert "LINLI_AUDIT_RETENTION_DAYS" in errors[0].msg
    before = ChangeRecord.objects.count()
    with pytest.raises(CommandError, match="LINLI_AUDIT_RETENTION_DAYS"):
        call_command("purge_records")
    assert ChangeRecord.objects.count() == before and not PurgeRun.objects.exists()


def test_the_default_retention_passes_the_check(settings):
    assert settings.LINLI_AUDIT_RETENTION_DAYS == 180
    assert checks.audit_retention() == []


def test_it_reports_a_short_retention_through_the_registered_system_checks(settings):
    """Registered in OpsConfig.ready like every app's checks: `linli check` (and every command) reports it."""
    from django.core import checks as django_checks

    settings.LINLI_AUDIT_RETENTION_DAYS = 30
    found = [e.id for e in django_checks.run_checks() if e.id.startswith("linli.ops.")]
    assert found == ["linli.ops.E002"]


def test_the_purge_is_scheduled_monthly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-records"]
    assert entry["task"] == "linli.ops.tasks.purge_records"
    assert entry["schedule"].day_of_month == {1}


def test_no_role_holds_a_right_to_delete_or_change_audit_records():
    subjects = {"history", "export", "reveal", "change", "changerecord", "audit", "log"}
    for role, perms in ROLE_PERMISSIONS.items():
        for perm in perms:
            subject, action = perm.split(".", 1)
            if subject in subjects:
                assert action in {"view", "log", "residents"}, f"{role} holds {perm}"


def test_no_url_deletes_an_audit_record():
    """Every view behind the URLconf: no delete view over an audit model, and no admin site."""
    from django.views.generic.edit import DeletionMixin

    audit = {m for m, _, _ in audit_models()} | {PurgeRun}

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns)
            else:
                yield p

    seen = 0
    for pattern in walk(get_resolver().url_patterns):
        seen += 1
        view = getattr(pattern.callback, "view_class", None)
        model = getattr(view, "model", None) or getattr(getattr(view, "queryset", None), "model", None)
        if view and issubclass(view, DeletionMixin):
            assert model not in audit, pattern
        assert "django.contrib.admin" not in getattr(pattern.callback, "__module__", "")
    assert seen > 100


def test_only_the_purge_and_the_demo_reset_delete_audit_records_in_code():
    """A source scan: `<AuditModel>.objects….delete()` appears only where it is allowed."""
    names = {label.split(".")[1] for label, _, _ in AUDIT_RECORDS}
    allowed = {"ops/retention.py", "site/demo.py", "deliberation/demo.py"}
    found = set()
    for path in LINLI.rglob("*.py"):
        rel = path.relative_to(LINLI).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel.startswith("testing"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "delete":
                text = ast.unparse(node.func)
                if any(f"{n}.objects" in text or f"{n}._base_manager" in text for n in names):
                    found.add(rel)
    assert found <= allowed, found - allowed


def test_deleting_a_user_or_resident_never_takes_audit_records_with_it():
    from django.db import models

    for model, _, _ in audit_models():
        for f in model._meta.concrete_fields:
            if f.is_relation:
                assert f.remote_field.on_delete is not models.CASCADE, f"{model.__name__}.{f.name}"


def test_a_purge_run_is_written_as_a_change_record_with_its_counts(db):
    run = PurgeRun.objects.create(actor_label="t", retention_days=180, cutoff=timezone.now(), counts={"a": 1})
    assert snapshot(run)["清理行数"] == {"a": 1}
