"""Issue 14: handlers attach photos when they resolve an appeal and choose who reads each note. Staff see every
photo on the appeal page; the reporter's tracking page shows only the photos, the 办理情况 and the progress notes
marked 向居民公开 (progress notes are internal by default, the 办理情况 public by default)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.appeals import services
from linli.appeals.choices import EventAction, Status
from linli.appeals.models import Appeal, AppealEvent
from linli.attachments.models import Photo
from linli.attachments.tests.images import not_an_image, photo
from linli.tracking.tests.helpers import submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_appeal(aw, client, outbox) -> Appeal:
    """A resident's appeal (the `client` holds its grant), dispatched to 东一物业 and signed by dept_handler."""
    submit(client, outbox, building=aw.buildings["b1"])
    appeal = Appeal.objects.get()
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"), category=aw.category("corridor_light"))
    return services.sign(appeal, actor=aw.actor("dept_handler"))


def resolve_post(handler_client, appeal, **extra):
    data = {"resolve-outcome": "solved", "resolve-resolution": "已更换灯泡，楼道照明恢复", "resolve-explanation": ""}
    data.update(extra)
    return handler_client.post(reverse("appeals:appeal_resolve", args=[appeal.pk]), data)


def status_page(client, appeal) -> str:
    return client.get(reverse("tracking:status", args=[appeal.number])).content.decode()


def as_user(user) -> Client:
    """A separate browser for staff: the `client` fixture is the resident's phone (it holds the appeal's grant)."""
    other = Client()
    other.force_login(user)
    return other


def test_a_handler_resolves_with_photos_the_reporter_sees_when_marked_public(aw, client, outbox):
    appeal = signed_appeal(aw, client, outbox)
    handler = as_user(aw.users["dept_handler"])
    response = resolve_post(
        handler, appeal, **{"resolve-photos": [photo(), photo(color=(0, 200, 0))], "resolve-photos_public": "on"}
    )
    assert response.status_code == 302
    step = AppealEvent.objects.get(appeal=appeal, action=EventAction.RESOLVED)
    photos = list(Photo.objects.order_by("id"))
    assert len(photos) == 2 and all(p.public and p.owner == step for p in photos)

    # Staff: on the appeal page, served by the attachments view; a handler of another organisation: 404.
    staff_page = as_user(aw.users["secretary"]).get(reverse("appeals:appeal_detail", args=[appeal.pk]))
    assert reverse("attachments:photo_thumb", args=[photos[0].pk]) in staff_page.content.decode()
    assert as_user(aw.users["secretary"]).get(reverse("attachments:photo", args=[photos[0].pk])).status_code == 200
    assert as_user(aw.users["water_handler"]).get(reverse("attachments:photo", args=[photos[0].pk])).status_code == 404

    # The reporter (their session holds the appeal's grant) sees them; a stranger gets nothing.
    page = status_page(client, appeal)
    thumb = reverse("tracking:photo_thumb", args=[appeal.number, photos[0].pk])
    assert thumb in page and "已更换灯泡，楼道照明恢复" in page
    response = client.get(reverse("tracking:photo", args=[appeal.number, photos[1].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Client().get(thumb).status_code == 404


def test_photos_not_marked_public_stay_with_staff(aw, client, outbox):
    appeal = signed_appeal(aw, client, outbox)
    services.resolve(appeal, actor=aw.actor("dept_handler"), outcome="solved", resolution="已修好", photos=[photo()])
    only = Photo.objects.get()
    assert only.public is False
    page = status_page(client, appeal)
    assert 'data-testid="result-photos"' not in page
    assert client.get(reverse("tracking:photo_thumb", args=[appeal.number, only.pk])).status_code == 404
    # Only 办结照片 of the appeal's own steps are served there, never another record's photo by its id.
    from linli.attachments.services import attach_photos

    (elsewhere,) = attach_photos(aw.buildings["b1"], [photo()], actor=aw.actor("staff"), public=True)
    assert client.get(reverse("tracking:photo", args=[appeal.number, elsewhere.pk])).status_code == 404


def test_a_bad_photo_refuses_the_resolve_and_changes_nothing(aw, client, outbox):
    appeal = signed_appeal(aw, client, outbox)
    handler = as_user(aw.users["dept_handler"])
    response = resolve_post(handler, appeal, **{"resolve-photos": [photo(), not_an_image()]})
    assert response.status_code == 400
    assert "第2张照片不是有效的图片文件" in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == Status.IN_PROGRESS
    assert not Photo.objects.exists() and not appeal.events.filter(action=EventAction.RESOLVED).exists()


def test_progress_notes_are_internal_by_default_and_public_when_chosen(aw, client, outbox):
    appeal = signed_appeal(aw, client, outbox)
    handler = as_user(aw.users["dept_handler"])
    html = handler.get(reverse("appeals:appeal_detail", args=[appeal.pk])).content.decode()
    assert "办理进展默认内部可见" in html
    assert 'name="progress-visibility" value="internal" id="id_progress-visibility_0" checked' in html
    assert "办理情况默认向反映人公开" in html and "照片向反映人公开" in html
    assert "将在公开页面和12345/Open311接口中公开" in html  # 公开答复: the whole public, labelled apart

    url = reverse("appeals:appeal_progress", args=[appeal.pk])
    assert handler.post(url, {"progress-note": "物业经理说住户难沟通"}).status_code == 302
    assert (
        handler.post(url, {"progress-note": "灯泡已订购，明天上门", "progress-visibility": "public"}).status_code == 302
    )
    notes = dict(appeal.events.filter(action=EventAction.PROGRESS).values_list("note", "public"))
    assert notes == {"物业经理说住户难沟通": False, "灯泡已订购，明天上门": True}

    page = status_page(client, appeal)
    assert "灯泡已订购，明天上门" in page and "住户难沟通" not in page


def test_an_internal_resolution_stays_off_the_tracking_page(aw, client, outbox):
    appeal = signed_appeal(aw, client, outbox)
    handler = as_user(aw.users["dept_handler"])
    response = resolve_post(
        handler,
        appeal,
        **{
            "resolve-outcome": "partly",
            "resolve-resolution": "业主拒绝入户，维修师傅说此户难缠",
            "resolve-explanation": "公共部分的灯已修好，户内线路需您自行联系电工。",
            "resolve-resolution_visibility": "internal",
        },
    )
    assert response.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).resolution_public is False
    page = status_page(client, appeal)
    assert "此户难缠" not in page and "户内线路需您自行联系电工" in page


def test_a_note_cannot_be_both_staff_only_and_public(aw, client, outbox):
    from django.core.exceptions import ValidationError

    appeal = signed_appeal(aw, client, outbox)
    with pytest.raises(ValidationError, match="不能同时向居民公开"):
        services.add_progress(appeal, actor=aw.actor("staff"), note="x", internal=True, public=True)
