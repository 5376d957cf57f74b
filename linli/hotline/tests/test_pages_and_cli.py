"""The import pages (upload, preview, check, commit), the appeal page's 12345 lines, and `linli import-hotline`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from linli.appeals.models import Appeal
from linli.core.audit import Actor
from linli.core.jobs import JobStatus
from linli.core.testing_db import race
from linli.hotline import importer, services
from linli.hotline.models import HotlineImport, HotlineOrder
from linli.hotline.tests.conftest import order

PROJECT = Path(__file__).resolve().parents[3]


def upload(client, path, community):
    data = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(reverse("hotline:import_upload"), {"community": community.pk, "file": data})


def test_upload_preview_check_and_commit(aw, sheet, login):
    client = login(aw.users["secretary"])
    path = sheet([order("P1"), order("P2"), order("P2")])
    response = upload(client, path, aw.communities["e1"])
    job = HotlineImport.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "列的对应关系" in page and "P1" in page and "缺少必需的列" not in page

    columns = {f"col_{k}": v for k, v in job.mapping.items()}
    client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "check", **columns})
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED and job.report["created"] == 1 and job.report["rejected"] == 2
    assert not HotlineOrder.objects.exists()  # a check writes nothing
    page = client.get(job.get_absolute_url()).content.decode()
    assert "在本文件中重复" in page and "确认导入1条" in page

    client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and not job.file
    hotline = HotlineOrder.objects.get()
    assert hotline.batch == job and hotline.appeal.created_by == aw.users["secretary"]
    # A second click commits nothing more.
    client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "commit"})
    assert HotlineOrder.objects.count() == 1

    detail = client.get(reverse("appeals:appeal_detail", args=[hotline.appeal_id])).content.decode()
    assert "12345工单" in detail and "P1" in detail and "12345办理时限" in detail
    listing = client.get(reverse("hotline:order_list")).content.decode()
    assert "P1" in listing


def test_missing_columns_are_named_on_the_preview(aw, sheet, login):
    client = login(aw.users["secretary"])
    path = sheet([["M1", "漏水了", "1栋"]], headers=["工单编号", "诉求内容", "地址"])
    upload(client, path, aw.communities["e1"])
    job = HotlineImport.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "缺少必需的列：来电时间、办理时限" in page
    response = client.post(reverse("hotline:import_run", args=[job.pk]), {"col_0": "order_no", "col_1": "text"})
    assert "必须指定这些列" in response.content.decode()
    assert not HotlineOrder.objects.exists()


def test_a_user_sees_and_imports_only_their_communities(aw, sheet, login):
    path = sheet([order("Z1")])
    client = login(aw.users["secretary"])
    response = upload(client, path, aw.communities["e2"])  # not in 东一社区's secretary's scope
    assert response.status_code == 200 and not HotlineImport.objects.exists()
    upload(login(aw.users["street_admin"]), path, aw.communities["e2"])
    job = HotlineImport.objects.get()
    assert login(aw.users["secretary"]).get(job.get_absolute_url()).status_code == 404
    assert login(aw.users["dept_handler"]).get(reverse("hotline:order_list")).status_code == 403
    assert login(aw.users["secretary"]).post(reverse("hotline:import_run", args=[job.pk]), {}).status_code == 404


def test_import_command_exit_codes_and_report(aw, sheet, tmp_path, capsys):
    good = sheet([order("K1"), order("K2")], name="good.xlsx")
    call_command("import_hotline", str(good), "--community", "e1", "--dry-run")
    assert "这是试导入" in capsys.readouterr().out and not HotlineOrder.objects.exists()

    report = tmp_path / "r.json"
    call_command("import_hotline", str(good), "--community", "e1", "--report", str(report))
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["created"], data["skipped"], data["errors"], data["dry_run"]) == (2, 0, [], False)
    assert HotlineImport.objects.get().status == JobStatus.DONE

    call_command("import_hotline", str(good), "--community", "e1", "--report", str(report))
    assert json.loads(report.read_text(encoding="utf-8"))["skipped"] == 2 and HotlineOrder.objects.count() == 2

    bad = sheet([order("K3"), order("K3")], name="bad.xlsx")
    with pytest.raises(CommandError) as rejected:
        call_command("import_hotline", str(bad), "--community", "e1")
    assert rejected.value.returncode == 1
    missing = sheet([["K9", "内容"]], name="missing.xlsx", headers=["工单编号", "诉求内容"])
    with pytest.raises(CommandError) as unusable:
        call_command("import_hotline", str(missing), "--community", "e1")
    assert unusable.value.returncode == 2 and "缺少必需的列" in str(unusable.value)
    with pytest.raises(CommandError) as unknown:
        call_command("import_hotline", str(good), "--community", "nowhere")
    assert unknown.value.returncode == 2
    not_a_sheet = tmp_path / "x.txt"
    not_a_sheet.write_text("hello")
    with pytest.raises(CommandError) as wrong:
        call_command("import_hotline", str(not_a_sheet), "--community", "e1")
    assert wrong.value.returncode == 2


def test_the_linli_command_maps_the_dashed_names():
    result = subprocess.run(
        [sys.executable, "-m", "linli", "help", "import-hotline"], cwd=PROJECT, capture_output=True, text=True
    )
    assert result.returncode == 0 and "--community" in result.stdout


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_file_at_once_create_each_order_once(aw, sheet):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: tested on PostgreSQL")
    path = sheet([order(f"Q{i}") for i in range(30)])
    table = importer.read_orders(str(path), path.name)
    mapping = importer.detect(table.headers)
    results, refusals, failures = race(
        2, lambda i: services.commit_import(table, mapping, aw.communities["e1"], actor=Actor.cli("并发")).created
    )
    assert failures == [] and refusals == [] and sorted(results) == [0, 30]
    assert HotlineOrder.objects.count() == 30 and Appeal.objects.filter(channel="hotline").count() == 30
