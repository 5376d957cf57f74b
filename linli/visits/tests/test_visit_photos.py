"""Photos on a visit: optional, checked before anything is written, private, shown on the resident page."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from linli.attachments.models import Photo
from linli.attachments.services import photos_of
from linli.attachments.tests.images import GPS_IFD, not_an_image, photo
from linli.visits.models import Visit
from linli.visits.tests.helpers import days, visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def post_visit(client, resident, photos=(), **fields):
    data = {"outcome": "met", "wellbeing": "good", "findings": "家里整洁，身体不错", "visited_on": days(0), **fields}
    if photos:
        data["photos"] = list(photos)
    return client.post(reverse("visits:visit_log", args=[resident.pk]), data)


def test_the_visit_form_offers_an_optional_camera_upload(world, login):
    body = login(world.users["grid_worker_1"]).get(reverse("visits:visit_log", args=[world.residents["zhang"].pk]))
    html = body.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and 'name="photos"' in html and "multiple" in html and 'accept="image/*"' in html
    assert f'data-draft="visit-{world.users["grid_worker_1"].pk}-{world.residents["zhang"].pk}"' in html


def test_a_visit_is_logged_with_photos_stored_without_gps(world, login, media):
    zhang = world.residents["zhang"]
    response = post_visit(login(world.users["grid_worker_1"]), zhang, [photo(size=(3000, 4000), gps=True), photo()])
    assert response.status_code == 302
    v = Visit.objects.get(resident=zhang)
    photos = list(photos_of(v))
    assert len(photos) == 2 and photos[0].uploaded_by == world.users["grid_worker_1"]
    stored = Image.open(media / photos[0].image.name)
    assert stored.size == (1200, 1600) and GPS_IFD not in stored.getexif() and not stored.getexif()
    assert len(files_under(media)) == 4


def test_a_bad_photo_refuses_the_whole_visit_and_keeps_what_was_typed(world, login, media):
    zhang = world.residents["zhang"]
    zhang.refresh_from_db()
    due_before = zhang.visit_due_on
    client = login(world.users["grid_worker_1"])
    response = post_visit(client, zhang, [photo(), not_an_image()], findings="楼道灯坏了", need="想申请助餐")
    body = response.content.decode()
    assert response.status_code == 200
    assert "第2张照片不是有效的图片文件（支持 JPG、PNG、WebP）。" in body
    assert "楼道灯坏了" in body and "想申请助餐" in body
    assert "请重新选择照片" in body
    assert not Visit.objects.exists() and not Photo.objects.exists() and files_under(media) == []
    zhang.refresh_from_db()
    assert zhang.visit_due_on == due_before


def test_seven_photos_are_refused(world, login, media):
    zhang = world.residents["zhang"]
    response = post_visit(login(world.users["grid_worker_1"]), zhang, [photo(size=(40, 30)) for _ in range(7)])
    assert "每条记录最多6张照片。" in response.content.decode()
    assert not Visit.objects.exists() and files_under(media) == []


def test_log_visit_checks_photos_before_writing(world, media):
    with pytest.raises(ValidationError) as exc:
        visit(world.residents["zhang"], 0, photos=[not_an_image()])
    assert exc.value.message_dict == {"photos": ["第1张照片不是有效的图片文件（支持 JPG、PNG、WebP）。"]}
    assert not Visit.objects.exists() and files_under(media) == []


def test_visit_photos_are_private_to_the_residents_grid(world, login, client, media):
    v = visit(world.residents["zhang"], 0, photos=[photo(size=(400, 300))])
    p = photos_of(v).get()
    url = reverse("attachments:photo", args=[p.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert login(world.users["grid_worker_2"]).get(url).status_code == 404
    assert login(world.users["grid_worker_2"]).get(reverse("attachments:photo_thumb", args=[p.pk])).status_code == 404
    response = login(world.users["grid_worker_1"]).get(url)
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (400, 300)


def test_the_photos_appear_on_the_resident_page_timeline(world, login, media):
    zhang = world.residents["zhang"]
    with_photos = visit(zhang, -3, photos=[photo(size=(40, 30)), photo(size=(40, 30))])
    visit(zhang, -1, findings="没有照片的一次")
    client = login(world.users["grid_worker_1"])
    url = reverse("residents:resident_detail", args=[zhang.pk])
    body = client.get(url).content.decode()
    for p in photos_of(with_photos):
        assert f'href="{reverse("attachments:photo", args=[p.pk])}"' in body
        assert f'src="{reverse("attachments:photo_thumb", args=[p.pk])}"' in body
    assert body.count('class="photo-thumbs"') == 1
    # One query for all the visits' photos, however many visits have some.
    for i in range(5):
        visit(zhang, -10 - i, photos=[photo(size=(40, 30))])
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert sum('"attachments_photo"' in q["sql"] for q in queries.captured_queries) == 1


def test_a_successful_visit_tells_the_worklist_to_clear_the_draft(world, login, media):
    zhang = world.residents["zhang"]
    client = login(world.users["grid_worker_1"])
    post_visit(client, zhang)
    key = f"visit-{world.users['grid_worker_1'].pk}-{zhang.pk}"
    body = client.get(reverse("visits:worklist")).content.decode()
    assert f'data-draft-clear="{key}"' in body
    assert "data-draft-clear" not in client.get(reverse("visits:worklist")).content.decode()  # once
