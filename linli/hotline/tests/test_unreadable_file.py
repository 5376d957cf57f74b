"""A job whose stored file can no longer be read (removed from the disk, or damaged) answers with a message on
its page, never a server error."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linli.core.jobs import JobStatus as ImportStatus
from linli.hotline.models import HotlineImport
from linli.hotline.tests.conftest import order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def uploaded(client, aw, sheet) -> HotlineImport:
    path = sheet([order("P1")])
    data = SimpleUploadedFile(path.name, path.read_bytes())
    client.post(reverse("hotline:import_upload"), {"community": aw.communities["e1"].pk, "file": data})
    return HotlineImport.objects.get()


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("damage", ["removed", "damaged"])
def test_a_check_of_an_unreadable_file_says_so(aw, sheet, login, damage):
    client = login(aw.users["secretary"])
    job = uploaded(client, aw, sheet)
    if damage == "removed":
        job.file.storage.delete(job.file.name)
    else:
        with job.file.storage.open(job.file.name, "wb") as handle:
            handle.write(b"not a spreadsheet")
    columns = {f"col_{k}": v for k, v in job.mapping.items()}
    response = client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "check", **columns})
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    expected = "服务器上已找不到上传的文件，请重新上传。" if damage == "removed" else "无法读取"
    assert any(expected in message for message in said(response))
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


def test_a_commit_of_a_removed_file_says_so_and_stays_checked(aw, sheet, login):
    client = login(aw.users["secretary"])
    job = uploaded(client, aw, sheet)
    columns = {f"col_{k}": v for k, v in job.mapping.items()}
    client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "check", **columns})
    job.refresh_from_db()
    job.file.storage.delete(job.file.name)
    response = client.post(reverse("hotline:import_run", args=[job.pk]), {"action": "commit"})
    assert response.status_code == 302 and "服务器上已找不到上传的文件，请重新上传。" in said(response)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
