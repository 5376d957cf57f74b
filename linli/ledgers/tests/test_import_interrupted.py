"""Imports whose worker died (kill -9 mid-commit): nothing half-written, shown as 导入中断 once the lease runs
out, retried or cancelled by the uploader or a manager; a live run cannot be started twice. Uploaded ledgers
(ID numbers in clear) are deleted after the commit, on cancel and after a day unused."""

from __future__ import annotations

import datetime
import os
import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from linli.accounts.choices import Role
from linli.core import jobs
from linli.core.audit import actor_of
from linli.core.jobs import JobStatus
from linli.core.models import ChangeRecord
from linli.ledgers import importer, services
from linli.ledgers.models import ImportJob
from linli.ledgers.tests.test_import_pages import good_rows, ledger
from linli.residents.models import Resident
from linli.testing import make_user

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """What kill -9 looks like from inside: nothing after it runs, no `except Exception` sees it."""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    cache.clear()


def checked_job(client, world) -> ImportJob:
    """A ledger uploaded and checked (dry run) by the staff persona, ready to commit."""
    client.post(reverse("ledgers:import_list"), {"community": world.communities["e1"].pk, "file": ledger(good_rows())})
    job = ImportJob.objects.get()
    form = client.get(job.get_absolute_url()).context["mapping_form"]
    client.post(reverse("ledgers:import_run", args=[job.pk]), {n: form[n].value() or "" for n in form.columns})
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED
    return job


def age(job: ImportJob, **delta) -> None:
    """Time passes for the job: its last heartbeat was `delta` ago (and the cache has forgotten it)."""
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(**delta))
    cache.delete(jobs.heartbeat_key(job))
    job.refresh_from_db()


def imported() -> set[str]:
    return set(Resident.objects.filter(name__startswith="周").values_list("name", flat=True))


def commit_killed_while_writing(client, job):
    original = importer._Run._write_creates

    def write_then_die(run):
        original(run)  # the residents are written inside the commit's transaction ...
        assert Resident.objects.filter(name__startswith="周").exists()
        raise Killed  # ... and the worker dies before the transaction commits

    with mock.patch.object(importer._Run, "_write_creates", write_then_die), pytest.raises(Killed):
        client.post(reverse("ledgers:import_run", args=[job.pk]), {"action": "commit"})


def test_a_commit_killed_midway_writes_nothing_and_can_be_retried_once_its_lease_ran_out(world, login):
    client = login(world.users["staff"])
    job = checked_job(client, world)
    name = job.file.name
    commit_killed_while_writing(client, job)
    job.refresh_from_db()
    assert imported() == set()  # all or nothing: the dead commit left nothing half-written
    assert job.status == JobStatus.COMMITTING and job.file  # stuck, as after kill -9

    # The lease is fresh: the run may still be alive, so it is not started again.
    assert not job.interrupted
    with mock.patch("linli.ledgers.tasks.run_import_job.delay") as delay:
        client.post(reverse("ledgers:import_run", args=[job.pk]), {"action": "commit"})
        client.post(reverse("ledgers:import_run", args=[job.pk]), {"action": "retry"})
    delay.assert_not_called()

    age(job, minutes=30)
    page = client.get(job.get_absolute_url())
    assert job.interrupted and page.context["interrupted"] and not page.context["running"]
    assert "导入中断" in page.content.decode() and 'value="retry"' in page.content.decode()

    client.post(reverse("ledgers:import_run", args=[job.pk]), {"action": "retry"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.report["created"] == 2
    assert imported() == {"周一", "周二"}
    assert not job.file and not default_storage.exists(name)
    note = ChangeRecord.objects.filter(object_id=job.pk, note="重试中断的导入").get()
    assert note.actor == world.users["staff"]


def test_an_interrupted_check_is_retried_as_a_check(world, login):
    client = login(world.users["staff"])
    job = checked_job(client, world)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.VALIDATING, report=None)
    age(job, hours=1)
    services.retry_import(job, actor=actor_of(world.users["staff"]))
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED and job.report["dry_run"] and imported() == set()


def test_a_live_run_cannot_be_started_twice(world, login):
    client = login(world.users["staff"])
    job = checked_job(client, world)
    actor = actor_of(world.users["staff"])
    with mock.patch("linli.ledgers.tasks.run_import_job.delay") as delay:
        services.start_run(job, dry_run=False, actor=actor)  # claimed; the worker has not finished
        job.refresh_from_db()
        assert job.status == JobStatus.COMMITTING and not job.interrupted
        for again in (
            lambda: services.start_run(job, dry_run=False, actor=actor),
            lambda: services.start_run(job, dry_run=True, actor=actor),
            lambda: services.retry_import(job, actor=actor),
            lambda: services.cancel_import(job, actor=actor),
        ):
            with pytest.raises(jobs.JobRefused):
                again()
        # A worker that beats in the cache only (SQLite, inside the commit's transaction) keeps the run alive.
        age(job, minutes=30)
        cache.set(jobs.heartbeat_key(job), (job.attempt, timezone.now().timestamp()))
        with pytest.raises(jobs.JobRefused):
            services.retry_import(job, actor=actor)
    assert delay.call_count == 1


def test_a_superseded_worker_cannot_overwrite_the_retry(world, login):
    client = login(world.users["staff"])
    job = checked_job(client, world)
    with mock.patch("linli.ledgers.tasks.run_import_job.delay"):
        services.start_run(job, dry_run=False, actor=actor_of(world.users["staff"]))
    job.refresh_from_db()
    stale_attempt = job.attempt
    age(job, hours=1)
    services.retry_import(job, actor=actor_of(world.users["secretary"]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    from linli.ledgers.tasks import run_import_job

    run_import_job(job.pk, True, stale_attempt)  # the old worker wakes up: it does nothing
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and not job.report["dry_run"]


def test_only_the_uploader_or_a_manager_in_scope_may_retry_or_cancel(world, login):
    job = checked_job(login(world.users["staff"]), world)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.COMMITTING)
    age(job, hours=1)
    other_staff = make_user("staff_2", Role.STAFF, world.communities["e1"])
    with pytest.raises(PermissionDenied):
        services.cancel_import(job, actor=actor_of(other_staff))
    for action in ("retry", "commit"):  # 确认导入 on an interrupted commit is a retry too
        response = login(other_staff).post(reverse("ledgers:import_run", args=[job.pk]), {"action": action})
        assert response.status_code == 403
    outsider = make_user("secretary_w1", Role.SECRETARY, world.communities["w1"])
    response = login(outsider).post(reverse("ledgers:import_run", args=[job.pk]), {"action": "cancel"})
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTING and job.file

    name = job.file.name
    login(world.users["secretary"]).post(reverse("ledgers:import_run", args=[job.pk]), {"action": "cancel"})
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and not job.file and not default_storage.exists(name)
    assert ChangeRecord.objects.filter(object_id=job.pk, actor=world.users["secretary"]).exists()
    assert imported() == set()


def test_the_commit_deletes_the_uploaded_file(world, login):
    client = login(world.users["staff"])
    job = checked_job(client, world)
    name = job.file.name
    assert default_storage.exists(name)
    client.post(reverse("ledgers:import_run", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and not job.file and not default_storage.exists(name)


def test_the_sweep_deletes_uploads_unused_for_a_day_and_keeps_recent_ones(world, login, settings):
    client = login(world.users["staff"])
    for _ in range(2):
        client.post(
            reverse("ledgers:import_list"), {"community": world.communities["e1"].pk, "file": ledger(good_rows())}
        )
    old, recent = ImportJob.objects.order_by("pk")
    age(old, hours=25)
    age(recent, hours=1)
    old_name, recent_name = old.file.name, recent.file.name
    # A file no job names (killed between writing it and saving the row) and leftovers of killed uploads.
    orphan = default_storage.save("imports/2020/01/孤儿.xlsx", ContentFile(b"PK"))
    day_ago = (timezone.now() - datetime.timedelta(hours=25)).timestamp()
    os.utime(default_storage.path(orphan), (day_ago, day_ago))
    tmp = Path(settings.FILE_UPLOAD_TEMP_DIR)
    (tmp / "old.upload").write_bytes(b"x")
    os.utime(tmp / "old.upload", (day_ago, day_ago))
    (tmp / "new.upload").write_bytes(b"x")

    call_command("sweep_imports", stdout=open(os.devnull, "w"))

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not default_storage.exists(old_name) and not old.file and old.status == JobStatus.EXPIRED
    assert "已自动删除" in old.message
    assert default_storage.exists(recent_name) and recent.file and recent.status == JobStatus.UPLOADED
    assert not default_storage.exists(orphan)
    assert sorted(p.name for p in tmp.iterdir()) == ["new.upload"]
    page = client.get(old.get_absolute_url())
    assert page.status_code == 200 and "已自动删除" in page.content.decode()


def test_a_running_import_is_not_swept_while_its_worker_is_alive(world, login):
    job = checked_job(login(world.users["staff"]), world)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.COMMITTING, created_at=timezone.now())
    age(job, hours=25)
    cache.set(jobs.heartbeat_key(job), (job.attempt, timezone.now().timestamp()))
    assert services.sweep_import_files() == 0
    job.refresh_from_db()
    assert job.file


def test_media_root_and_upload_spool_come_from_the_environment(monkeypatch, tmp_path):
    import linli.settings

    monkeypatch.setenv("LINLI_MEDIA_ROOT", str(tmp_path / "objects"))
    loaded = runpy.run_path(linli.settings.__file__)
    assert loaded["MEDIA_ROOT"] == tmp_path / "objects"
    assert Path(loaded["FILE_UPLOAD_TEMP_DIR"]).is_relative_to(loaded["MEDIA_ROOT"])
    monkeypatch.delenv("LINLI_MEDIA_ROOT")
    loaded = runpy.run_path(linli.settings.__file__)
    assert loaded["MEDIA_ROOT"] == loaded["VAR_DIR"] / "media"
    assert Path(loaded["FILE_UPLOAD_TEMP_DIR"]).is_relative_to(loaded["MEDIA_ROOT"])


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_reaches_other_processes_while_the_commit_transaction_is_open(tmp_path):
    from django.db import connection, transaction

    from linli.areas.models import Community, Street

    street = Street.objects.create(code="hb", name="心跳街")
    community = Community.objects.create(street=street, code="hb1", name="心跳社区")
    user = make_user("hb_staff", Role.STAFF, community)
    job = ImportJob.objects.create(
        community=community, created_by=user, original_name="台账.xlsx", status=JobStatus.COMMITTING, attempt=3
    )
    age(job, hours=1)
    heartbeat = jobs.Heartbeat(job)
    with transaction.atomic():  # as the commit's: on SQLite the file is locked, PostgreSQL uses a second connection
        heartbeat.beat(force=True)
        if connection.vendor == "postgresql":
            job.refresh_from_db()
            assert timezone.now() - job.heartbeat_at < datetime.timedelta(minutes=1)
    heartbeat.close()
    cache_only = ImportJob.objects.get(pk=job.pk)
    assert jobs.run_is_alive(cache_only)  # the cache carries the beat whatever the database
