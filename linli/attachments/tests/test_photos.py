"""Photos: checked, normalised (size, orientation, no EXIF), private, all or nothing."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image

from linli.attachments.models import Photo
from linli.attachments.services import attach_photos, delete_photo, photos_of
from linli.attachments.tests.images import GPS_IFD, jpeg_bytes, not_an_image, photo, upload
from linli.core.audit import actor_of, history_of
from linli.testing import SYSTEM
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def test_a_photo_is_stored_downscaled_as_jpeg_without_exif(world, media):
    v = visit(world.residents["zhang"], 0)
    [p] = attach_photos(v, [photo(size=(4000, 3000), gps=True)], actor=SYSTEM)
    assert (p.width, p.height) == (1600, 1200)
    assert p.image.name.startswith("photos/") and p.image.name.endswith(".jpg")
    stored = Image.open(media / p.image.name)
    assert stored.format == "JPEG" and stored.size == (1600, 1200)
    assert not stored.getexif() and GPS_IFD not in stored.getexif()
    assert "exif" not in stored.info and "xmp" not in stored.info
    assert p.bytes == (media / p.image.name).stat().st_size
    thumb = Image.open(media / p.thumbnail.name)
    assert max(thumb.size) == 320 and not thumb.getexif()
    assert list(photos_of(v)) == [p]


def test_the_exif_orientation_is_applied(world, media):
    v = visit(world.residents["zhang"], 0)
    # Stored landscape with Orientation 6 (rotate 90° clockwise to display): shows as portrait.
    [p] = attach_photos(v, [photo(size=(800, 400), orientation=6)], actor=SYSTEM)
    stored = Image.open(media / p.image.name).convert("RGB")
    assert stored.size == (400, 800) and (p.width, p.height) == (400, 800)
    # The blue top-left marker of the raw image ends up top-right once rotated clockwise.
    r, g, b = stored.getpixel((390, 10))
    assert b > 200 and r < 60
    r, g, b = stored.getpixel((10, 10))
    assert r > 150 and b < 100


def test_small_photos_are_not_enlarged_and_png_webp_are_accepted(world, media):
    v = visit(world.residents["zhang"], 0)
    png = upload(jpeg_bytes(size=(300, 200), fmt="PNG"), name="a.png", content_type="image/png")
    webp = upload(jpeg_bytes(size=(500, 100), fmt="WEBP"), name="b.webp", content_type="image/webp")
    photos = attach_photos(v, [png, webp], actor=SYSTEM)
    assert [(p.width, p.height) for p in photos] == [(300, 200), (500, 100)]
    assert all(Image.open(media / p.image.name).format == "JPEG" for p in photos)


def test_a_transparent_png_gets_a_white_background(world, media):
    img = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    img.save(out, "PNG")
    v = visit(world.residents["zhang"], 0)
    [p] = attach_photos(v, [upload(out.getvalue(), name="t.png")], actor=SYSTEM)
    assert min(Image.open(media / p.image.name).convert("RGB").getpixel((25, 25))) > 240


def test_a_text_file_renamed_jpg_is_refused_and_nothing_is_written(world, media):
    v = visit(world.residents["zhang"], 0)
    with pytest.raises(ValidationError) as exc:
        attach_photos(v, [photo(), not_an_image()], actor=SYSTEM)
    assert exc.value.messages == ["第2张照片不是有效的图片文件（支持 JPG、PNG、WebP）。"]
    assert not Photo.objects.exists() and files_under(media) == []


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused(world, media, fmt):
    v = visit(world.residents["zhang"], 0)
    data = io.BytesIO()
    Image.new("RGB", (20, 20)).save(data, fmt)
    with pytest.raises(ValidationError, match="第1张照片不是有效的图片文件"):
        attach_photos(v, [upload(data.getvalue(), name="x.jpg")], actor=SYSTEM)


def test_a_truncated_jpeg_is_refused(world, media):
    v = visit(world.residents["zhang"], 0)
    data = jpeg_bytes()
    with pytest.raises(ValidationError, match="第1张照片不是有效的图片文件"):
        attach_photos(v, [upload(data[: len(data) // 2])], actor=SYSTEM)
    assert files_under(media) == []


def test_at_most_six_photos_per_record_in_total(world, media):
    v = visit(world.residents["zhang"], 0)
    with pytest.raises(ValidationError, match="每条记录最多6张照片。"):
        attach_photos(v, [photo(size=(40, 30)) for _ in range(7)], actor=SYSTEM)
    assert files_under(media) == []
    attach_photos(v, [photo(size=(40, 30)) for _ in range(4)], actor=SYSTEM)
    with pytest.raises(ValidationError, match="每条记录最多6张照片。"):
        attach_photos(v, [photo(size=(40, 30)) for _ in range(3)], actor=SYSTEM)
    assert photos_of(v).count() == 4 and len(files_under(media)) == 8


def test_a_photo_over_15_mb_is_refused(world, media):
    v = visit(world.residents["zhang"], 0)
    big = photo(size=(40, 30))
    big.size = 15 * 1024 * 1024 + 1
    with pytest.raises(ValidationError, match="照片太大了，单张不超过15MB。"):
        attach_photos(v, [big], actor=SYSTEM)
    assert files_under(media) == []


def test_files_written_are_removed_when_saving_a_row_fails(world, media, monkeypatch):
    v = visit(world.residents["zhang"], 0)
    calls = []

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return original(*args, **kwargs)

    original = Photo.objects.create
    monkeypatch.setattr(Photo.objects, "create", fail_on_second)
    with pytest.raises(RuntimeError):
        attach_photos(v, [photo(size=(40, 30)), photo(size=(40, 30))], actor=SYSTEM)
    assert files_under(media) == [] and not Photo.objects.exists()


def test_attaching_and_deleting_are_recorded_on_the_owner(world, media, django_capture_on_commit_callbacks):
    v = visit(world.residents["zhang"], 0)
    worker = world.users["grid_worker_1"]
    p1, p2 = attach_photos(v, [photo(size=(40, 30)), photo(size=(40, 30))], actor=actor_of(worker))
    assert p1.uploaded_by == worker
    record = history_of(v).first()
    assert record.changes == {"照片": [[], [str(p1), str(p2)]]} and record.actor == worker
    with pytest.raises(PermissionDenied):
        delete_photo(p1, actor=actor_of(world.users["secretary"]))  # not the uploader
    with django_capture_on_commit_callbacks(execute=True):
        delete_photo(p1, actor=actor_of(worker))
    assert list(photos_of(v)) == [p2]
    assert history_of(v).first().changes == {"照片": [[str(p1), str(p2)], [str(p2)]]}
    assert len(files_under(media)) == 2 and not (media / p1.image.name).exists()


def test_photos_are_served_only_within_the_owners_scope(world, login, media, client):
    v = visit(world.residents["zhang"], 0)  # grid 1
    [p] = attach_photos(v, [photo(size=(400, 300))], actor=SYSTEM)
    for name in ("attachments:photo", "attachments:photo_thumb"):
        url = reverse(name, args=[p.pk])
        client.logout()
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        assert login(world.users["grid_worker_2"]).get(url).status_code == 404
        assert login(world.users["dept_handler"]).get(url).status_code == 404
        response = login(world.users["grid_worker_1"]).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
        body = b"".join(response.streaming_content)
        assert Image.open(io.BytesIO(body)).format == "JPEG"
        assert login(world.users["secretary"]).get(url).status_code == 200
    assert login(world.users["grid_worker_1"]).get(reverse("attachments:photo", args=[p.pk + 99])).status_code == 404


def test_media_url_does_not_serve_photos(world, login, media):
    v = visit(world.residents["zhang"], 0)
    [p] = attach_photos(v, [photo(size=(40, 30))], actor=SYSTEM)
    assert login(world.users["street_admin"]).get(f"/media/{p.image.name}").status_code == 404
