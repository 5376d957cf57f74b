"""A stored photo as an HTTP response, for every page that serves one after deciding the visitor may see it."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.cache import patch_cache_control

from linli.attachments.models import Photo
from linli.core.storage import file_response


def photo_response(photo: Photo, *, thumbnail: bool = False) -> FileResponse:
    """The JPEG of a photo the caller has decided the visitor may see (the staff photo page in linli.attachments.views;
    a reporter's tracking page in linli.tracking.views). Streamed from the media storage, local disk or S3."""
    field = photo.thumbnail if thumbnail else photo.image
    response = file_response(
        field,
        content_type="image/jpeg",
        filename=f"photo-{photo.pk}{'-thumb' if thumbnail else ''}.jpg",
        missing="照片文件已不存在。",
    )
    # Private: browsers may keep it, shared proxies must not. A photo never changes under its id.
    patch_cache_control(response, private=True, max_age=7 * 24 * 3600)
    return response
