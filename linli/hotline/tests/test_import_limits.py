"""The hotline importer reads with the shared read_table (linli.core.excel.read): the same size limits, and a preview kept on the job
so that its page does not parse the sheet again on every view."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from linli.hotline import importer
from linli.hotline.models import HotlineImport
from linli.hotline.tests.conftest import order


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, path, community):
    data = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(reverse("hotline:import_upload"), {"community": community.pk, "file": data})


@override_settings(LINLI_IMPORT_MAX_ROWS=3)
def test_it_refuses_a_hotline_sheet_over_the_row_limit(aw, sheet, login, settings):
    response = upload(login(aw.users["secretary"]), sheet([order(f"P{n}") for n in range(4)]), aw.communities["e1"])
    assert response.status_code == 200 and "表格超过3行，请拆分后分批导入" in response.content.decode()
    assert not HotlineImport.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_viewing_a_hotline_import_twice_parses_the_sheet_once(aw, sheet, login):
    client = login(aw.users["secretary"])
    upload(client, sheet([order("P1"), order("P2")]), aw.communities["e1"])
    job = HotlineImport.objects.get()
    with mock.patch("linli.hotline.importer.read_table", wraps=importer.read_table) as reader:
        pages = [client.get(job.get_absolute_url()) for _ in range(2)]
    assert reader.call_count == 0
    for page in pages:
        assert page.status_code == 200 and "P1" in page.content.decode() and page.context["row_total"] == 2


class Killed(BaseException):
    """kill -9 seen from inside: nothing after it runs, no `except Exception` sees it."""


def test_a_hotline_commit_killed_midway_writes_nothing_and_can_be_committed_again(aw, sheet, login):
    import datetime

    from django.utils import timezone

    from linli.appeals import services as appeal_services
    from linli.core.jobs import JobStatus
    from linli.hotline.models import HotlineOrder

    client = login(aw.users["secretary"])
    upload(client, sheet([order("K1"), order("K2")]), aw.communities["e1"])
    job = HotlineImport.objects.get()
    run = reverse("hotline:import_run", args=[job.pk])
    client.post(run, {"action": "check", **{f"col_{k}": v for k, v in job.mapping.items()}})
    original = appeal_services._event

    def event_then_die(*args, **kwargs):
        original(*args, **kwargs)
        if HotlineOrder.objects.exists():  # one order written inside the commit's transaction, then the kill
            raise Killed

    with mock.patch.object(appeal_services, "_event", event_then_die), pytest.raises(Killed):
        client.post(run, {"action": "commit"})
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTING and not HotlineOrder.objects.exists()
    client.post(run, {"action": "commit"})  # the claim is fresh: it may still be running
    assert not HotlineOrder.objects.exists()

    HotlineImport.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=10))
    assert "导入中断" in client.get(job.get_absolute_url()).content.decode()
    client.post(run, {"action": "commit"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and not job.file
    assert set(HotlineOrder.objects.values_list("order_no", flat=True)) == {"K1", "K2"}
