"""What the media storage holds against what the database names (`linli media-check`), and whether a bucket
answers strangers (the privacy probe).

Referenced: every non-empty FileField of every model (photos and thumbnails, certificate PDFs, mediation scans,
import files). Generated files that no row names (notices read aloud, made again on demand) are neither missing nor
orphans. The upload spool (FILE_UPLOAD_TEMP_DIR inside the local media folder) is not media.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from linli.core import storage

#: Files made from other data on demand, named by no row.
GENERATED_PREFIXES = ("notices/audio/",)


@dataclass
class MediaReport:
    referenced: int = 0
    stored: int = 0
    missing: list[str] = field(default_factory=list)  # named by a row, not in the storage
    orphans: list[str] = field(default_factory=list)  # in the storage, named by no row


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """(model, field) of every concrete FileField stored in the media storage."""
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField) and storage._unwrap(f.storage) is storage._unwrap(None):
                found.append((model, f))
    return found


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, f in file_fields():
        rows = model._base_manager.exclude(**{f.name: ""}).exclude(**{f"{f.name}__isnull": True})
        names.update(rows.values_list(f.name, flat=True).iterator(chunk_size=5000))
    return names


def _spool_prefix() -> str | None:
    """The upload spool as a name prefix of the local media storage (None when it lies elsewhere or media are S3)."""
    if storage.is_s3():
        return None
    root = os.path.realpath(settings.MEDIA_ROOT)
    spool = os.path.realpath(settings.FILE_UPLOAD_TEMP_DIR or "")
    if spool.startswith(root + os.sep):
        return os.path.relpath(spool, root).replace(os.sep, "/") + "/"
    return None


def media_names(*, generated: bool = True) -> Iterator[str]:
    """Every media file's name (the disk or the bucket), without the local upload spool; without the generated
    files when `generated` is False. What a backup copies: open each with default_storage.open(name, "rb")."""
    skip = tuple(p for p in ((() if generated else GENERATED_PREFIXES) + (_spool_prefix(),)) if p)
    return (name for name in storage.names() if not (skip and name.startswith(skip)))


def check_media() -> MediaReport:
    referenced = referenced_names()
    stored = set(media_names(generated=False))
    return MediaReport(
        referenced=len(referenced),
        stored=len(stored),
        missing=sorted(referenced - stored),
        orphans=sorted(stored - referenced),
    )


def probe_privacy() -> int:
    """Store a probe object, GET its plain URL with no signature, delete it; the HTTP status a stranger gets
    (403 expected). Only for S3."""
    s3 = storage._unwrap(None)
    name = default_storage.save(f"linli-probe/{uuid.uuid4().hex}.txt", ContentFile(b"linli privacy probe"))
    try:
        client = s3.unsigned_connection.meta.client
        url = client.generate_presigned_url(
            "get_object", Params={"Bucket": s3.bucket_name, "Key": storage._key(s3, name)}, ExpiresIn=60
        )
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
    finally:
        default_storage.delete(name)
