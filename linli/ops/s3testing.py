"""A local S3-compatible server for the tests: moto's ThreadedMotoServer (moto[server], a dev dependency), an HTTP
server in this process on 127.0.0.1 with a free port that speaks the S3 API (signed requests, ACLs, ranges,
listings). Not a stub of boto3: Linli's storage goes over HTTP to it, as to MinIO.

    from linli.ops.s3testing import s3_media, s3_server  # noqa: F401  (fixtures)

    def test_something(s3_media):  # the media storage is S3 on a fresh private bucket
        s3_media.client.head_object(Bucket=s3_media.bucket, Key=s3_media.key("photos/…"))

The STORAGES entry comes from linli/settings.py itself, loaded with LINLI_MEDIA_STORAGE=s3 and the server's
address: the tests run the options production runs. Tests are skipped, with the reason, when moto cannot start.
"""

from __future__ import annotations

import itertools
import runpy
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest

ACCESS_KEY = "linli-test-access"
SECRET_KEY = "linli-test-secret"
PREFIX = "linli-media"
_buckets = itertools.count(1)


@dataclass
class S3Media:
    """The S3 media storage of one test: the server's address, its bucket and a boto3 client (signed)."""

    endpoint: str
    bucket: str
    client: object
    options: dict

    def key(self, name: str) -> str:
        """The object key of a stored name (LINLI_S3_PREFIX joined in)."""
        return f"{PREFIX}/{name}"

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", ()))

    def body(self, name: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self.key(name))["Body"].read()

    def anonymous_get(self, name: str) -> int:
        """The status of a plain GET of the object's URL, without signature or credentials (as anyone on the net)."""
        url = f"{self.endpoint}/{self.bucket}/{urllib.parse.quote(self.key(name))}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of a moto S3 server, started once for the session."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # pragma: no cover - moto[server] is a dev dependency
        pytest.skip(f"moto 的 S3 服务器无法导入：{exc}")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    try:
        server.start()
        host, port = server.get_host_and_port()
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"moto 的 S3 服务器无法启动：{exc}")
    yield f"http://{host}:{port}"
    server.stop()


def s3_settings(endpoint: str, bucket: str, monkeypatch, **env) -> dict:
    """linli/settings.py's STORAGES["default"] with LINLI_MEDIA_STORAGE=s3 towards `endpoint`."""
    import linli.settings

    values = {
        "LINLI_MEDIA_STORAGE": "s3",
        "LINLI_S3_BUCKET": bucket,
        "LINLI_S3_ENDPOINT_URL": endpoint,
        "LINLI_S3_REGION": "us-east-1",
        "LINLI_S3_ACCESS_KEY": ACCESS_KEY,
        "LINLI_S3_SECRET_KEY": SECRET_KEY,
        "LINLI_S3_PREFIX": PREFIX,
        **env,
    }
    with monkeypatch.context() as patched:
        for name, value in values.items():
            patched.setenv(name, value)
        return runpy.run_path(linli.settings.__file__)["STORAGES"]["default"]


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch, tmp_path):
    """The media storage is S3 (moto's server) on a new private bucket for this test; the local media folder keeps
    only the upload spool."""
    import boto3

    bucket = f"linli-test-{next(_buckets)}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=bucket)
    default = s3_settings(s3_server, bucket, monkeypatch)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")
    (tmp_path / "media" / "tmp").mkdir(parents=True)
    settings.STORAGES = {**settings.STORAGES, "default": default}
    yield S3Media(endpoint=s3_server, bucket=bucket, client=client, options=default["OPTIONS"])
