# ruff: noqa: F811 - the fixtures imported below are the tests' parameters
"""Media on S3-compatible object storage, end to end against a real local S3 server (moto's ThreadedMotoServer,
linli.ops.s3testing): photos, certificate PDFs, signed mediation scans, ledger imports and notices read aloud are
written to a private bucket, read back only through Linli's permission checks, and deleted from it."""

from __future__ import annotations

import datetime
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from PIL import ImageFile

from linli.appeals.models import Appeal
from linli.appeals.tests.conftest import aw  # noqa: F401 - the appeals world fixture
from linli.attachments.models import Photo
from linli.attachments.responses import photo_response
from linli.attachments.services import attach_photos, delete_photo, photos_of
from linli.attachments.tests.images import photo
from linli.certificates import services as certificates
from linli.certificates.testing import certificate_templates
from linli.core import storage
from linli.core.audit import actor_of
from linli.ledgers.models import ImportJob
from linli.ledgers.services import sweep_import_files
from linli.ledgers.tests.test_import_pages import ledger
from linli.mediation.testing import build_mediation_world
from linli.ops.media import media_names
from linli.ops.s3testing import s3_media, s3_server  # noqa: F401 - fixtures
from linli.residents.idcard import make_id_number
from linli.residents.models import Resident
from linli.testing import SYSTEM
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db


def local_files(settings) -> list[Path]:
    """Files on the local media disk outside the upload spool (with S3 there must be none)."""
    root = Path(settings.MEDIA_ROOT)
    spool = Path(settings.FILE_UPLOAD_TEMP_DIR)
    return [p for p in root.rglob("*") if p.is_file() and not p.is_relative_to(spool)] if root.exists() else []


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_media_storage_is_s3_on_the_test_bucket(s3_media):
    assert storage.is_s3() and default_storage.bucket_name == s3_media.bucket
    assert default_storage.default_acl == "private" and default_storage.querystring_auth
    assert default_storage.querystring_expire == 60 and not default_storage.file_overwrite


def test_a_photo_registered_on_the_intake_page_goes_to_the_bucket_and_is_served_only_in_scope(
    s3_media, aw, login, settings
):
    client = login(aw.users["grid_worker_1"])
    response = client.post(
        "/appeals/new/",
        {
            "text": "楼道灯坏了。",
            "channel": "phone",
            "urgency": "",
            "reporter": aw.residents["zhang"].pk,
            "photos": [photo()],
        },
    )
    assert response.status_code == 302
    [p] = photos_of(Appeal.objects.get())
    assert s3_media.keys() == sorted([s3_media.key(p.image.name), s3_media.key(p.thumbnail.name)])
    assert local_files(settings) == []  # nothing of it on this machine's disk

    for name, field in (("attachments:photo", p.image), ("attachments:photo_thumb", p.thumbnail)):
        url = reverse(name, args=[p.pk])
        served = login(aw.users["grid_worker_1"]).get(url)
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
        stored = s3_media.body(field.name)
        assert served["Content-Length"] == str(len(stored)) and body(served) == stored
        assert "private" in served["Cache-Control"]
        assert login(aw.users["grid_worker_2"]).get(url).status_code == 404  # another grid
        assert login(aw.users["dept_handler"]).get(url).status_code == 404
        # The bucket itself answers nobody without a signature: no public object, no public URL.
        assert s3_media.anonymous_get(field.name) == 403


def test_the_anonymous_check_would_see_a_public_object(s3_media):
    """The 403 above is the object's privacy, not the server refusing everything unsigned."""
    s3_media.client.put_object(
        Bucket=s3_media.bucket, Key=s3_media.key("public/probe.txt"), Body=b"x", ACL="public-read"
    )
    assert s3_media.anonymous_get("public/probe.txt") == 200


def test_a_photo_is_streamed_from_the_s3_response_not_downloaded_first(s3_media, world):
    [p] = attach_photos(visit(world.residents["zhang"], 0), [photo()], actor=SYSTEM)
    response = photo_response(p)
    from botocore.response import StreamingBody

    assert isinstance(response.file_to_stream, StreamingBody)  # botocore's body, read block by block
    assert response["Content-Length"] == str(p.bytes) and b"".join(response) == s3_media.body(p.image.name)
    # Closing a response ends its request, and request_finished would close the test's connection (and with it the
    # module's shared world); the test client holds that signal back the same way.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()  # closes botocore's body
    finally:
        request_finished.connect(close_old_connections)


def test_deleting_a_photo_deletes_its_objects(s3_media, world, django_capture_on_commit_callbacks):
    v = visit(world.residents["zhang"], 0)
    [keep, gone] = attach_photos(v, [photo(), photo(color=(0, 200, 0))], actor=SYSTEM)
    assert len(s3_media.keys()) == 4
    with django_capture_on_commit_callbacks(execute=True):
        delete_photo(gone, actor=SYSTEM)
    assert s3_media.keys() == sorted([s3_media.key(keep.image.name), s3_media.key(keep.thumbnail.name)])


def test_a_photo_whose_object_is_gone_is_a_404_not_a_500(s3_media, world, login):
    v = visit(world.residents["zhang"], 0)
    [p] = attach_photos(v, [photo()], actor=SYSTEM)
    s3_media.client.delete_object(Bucket=s3_media.bucket, Key=s3_media.key(p.image.name))
    response = login(world.users["grid_worker_1"]).get(reverse("attachments:photo", args=[p.pk]))
    assert response.status_code == 404 and Photo.objects.filter(pk=p.pk).exists()


def test_a_certificate_pdf_is_issued_into_the_bucket_and_downloaded(s3_media, world, login):
    templates = certificate_templates(world)
    c = certificates.issue(
        templates["east"], world.residents["zhang"], actor=actor_of(world.users["staff"]), purpose="办理入学手续"
    )
    assert s3_media.keys() == [s3_media.key(c.pdf.name)] and c.pdf.name.startswith("certificates/")
    response = login(world.users["staff"]).get(reverse("certificates:certificate_pdf", args=[c.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = body(response)
    assert data.startswith(b"%PDF") and data == s3_media.body(c.pdf.name)
    assert response["Content-Length"] == str(len(data)) and response["Cache-Control"] == "no-store"
    assert f"certificate-{c.year}-{c.serial:04d}.pdf" in response["Content-Disposition"]
    url = reverse("certificates:certificate_pdf", args=[c.pk])
    assert login(world.users["grid_worker_1"]).get(url).status_code == 403  # no certificate role
    assert login(world.users["nobody"]).get(url).status_code == 404
    assert s3_media.anonymous_get(c.pdf.name) == 403
    assert not ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's import left Pillow strict (truncated photos refused)


def test_a_signed_mediation_scan_is_uploaded_served_and_replaced(
    s3_media, world, client, django_capture_on_commit_callbacks
):
    mw = build_mediation_world(world)  # attaches a first scan to e1_settled
    case = mw.cases["e1_settled"]
    first = case.agreement.scan.name
    assert s3_media.key(first) in s3_media.keys()

    client.force_login(mw.users["volunteer"])
    scan = SimpleUploadedFile("签字协议.pdf", b"%PDF-1.4\n% signed by both parties\n", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mediation:agreement_scan", args=[case.pk]), {"scan": scan})
    assert response.status_code == 302
    case.agreement.refresh_from_db()
    second = case.agreement.scan.name
    assert second != first and s3_media.key(first) not in s3_media.keys()  # the replaced scan is gone

    served = client.get(reverse("mediation:agreement_scan_file", args=[case.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert body(served) == b"%PDF-1.4\n% signed by both parties\n" == s3_media.body(second)
    client.force_login(mw.users["staff"])
    assert client.get(reverse("mediation:agreement_scan_file", args=[case.pk])).status_code == 404
    assert s3_media.anonymous_get(second) == 403


def rows():
    return [
        [
            1,
            "沈一",
            make_id_number("420107", datetime.date(1950, 3, 5), 51, "M"),
            "13800001111",
            "5栋",
            "1",
            "101",
            "户主",
            "",
            "1",
        ],
        [
            2,
            "沈二",
            make_id_number("420107", datetime.date(1985, 1, 2), 52, "F"),
            "13900002222",
            "5栋",
            "1",
            "102",
            "户主",
            "",
            "1",
        ],
    ]


def test_a_ledger_is_imported_from_the_bucket_end_to_end(s3_media, world, login, settings):
    client = login(world.users["staff"])
    client.post(reverse("ledgers:import_list"), {"community": world.communities["e1"].pk, "file": ledger(rows())})
    job = ImportJob.objects.get()
    assert s3_media.keys() == [s3_media.key(job.file.name)] and job.file.name.startswith("imports/")
    assert local_files(settings) == []  # the worker (eager here; any machine in production) reads the bucket
    page = client.get(job.get_absolute_url())
    form = page.context["mapping_form"]
    client.post(reverse("ledgers:import_run", args=[job.pk]), {n: form[n].value() or "" for n in form.columns})
    job.refresh_from_db()
    assert job.status == "validated" and job.report["created"] == 2, job.report

    client.post(reverse("ledgers:import_run", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "done" and set(
        Resident.objects.filter(name__startswith="沈").values_list("name", flat=True)
    ) == {
        "沈一",
        "沈二",
    }
    assert not job.file and s3_media.keys() == []  # the clear-text ledger is deleted from the bucket
    assert local_files(settings) == [] and not any(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir())


def test_unused_ledgers_and_orphans_are_swept_from_the_bucket(s3_media, world, login):
    client = login(world.users["staff"])
    client.post(reverse("ledgers:import_list"), {"community": world.communities["e1"].pk, "file": ledger(rows())})
    job = ImportJob.objects.get()
    orphan = default_storage.save("imports/2020/01/孤儿.xlsx", ContentFile(b"PK"))
    assert len(s3_media.keys()) == 2
    assert sweep_import_files() == 0  # all fresh
    later = job.created_at + datetime.timedelta(hours=25)
    assert sweep_import_files(now=later) == 2
    job.refresh_from_db()
    assert job.status == "expired" and not job.file and s3_media.keys() == [] and not default_storage.exists(orphan)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_notice_is_read_aloud_into_the_bucket_and_served_whole_and_by_range(s3_media, world, client):
    from linli.notices import audio
    from linli.notices.testing_public import make_notice

    notice = make_notice(world.communities["e1"], title="明天停水", body="明天上午停水。")
    url = reverse("notice_links:public_notice_audio", args=[notice.code])
    whole = client.get(url)
    assert whole.status_code == 200
    data = body(whole)
    [key] = s3_media.keys()
    assert (
        key.startswith(s3_media.key(f"notices/audio/{notice.code}-"))
        and s3_media.body(key[len("linli-media/") :]) == data
    )
    assert whole["Content-Length"] == str(len(data))
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert (
        part.status_code == 206 and part.content == data[10:20] and part["Content-Range"] == f"bytes 10-19/{len(data)}"
    )

    notice.body = "改为下午停水。"
    second = audio.ensure(notice)
    assert s3_media.keys() == [s3_media.key(second.name)]  # the earlier text's file is gone
    audio.remove(notice)
    assert s3_media.keys() == []


def test_names_lists_a_prefix_on_s3_and_on_the_disk(s3_media, settings, tmp_path):
    for name in ("a/x1.txt", "a/x2.txt", "a/b/x3.txt", "ab/x4.txt"):
        default_storage.save(name, ContentFile(b"1"))
    assert sorted(storage.names("a/")) == ["a/b/x3.txt", "a/x1.txt", "a/x2.txt"]
    assert sorted(storage.names("a/x")) == ["a/x1.txt", "a/x2.txt"]
    assert len(list(storage.names())) == 4
    assert storage.read_range("a/x1.txt", 0, 0) == b"1"


def media_check(*args) -> str:
    out = io.StringIO()
    call_command("media_check", *args, stdout=out)
    return out.getvalue()


def test_media_check_finds_missing_files_and_orphans_and_probes_the_bucket(s3_media, world):
    v = visit(world.residents["zhang"], 0)
    [p] = attach_photos(v, [photo()], actor=SYSTEM)
    assert "缺失 0 个，无人引用 0 个" in media_check() and "拒绝了不带签名的读取（HTTP 403）" in media_check()
    orphan = default_storage.save("photos/2020/01/orphan.jpg", ContentFile(b"x"))
    s3_media.client.delete_object(Bucket=s3_media.bucket, Key=s3_media.key(p.thumbnail.name))
    with pytest.raises(CommandError, match="1 个文件数据库引用、存储中缺失"):
        media_check()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("media_check", stdout=out)
    assert p.thumbnail.name in out.getvalue() and orphan in out.getvalue()


def test_media_check_fails_on_a_bucket_that_strangers_can_read(s3_media):
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{s3_media.bucket}/*",
            }
        ],
    }
    s3_media.client.put_bucket_policy(Bucket=s3_media.bucket, Policy=json.dumps(policy))
    with pytest.raises(CommandError, match="存储桶或对象可能是公开的"):
        media_check()
    assert s3_media.keys() == []  # the probe object is gone


def test_media_check_on_the_local_disk_ignores_the_upload_spool(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "tmp" / "upload.part").write_bytes(b"x")
    [p] = attach_photos(visit(world.residents["zhang"], 0), [photo()], actor=SYSTEM)
    assert "本机磁盘" in media_check() and "缺失 0 个，无人引用 0 个" in media_check()
    assert sorted(media_names()) == sorted([p.image.name, p.thumbnail.name])  # what a backup copies: no spool
    (tmp_path / p.image.name).unlink()
    with pytest.raises(CommandError, match="存储中缺失"):
        media_check()
