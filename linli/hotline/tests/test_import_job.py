"""A hotline import is an import job (linli.core.jobs): each step recorded with who took it, a refused commit keeps
its check, two commits of one job at once run once."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from linli.core import jobs
from linli.core.audit import Actor
from linli.core.jobs import JobStatus
from linli.core.models import ChangeAction, ChangeRecord, Source
from linli.hotline import services
from linli.hotline.models import HotlineImport, HotlineOrder
from linli.hotline.tests.conftest import order


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def checked(client, path, community) -> HotlineImport:
    data = SimpleUploadedFile(path.name, path.read_bytes())
    client.post(reverse("hotline:import_upload"), {"community": community.pk, "file": data})
    job = HotlineImport.objects.get()
    columns = {f"col_{k}": v for k, v in job.mapping.items()}
    client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "check", **columns})
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED
    return job


def history(job) -> list[tuple]:
    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(HotlineImport), object_id=job.pk
    ).order_by("id")
    return [(r.action, r.actor, r.source, (r.changes.get("状态") or [None, None])[1]) for r in records]


def test_each_step_of_an_import_is_recorded_with_who_took_it(aw, sheet, login):
    secretary = aw.users["secretary"]
    client = login(secretary)
    job = checked(client, sheet([order("R1")]), aw.communities["e1"])
    client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "commit"})
    assert history(job) == [
        (ChangeAction.CREATE, secretary, Source.WEB, None),
        (ChangeAction.UPDATE, secretary, Source.WEB, "正在检查"),
        (ChangeAction.UPDATE, secretary, Source.WEB, "已检查"),
        (ChangeAction.UPDATE, secretary, Source.IMPORT, "正在导入"),
        (ChangeAction.UPDATE, secretary, Source.IMPORT, "已导入"),
    ]


def test_a_command_line_import_is_a_job_with_no_uploader_and_no_file(aw, sheet, capsys):
    call_command("import_hotline", str(sheet([order("C1")], name="cli.xlsx")), "--community", "e1")
    job = HotlineImport.objects.get()
    assert job.status == JobStatus.DONE and job.created_by is None and not job.file and job.report["created"] == 1
    assert [source for _, _, source, _ in history(job)] == [Source.CLI] * 3


def test_a_refused_commit_keeps_the_check_and_says_why(aw, sheet, login):
    client = login(aw.users["secretary"])
    job = checked(client, sheet([order("F1")]), aw.communities["e1"])

    def conflict(*args, **kwargs):
        raise services.ImportConflict("有工单编号刚刚被另一次导入写入")

    services_commit = services.commit_import
    services.commit_import = conflict
    try:
        client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "commit"})
    finally:
        services.commit_import = services_commit
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED and job.report["dry_run"] and job.file
    assert "另一次导入" in job.message and not HotlineOrder.objects.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "另一次导入" in page and "确认导入1条" in page  # it may be committed again
    client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.message == "" and HotlineOrder.objects.count() == 1


def test_a_late_outcome_of_a_superseded_run_changes_nothing(aw, sheet, login):
    job = checked(login(aw.users["secretary"]), sheet([order("S1")]), aw.communities["e1"])
    actor = Actor.cli("测试")
    first = jobs.start(job, dry_run=False, actor=actor)
    with pytest.raises(jobs.JobRefused):
        jobs.start(job, dry_run=False, actor=actor)  # its process is alive
    HotlineImport.objects.filter(pk=job.pk).update(heartbeat_at=first.heartbeat_at - jobs.lease())
    second = jobs.start(job, dry_run=False, actor=actor)  # 导入中断: started again
    assert second.attempt == first.attempt + 1
    assert not jobs.finish(job, {"rows": 1, "dry_run": False}, dry_run=False, actor=actor, attempt=first.attempt)
    assert not jobs.fail(job, "迟到的失败", actor=actor, attempt=first.attempt)
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTING and job.file and job.message == ""
    with pytest.raises(ValueError):
        jobs.fail(job, "x", actor=actor, attempt=second.attempt, back_to=JobStatus.DONE)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_commits_of_one_job_at_once_start_one_run(aw, sheet, login):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: tested on PostgreSQL")
    job = checked(login(aw.users["secretary"]), sheet([order("T1")]), aw.communities["e1"])
    barrier = threading.Barrier(2)
    started, refused, failures = [], [], []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            started.append(jobs.start(job, dry_run=False, actor=Actor.cli("并发")).attempt)
        except jobs.JobRefused:
            refused.append(True)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    state = jobs._state

    def slow_state(job):  # both read the row before either writes, unless the first one's lock holds the second
        time.sleep(0.3)
        return state(job)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    with mock.patch.object(jobs, "_state", slow_state):
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    job.refresh_from_db()
    assert failures == [] and len(started) == 1 and len(refused) == 1
    assert job.status == JobStatus.COMMITTING and job.attempt == started[0]


def test_a_check_whose_request_died_can_be_run_again_once_its_lease_ran_out(aw, sheet, login):
    client = login(aw.users["secretary"])
    job = checked(client, sheet([order("V1")]), aw.communities["e1"])
    job = jobs.start(job, dry_run=True, actor=Actor.cli("测试"))  # the check's request is killed here
    columns = {f"col_{k}": v for k, v in job.mapping.items()}
    run = reverse("hotline:import_run", args=[job.pk])
    client.post(run, {"action": "check", **columns})
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATING  # its lease is fresh: it may still be running

    HotlineImport.objects.filter(pk=job.pk).update(heartbeat_at=job.heartbeat_at - jobs.lease())
    page = client.get(job.get_absolute_url()).content.decode()
    assert "导入中断" in page and "列的对应关系" in page
    client.post(run, {"action": "check", **columns})
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED and job.report["created"] == 1
