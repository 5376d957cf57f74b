"""The restore drill: back up a small world with a photo, restore it into a fresh database in another process,
compare every table's row count and the registry checksum; a wrong key or a changed byte writes nothing."""

from __future__ import annotations

import base64
import os
import sqlite3
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from linli.ops import backup
from linli.testing import build_world

KEY = base64.b64encode(bytes(range(32))).decode()
WRONG_KEY = base64.b64encode(bytes(range(5, 37))).decode()
PROJECT = Path(__file__).resolve().parents[3]


@pytest.fixture
def backed_up(settings, tmp_path):
    """A world, a photo and a spooled upload in media, and the archive of it all (written in this process)."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")
    settings.LINLI_BACKUP_KEY = KEY
    build_world()
    default_storage.save("photos/2025/visit.jpg", ContentFile(b"\xff\xd8jpeg-bytes"))
    default_storage.save("tmp/upload-in-progress.xlsx", ContentFile(b"half an upload"))
    archive = tmp_path / "out" / "drill.lbk"
    call_command("backup", output=str(archive), stdout=open(os.devnull, "w"))
    return archive


@pytest.fixture
def on_sqlite(transactional_db):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite drill; PostgreSQL has its own")


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL drill")


def run_linli(*args, env_extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DATABASE_URL"))}
    env.update({"PYTHONPATH": str(PROJECT), **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "linli", *args], env=env, capture_output=True, text=True, timeout=300, cwd=PROJECT
    )


def source_figures():
    counts, checksum = backup.live_figures()
    return counts, checksum


@pytest.mark.django_db(transaction=True)
def test_the_archive_is_private_and_a_changed_byte_a_database_in_use_or_another_engine_are_refused(backed_up, tmp_path):
    assert stat.S_IMODE(backed_up.stat().st_mode) == 0o600
    blob = backed_up.read_bytes()
    for key in (base64.b64decode(KEY), KEY.encode(), *settings.LINLI_FIELD_KEYS.values(), settings.LINLI_HASH_KEY):
        assert key not in blob
    assert b"visit.jpg" not in blob  # names are encrypted too
    assert not list((Path(settings.VAR_DIR) / "backup-tmp").iterdir())  # the clear dump is gone
    before = source_figures()

    changed = bytearray(blob)
    changed[len(changed) // 2] ^= 0x40
    tampered = tmp_path / "tampered.lbk"
    tampered.write_bytes(bytes(changed))
    with pytest.raises(CommandError, match="已损坏或被改动"):
        call_command("restore", str(tampered), yes=True, replace=True)
    assert source_figures() == before
    assert not list((Path(settings.VAR_DIR) / "backup-tmp").iterdir())

    with pytest.raises(CommandError, match="目标数据库不是空的.*--replace"):
        call_command("restore", str(backed_up), yes=True)
    assert source_figures() == before

    manifest = backup.unpack(backed_up, backup.backup_key(), tmp_path / "unpacked")
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(backup.BackupError, match="数据库类型不同"):
        backup.check_restorable({**manifest, "engine": other})


def _restore_env(tmp_path, database_url: str, key: str) -> dict:
    return {
        "DATABASE_URL": database_url,
        "LINLI_VAR_DIR": str(tmp_path / "var2"),
        "LINLI_MEDIA_ROOT": str(tmp_path / "media2"),
        "LINLI_BACKUP_KEY": key,
    }


def assert_manifest_matches_the_source(archive, tmp_path):
    """The manifest counts every table as the source has it, and leaves out the upload spool."""
    manifest = backup.unpack(archive, backup.backup_key(), tmp_path / "unpacked-drill")
    counts, checksum = source_figures()
    assert manifest["tables"] == counts
    assert manifest["registry_checksum"] == checksum
    assert manifest["registry_rows"]["residents_resident"] > 0
    assert [m["name"] for m in manifest["media"]] == ["photos/2025/visit.jpg"]
    assert manifest["engine"] == connection.vendor


@pytest.mark.django_db(transaction=True)
def test_sqlite_drill_restores_every_row_and_file_and_a_wrong_key_writes_nothing(on_sqlite, backed_up, tmp_path):
    assert_manifest_matches_the_source(backed_up, tmp_path)
    target = tmp_path / "restored.sqlite3"
    env = _restore_env(tmp_path, f"sqlite:///{target}", WRONG_KEY)

    wrong = run_linli("restore", str(backed_up), "--yes", env_extra=env)
    assert wrong.returncode != 0
    assert "备份密钥不对" in wrong.stderr
    tables = sqlite3.connect(target).execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    assert tables == []  # the target stays empty
    assert not (tmp_path / "media2" / "photos").exists()

    env["LINLI_BACKUP_KEY"] = KEY
    done = run_linli("restore", str(backed_up), "--yes", env_extra=env)
    assert done.returncode == 0, done.stderr
    assert "恢复完成并核对一致" in done.stdout
    counts, checksum = source_figures()
    restored = sqlite3.connect(target)
    for table, n in counts.items():
        assert restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == n, table
    again, _ = backup.registry_checksum(lambda: backup.closing_cursor(restored), set(counts))
    assert again == checksum
    assert (tmp_path / "media2" / "photos" / "2025" / "visit.jpg").read_bytes() == b"\xff\xd8jpeg-bytes"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_drill_restores_into_a_fresh_database(on_postgresql, backed_up, tmp_path):
    import psycopg

    assert_manifest_matches_the_source(backed_up, tmp_path)
    db = settings.DATABASES["default"]
    params = connection.get_connection_params()
    admin = psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True)
    name = f"linli_backup_drill_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
        url = f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        env = _restore_env(tmp_path, url, WRONG_KEY)
        wrong = run_linli("restore", str(backed_up), "--yes", env_extra=env)
        assert wrong.returncode != 0 and "备份密钥不对" in wrong.stderr
        with psycopg.connect(**{**params, "dbname": name}) as target:
            assert target.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0

        env["LINLI_BACKUP_KEY"] = KEY
        done = run_linli("restore", str(backed_up), "--yes", env_extra=env)
        assert done.returncode == 0, done.stderr
        assert "恢复完成并核对一致" in done.stdout
        counts, checksum = source_figures()
        with psycopg.connect(**{**params, "dbname": name}) as target:
            for table, n in counts.items():
                assert target.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == n, table
            again, _ = backup.registry_checksum(lambda: backup.closing_cursor(target), set(counts))
        assert again == checksum
        assert (tmp_path / "media2" / "photos" / "2025" / "visit.jpg").read_bytes() == b"\xff\xd8jpeg-bytes"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
