"""LINLI_MEDIA_STORAGE: the local disk by default (as before), S3 private and signed when asked, refused when
misconfigured; the deploy checks of `linli check --deploy` for media."""

from __future__ import annotations

import runpy

import pytest

import linli.settings
from linli.core import storage
from linli.ops.s3testing import s3_settings

S3_ENV = {"LINLI_MEDIA_STORAGE": "s3", "LINLI_S3_BUCKET": "linli-media"}


def load(monkeypatch, **env):
    for name in ("LINLI_MEDIA_STORAGE", "LINLI_S3_BUCKET", "LINLI_S3_ENDPOINT_URL", "LINLI_S3_ACL", "LINLI_WEB_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(linli.settings.__file__)


def test_the_local_disk_is_the_default(monkeypatch):
    loaded = load(monkeypatch)
    assert loaded["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert loaded["LINLI_MEDIA_STORAGE"] == "local" and not storage.is_s3()


def test_s3_is_private_signed_short_lived_and_never_overwrites(monkeypatch):
    options = s3_settings("http://minio.local:9000", "linli-media", monkeypatch)["OPTIONS"]
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["querystring_expire"] == 60 and options["custom_domain"] is None
    assert options["file_overwrite"] is False and options["location"] == "linli-media"
    assert options["endpoint_url"] == "http://minio.local:9000"
    assert options["client_config"].s3 == {"addressing_style": "path"}  # MinIO's single host name


def test_an_acl_of_none_sends_no_acl_and_oss_may_ask_for_virtual_hosts(monkeypatch):
    loaded = load(monkeypatch, **S3_ENV, LINLI_S3_ACL="none", LINLI_S3_ADDRESSING_STYLE="virtual")
    options = loaded["STORAGES"]["default"]["OPTIONS"]
    assert options["default_acl"] is None and options["client_config"].s3 == {"addressing_style": "virtual"}


def test_it_refuses_s3_without_a_bucket(monkeypatch):
    with pytest.raises(RuntimeError, match="LINLI_S3_BUCKET"):
        load(monkeypatch, LINLI_MEDIA_STORAGE="s3")


def test_it_refuses_an_unknown_media_storage(monkeypatch):
    with pytest.raises(RuntimeError, match="local 或 s3"):
        load(monkeypatch, LINLI_MEDIA_STORAGE="ftp")


def ids(settings_override, settings) -> list[str]:
    settings.STORAGES = {**settings.STORAGES, "default": settings_override}
    return [problem.id for problem in storage.check_media_storage()]


def s3(**options) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "linli-media",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            **options,
        },
    }


def test_the_deploy_check_is_clean_for_private_s3_and_for_one_machine_on_the_disk(settings):
    settings.LINLI_WEB_HOSTS = 1
    assert ids({"BACKEND": "django.core.files.storage.FileSystemStorage"}, settings) == []
    assert ids(s3(), settings) == []


def test_the_deploy_check_refuses_a_public_acl(settings):
    assert ids(s3(default_acl="public-read"), settings) == ["linli.storage.E002"]
    problem = storage.check_media_storage()[0]
    assert "任何人都能读取" in problem.msg and problem.is_serious()


def test_the_deploy_check_refuses_unsigned_urls_and_a_public_domain(settings):
    assert ids(s3(querystring_auth=False), settings) == ["linli.storage.E003"]
    assert ids(s3(custom_domain="media.example.gov.cn"), settings) == ["linli.storage.E003"]


def test_the_deploy_check_warns_of_long_lived_signed_urls(settings):
    assert ids(s3(querystring_expire=3600), settings) == ["linli.storage.W002"]


def test_the_deploy_check_warns_of_local_media_on_several_web_machines(settings):
    settings.LINLI_WEB_HOSTS = 3
    assert ids({"BACKEND": "django.core.files.storage.FileSystemStorage"}, settings) == ["linli.storage.W001"]
    assert ids(s3(), settings) == []


def test_the_check_is_registered_for_deploy_only():
    from django.core.checks.registry import registry

    assert storage.check_media_storage in registry.get_checks(include_deployment_checks=True)
    assert storage.check_media_storage not in registry.get_checks(include_deployment_checks=False)
