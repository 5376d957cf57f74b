"""Attaching and deleting photos.

Every upload is checked and re-encoded in memory before anything is written: a bad photo refuses the
whole batch and leaves no row and no file. Re-encoding is also the privacy step: phone photos carry
GPS coordinates and camera data in EXIF/XMP, and the stored JPEG carries none of it.

Files are written after validation, inside the caller's transaction. If anything in attach_photos
fails, the files it wrote are deleted at once; callers should attach photos as the last write of
their transaction (as visits.services.log_visit does), so that a later failure cannot leave files
behind. Deleted photos lose their files only once the deletion commits.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from PIL import Image, ImageOps

from linli.attachments.models import Photo
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction

MAX_PHOTOS_PER_OWNER = 6
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
#: Long side of the stored photo and of its thumbnail, in pixels.
MAX_SIDE = 1600
THUMB_SIDE = 320
JPEG_QUALITY = 82
THUMB_QUALITY = 75
#: Formats accepted as uploaded (HEIC is not: phones convert to JPEG when a browser uploads).
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
#: A 48-megapixel phone camera is 8000 x 6000; far larger is a decompression bomb, not a photo.
MAX_PIXELS = 64_000_000

NOT_AN_IMAGE = "第{n}张照片不是有效的图片文件（支持 JPG、PNG、WebP）。"
TOO_LARGE = "第{n}张照片太大了，单张不超过15MB。"
TOO_MANY = "每条记录最多{max}张照片。"


@dataclass
class _Encoded:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _flatten(img: Image.Image) -> Image.Image:
    """RGB; transparent areas (PNG, WebP) become white rather than black."""
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")


def _jpeg(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # exif=b"" and an empty info dict: nothing from the original (EXIF, XMP, comments) is written.
    img.info = {}
    img.save(out, "JPEG", quality=quality, optimize=True, exif=b"")
    return out.getvalue()


def _encode(upload, n: int) -> _Encoded:
    """Check one upload and re-encode it; ValidationError with the photo's number when it is not a usable image."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE.format(n=n))
    try:
        upload.seek(0)
        with Image.open(upload) as original:
            if original.format not in ACCEPTED_FORMATS:
                raise ValidationError(NOT_AN_IMAGE.format(n=n))
            if original.width * original.height > MAX_PIXELS:
                raise ValidationError(TOO_LARGE.format(n=n))
            # JPEG only: let the decoder scale down by 1/2, 1/4, 1/8 while the long side stays >= MAX_SIDE
            # (a 48 MP photo then never needs its full 150 MB in memory).
            scale = MAX_SIDE / max(original.size)
            if scale < 1:
                original.draft(
                    "RGB", (max(1, int(original.width * scale) + 1), max(1, int(original.height * scale) + 1))
                )
            img = ImageOps.exif_transpose(original)  # applies Orientation, returns a loaded copy
            img = _flatten(img)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(TOO_LARGE.format(n=n))
    except Exception:  # Pillow raises many kinds (UnidentifiedImageError, truncated data, bombs, struct errors)
        raise ValidationError(NOT_AN_IMAGE.format(n=n))
    finally:
        upload.seek(0)
    img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = img.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return _Encoded(
        image=_jpeg(img, JPEG_QUALITY), thumbnail=_jpeg(thumb, THUMB_QUALITY), width=img.width, height=img.height
    )


def photos_of(owner):
    """The photos attached to `owner`, oldest first."""
    return Photo.objects.filter(content_type=ContentType.objects.get_for_model(type(owner)), object_id=owner.pk)


def attach_photo_lists(owners) -> list:
    """Set `attached_photos` on each of `owners` (model instances of one type) with one query; returns them."""
    owners = list(owners)
    if not owners:
        return owners
    ct = ContentType.objects.get_for_model(type(owners[0]))
    by_owner: dict[int, list[Photo]] = {}
    for photo in Photo.objects.filter(content_type=ct, object_id__in=[o.pk for o in owners]):
        by_owner.setdefault(photo.object_id, []).append(photo)
    for owner in owners:
        owner.attached_photos = by_owner.get(owner.pk, [])
    return owners


def _labels(photos) -> list[str]:
    return [str(p) for p in photos]


@dataclass
class PreparedPhotos:
    """Uploads already checked and re-encoded in memory, ready to attach."""

    encoded: list[_Encoded]

    def __len__(self):
        return len(self.encoded)


def prepare_photos(files) -> PreparedPhotos:
    """Check and re-encode uploads without writing anything (ValidationError on the first bad one).

    A service that creates the owner calls this before its first write, then attach_photos(owner, prepared).
    """
    if isinstance(files, PreparedPhotos):
        return files
    files = [f for f in files or () if f]
    if len(files) > MAX_PHOTOS_PER_OWNER:
        raise ValidationError(TOO_MANY.format(max=MAX_PHOTOS_PER_OWNER))
    return PreparedPhotos([_encode(f, n) for n, f in enumerate(files, start=1)])


@transaction.atomic
def attach_photos(owner, files, *, actor: Actor, caption: str = "", public: bool = False) -> list[Photo]:
    """Check, normalise and store `files` (uploads, file objects, or PreparedPhotos) as photos of `owner`.

    All or nothing: any bad file raises ValidationError (a Chinese message naming the photo) before a
    single file or row is written. The caller decides who may attach to `owner`, and with `public` whether the
    record's reporter may see them (an appeal's tracking page shows only public photos).
    """
    prepared = prepare_photos(files)
    if not prepared:
        return []
    ct = ContentType.objects.get_for_model(type(owner))
    existing = list(Photo.objects.filter(content_type=ct, object_id=owner.pk))
    if len(existing) + len(prepared) > MAX_PHOTOS_PER_OWNER:
        raise ValidationError(TOO_MANY.format(max=MAX_PHOTOS_PER_OWNER))
    encoded = prepared.encoded

    storage = Photo._meta.get_field("image").storage
    folder = f"photos/{timezone.localdate():%Y/%m}"
    user = actor.user if getattr(actor.user, "pk", None) else None
    written: list[str] = []
    photos: list[Photo] = []
    try:
        for enc in encoded:
            stem = f"{folder}/{uuid.uuid4().hex}"
            image_name = storage.save(f"{stem}.jpg", ContentFile(enc.image))
            written.append(image_name)
            thumb_name = storage.save(f"{stem}_thumb.jpg", ContentFile(enc.thumbnail))
            written.append(thumb_name)
            photos.append(
                Photo.objects.create(
                    content_type=ct,
                    object_id=owner.pk,
                    uploaded_by=user,
                    image=image_name,
                    thumbnail=thumb_name,
                    width=enc.width,
                    height=enc.height,
                    bytes=len(enc.image),
                    caption=(caption or "").strip()[:200],
                    public=public,
                )
            )
        audit.record(
            owner,
            ChangeAction.UPDATE,
            {"照片": _labels(existing)},
            {"照片": _labels(existing + photos)},
            actor,
            note=f"添加{len(photos)}张照片",
        )
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return photos


def _check_can_delete(photo: Photo, owner, user) -> None:
    """The owner must be in the user's scope (404 otherwise); the uploader, or a role that may change the owner."""
    manager = getattr(type(owner), "objects", None)
    if owner is None or not hasattr(manager, "restrict"):
        raise Http404("找不到这张照片。")
    if not manager.restrict(user, "view").filter(pk=owner.pk).exists():
        raise Http404("不在您的管辖范围内。")
    if user.is_superuser or photo.uploaded_by_id == user.pk:
        return
    if not manager.restrict(user, "change").filter(pk=owner.pk).exists():
        raise PermissionDenied("只能删除自己上传的照片。")


@transaction.atomic
def delete_photo(photo: Photo, *, actor: Actor) -> None:
    """Remove a photo; its files go once the deletion has committed (a rollback keeps them)."""
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    owner = photo.owner
    if actor.user is not None:
        _check_can_delete(photo, owner, actor.user)
    before = list(photos_of(owner)) if owner is not None else [photo]
    storage = Photo._meta.get_field("image").storage
    names = [photo.image.name, photo.thumbnail.name]
    label = str(photo)
    photo.delete()
    if owner is not None:
        after = [p for p in before if str(p) != label]
        audit.record(owner, ChangeAction.UPDATE, {"照片": _labels(before)}, {"照片": _labels(after)}, actor)
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])
