"""The hotline importer reads with the ledger's read_table: the same size limits, and a preview kept on the job
so that its page does not parse the sheet again on every view."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from linli.hotline.models import HotlineImport
from linli.hotline.tests.conftest import order
from linli.ledgers import importer


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
