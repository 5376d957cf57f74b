"""Where media live (the local disk, or S3-compatible object storage) and how a private file leaves them.

Every file Linli keeps (visit and appeal photos, certificate PDFs, signed mediation scans, ledgers waiting to be
imported, notices read aloud) goes through Django's storage API — the field's storage or `default_storage`: save,
open, delete, exists, size, listdir — never a path on the disk, so that LINLI_MEDIA_STORAGE=s3 (linli/settings.py,
docs/storage.md) moves them all to a bucket and a web worker or a Celery worker on another machine reads the same
files.

Media are private: there is no media URL and no public bucket. A page that shows a file decides first whether the
visitor may see it, then streams it with `file_response`: from the disk as before, or from the bucket chunk by chunk
(one GET, its Content-Length passed on, the object never read whole into memory).

The deploy checks (`linli check --deploy`) refuse a public object ACL and unsigned URLs, and warn when media are on
the local disk of one of several web machines.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.core import checks
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

#: ACLs that would let someone other than the bucket's owner read an object.
PUBLIC_ACLS = ("public-read", "public-read-write", "authenticated-read")
#: The longest life of a signed URL we accept without a warning (Linli streams; a signed URL is never handed out).
SIGNED_URL_MAX_SECONDS = 300


def _unwrap(storage):
    """The storage itself: default_storage (a lazy object) set up and unwrapped."""
    from django.utils.functional import LazyObject, empty

    storage = default_storage if storage is None else storage
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage


def is_s3(storage=None) -> bool:
    """The storage (default: the media storage) is django-storages' S3 backend."""
    storage = _unwrap(storage)
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is pinned
        return False
    return isinstance(storage, S3Storage)


def _key(storage, name: str) -> str:
    """The object key of `name` (the storage's prefix, LINLI_S3_PREFIX, joined in)."""
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(name))


def _not_found(exc) -> bool:
    error = getattr(exc, "response", {}) or {}
    return error.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound") or (
        error.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404
    )


def _s3_get(storage, name: str, first: int | None = None, last: int | None = None) -> dict:
    """One GET of the object (bytes first..last when given); FileNotFoundError when it does not exist."""
    from botocore.exceptions import ClientError

    request = {"Bucket": storage.bucket_name, "Key": _key(storage, name)}
    if first is not None:
        request["Range"] = f"bytes={first}-{'' if last is None else last}"
    try:
        return storage.connection.meta.client.get_object(**request)
    except ClientError as exc:
        if _not_found(exc):
            raise FileNotFoundError(name) from exc
        raise


def _where(file, storage):
    """(storage, name) of a FieldFile, or of a name in `storage` (default: the media storage)."""
    if isinstance(file, str):
        return _unwrap(storage), file
    return _unwrap(file.storage), file.name


def file_response(
    file,
    *,
    storage=None,
    content_type: str | None = None,
    filename: str = "",
    as_attachment: bool = False,
    missing: str = "文件已不存在。",
) -> FileResponse:
    """Stream a stored file to a visitor the caller has already allowed to see it.

    `file` is a FieldFile (photo.image, certificate.pdf) or a name in `storage`. The response has the file's
    Content-Length and, with `filename`, its Content-Disposition (inline unless `as_attachment`) and a type
    guessed from it when `content_type` is not given. A missing file is a 404 with `missing`, not a 500.
    """
    storage, name = _where(file, storage)
    if not name:
        raise Http404(missing)
    try:
        if is_s3(storage):
            got = _s3_get(storage, name)
            body = got["Body"]  # botocore's StreamingBody: read in blocks as the response is sent
            response = FileResponse(body, content_type=content_type, filename=filename, as_attachment=as_attachment)
            response["Content-Length"] = str(got["ContentLength"])
            return response
        handle = storage.open(name, "rb")
    except (FileNotFoundError, ValueError):
        raise Http404(missing)
    return FileResponse(handle, content_type=content_type, filename=filename, as_attachment=as_attachment)


def read_range(name: str, first: int, last: int, *, storage=None) -> bytes:
    """Bytes first..last (inclusive) of a stored file: one ranged GET on S3, a seek on the disk."""
    storage = _unwrap(storage)
    if is_s3(storage):
        got = _s3_get(storage, name, first, last)
        with got["Body"] as body:
            return body.read()
    with storage.open(name, "rb") as handle:
        handle.seek(first)
        return handle.read(last - first + 1)


def names(prefix: str = "", *, storage=None) -> Iterator[str]:
    """Every stored name that starts with `prefix` ("notices/audio/TZ1-", "photos/", "" for all), in any order.

    On S3 one listing of the prefix (1,000 keys per request), whatever the folders; on the disk a walk of the
    prefix's folder. The backup reads the media through this and `storage.open`.
    """
    storage = _unwrap(storage)
    if is_s3(storage):
        location = storage.location.strip("/")
        start = f"{location}/" if location else ""
        paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=start + prefix):
            for item in page.get("Contents", ()):
                yield item["Key"][len(start) :]
        return
    folder = prefix.rpartition("/")[0]
    yield from (n for n in _walk(storage, folder) if n.startswith(prefix))


def _walk(storage, folder: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    base = f"{folder}/" if folder else ""
    for name in files:
        yield base + name
    for sub in dirs:
        yield from _walk(storage, base + sub)


# --------------------------------------------------------------------------- deploy checks


@checks.register(checks.Tags.security, deploy=True)
def check_media_storage(app_configs=None, **kwargs):
    """Media stay private on S3 (no public ACL, no unsigned URLs, short signed ones) and are shared between web
    machines (local media on several machines would each keep their own files)."""
    problems = []
    if is_s3():
        storage = _unwrap(None)
        if not storage.bucket_name:
            problems.append(
                checks.Error(
                    "媒体存储为 S3，但没有设置存储桶（LINLI_S3_BUCKET）。",
                    id="linli.storage.E001",
                )
            )
        if (storage.default_acl or "").lower() in PUBLIC_ACLS:
            problems.append(
                checks.Error(
                    f"媒体文件的 ACL 是 {storage.default_acl}：任何人都能读取居民的照片和台账。",
                    hint="设置 LINLI_S3_ACL=private（或 none，由私有存储桶决定）。",
                    id="linli.storage.E002",
                )
            )
        if not storage.querystring_auth or storage.custom_domain:
            problems.append(
                checks.Error(
                    "媒体存储会生成不带签名的公开地址（querystring_auth 关闭或设置了 custom_domain）。",
                    hint="媒体文件只能经由邻里的权限检查后提供：去掉 custom_domain，保持 querystring_auth=True。",
                    id="linli.storage.E003",
                )
            )
        elif int(storage.querystring_expire or 0) > SIGNED_URL_MAX_SECONDS:
            problems.append(
                checks.Warning(
                    f"签名地址的有效期是 {storage.querystring_expire} 秒，过长。",
                    hint=f"不超过 {SIGNED_URL_MAX_SECONDS} 秒（默认 60 秒）。",
                    id="linli.storage.W002",
                )
            )
    elif int(getattr(settings, "LINLI_WEB_HOSTS", 1) or 1) > 1:
        problems.append(
            checks.Warning(
                f"有 {settings.LINLI_WEB_HOSTS} 台 Web 服务器，但媒体文件保存在本机磁盘"
                f"（{settings.MEDIA_ROOT}）：各台机器看到的照片和导入文件不同。",
                hint="设置 LINLI_MEDIA_STORAGE=s3（MinIO 或其他 S3 兼容存储，见 docs/storage.md）；"
                "若 LINLI_MEDIA_ROOT 是各台共享的网络磁盘，可在 SILENCED_SYSTEM_CHECKS 中忽略 linli.storage.W001。",
                id="linli.storage.W001",
            )
        )
    return problems
