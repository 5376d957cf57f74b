"""The files for a real server (deploy/): the nginx site passes `nginx -t` (with a self-signed certificate and
temporary paths), and the systemd units start the right programs with the hardening options."""

from __future__ import annotations

import configparser
import datetime
import http.client
import logging
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
NGINX = "/usr/sbin/nginx"


def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "linli.example.gov.cn")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def nginx_config(tmp_path: Path, *, http_port: int, https_port: int, upstream_port: int) -> Path:
    """deploy/nginx/linli.conf with temporary ports, certificate and paths, inside a minimal nginx.conf."""
    cert, key = self_signed(tmp_path)
    site = (DEPLOY / "nginx" / "linli.conf").read_text()
    site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.M)  # IPv6 may be off in a container
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
    site = site.replace("/etc/ssl/linli/fullchain.pem", str(cert)).replace("/etc/ssl/linli/privkey.pem", str(key))
    (tmp_path / "linli.conf").write_text(site)
    temp = {name: tmp_path / name for name in ("client", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp["client"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {tmp_path}/linli.conf;
}}
"""
    )
    return conf


def test_the_nginx_site_passes_nginx_t(tmp_path):
    if not Path(NGINX).exists():
        pytest.skip(f"{NGINX} is not installed (Makefile's DEBIAN_PROD: apt-get install nginx)")
    conf = nginx_config(tmp_path, http_port=18080, https_port=18443, upstream_port=18000)
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_nginx_site_sets_the_forwarded_headers_and_has_no_media_alias():
    site = (DEPLOY / "nginx" / "linli.conf").read_text()
    directives = [line.split("#")[0].strip() for line in site.splitlines()]
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in directives  # set, not appended to the client's
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in directives
    assert any(d.startswith("client_max_body_size") for d in directives)
    assert not any("/media" in d or d.startswith(("alias", "root")) for d in directives)


def read_unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "systemd" / name)
    return unit


@pytest.mark.parametrize(
    "name, program",
    [
        ("linli-web.service", "/opt/linli/.venv/bin/gunicorn -c python:linli.ops.gunicorn_conf linli.wsgi:application"),
        ("linli-worker.service", "/opt/linli/.venv/bin/celery -A linli worker "),
        ("linli-beat.service", "/opt/linli/.venv/bin/celery -A linli beat "),
    ],
)
def test_each_unit_starts_its_program_hardened_with_the_environment_file(name, program):
    service = read_unit(name)["Service"]
    assert service["ExecStart"].startswith(program)
    assert service["User"] == "linli" and service["EnvironmentFile"] == "/etc/linli/linli.env"
    assert service["NoNewPrivileges"] == "true" and service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/var/lib/linli" and service["PrivateTmp"] == "true"
    if name == "linli-beat.service":
        assert "--schedule=/var/lib/linli/" in service["ExecStart"]  # the schedule file is written: the data dir
    if name == "linli-web.service":
        assert service["ExecStartPre"] == "/opt/linli/.venv/bin/linli serve --check"


def test_systemd_finds_nothing_wrong_with_the_units_but_the_missing_install():
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    units = sorted(str(p) for p in (DEPLOY / "systemd").iterdir())
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60)
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip()
        # Expected on a machine where Linli is not installed in /opt/linli, and where PID 1 is not systemd.
        and "/opt/linli/.venv/bin/" not in line
        and "not booted with systemd" not in line.lower()
        and "linli.target" not in line
    ]
    assert complaints == []


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_behind_the_nginx_site_the_logged_client_is_the_real_one_not_what_it_forwarded(tmp_path, live_server, settings):
    """End to end: a client at 127.0.0.2 sends its own X-Forwarded-For through deploy/nginx/linli.conf (HTTPS,
    self-signed) to Linli (the test's live server), which trusts nginx at 127.0.0.1 only. nginx sets the header to
    the address it saw, so the request log names 127.0.0.2, never the forged 203.0.113.9."""
    if not Path(NGINX).exists():
        pytest.skip(f"{NGINX} is not installed (Makefile's DEBIAN_PROD: apt-get install nginx)")
    settings.LINLI_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "linli.example.gov.cn"]
    upstream = int(live_server.url.rsplit(":", 1)[1])
    https_port = _free_port()
    conf = nginx_config(tmp_path, http_port=_free_port(), https_port=https_port, upstream_port=upstream)
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf)], stderr=subprocess.PIPE)
    records = _Records()
    request_log = logging.getLogger("linli.request")
    old_level = request_log.level
    request_log.setLevel(logging.INFO)
    request_log.addHandler(records)
    try:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the test's self-signed certificate
        for _ in range(100):  # nginx starts in a few milliseconds
            try:
                conn = http.client.HTTPSConnection(
                    "127.0.0.1", https_port, source_address=("127.0.0.2", 0), context=context, timeout=10
                )
                conn.request(
                    "GET",
                    "/nginx-e2e-probe/",
                    headers={"Host": "linli.example.gov.cn", "X-Forwarded-For": "203.0.113.9"},
                )
                status = conn.getresponse().status
                conn.close()
                break
            except ConnectionRefusedError:
                time.sleep(0.05)
        else:
            pytest.fail("nginx did not start: " + (tmp_path / "error.log").read_text())
    finally:
        request_log.removeHandler(records)
        request_log.setLevel(old_level)
        nginx.terminate()
        nginx.wait(timeout=10)
    assert status == 404
    logged = [r for r in records.records if r.status == 404]  # the probe: no other request reached Linli
    assert [r.client_ip for r in logged] == ["127.0.0.2"]
