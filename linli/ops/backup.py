"""`linli backup` and `linli restore`: one encrypted file holding the database, the media and a manifest.

The archive (linli.ops.archive) is a tar stream encrypted with AES-256-GCM:

    database.pgdump | database.sqlite3   pg_dump --format=custom, or SQLite's online backup
    media/<name>                         every file of default_storage (local disk or S3), but the upload temp dir
    manifest.json                        version, engine, per-table row counts, the registry checksum, SHA-256s

Consistency: on PostgreSQL the row counts and the checksum are read in a REPEATABLE READ transaction whose snapshot
pg_dump shares (--snapshot), on SQLite from the backup copy itself: the manifest describes exactly the dump.

The backup key (LINLI_BACKUP_KEY / LINLI_BACKUP_KEY_FILE) is never written into the archive, and neither are the
field keys (LINLI_FIELD_KEY, LINLI_HASH_KEY): the dump holds ID numbers encrypted under the field key, so a restore
needs that key too. Both are kept apart from the archives (docs/backup.md).

Temporary files (the dump before it is encrypted, the decrypted archive before a restore) live in a private
directory inside LINLI_VAR_DIR, never the system /tmp: they hold personal data in clear.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from linli.core import pagecache, versioned
from linli.ops.archive import ArchiveError, DecryptingReader, EncryptingWriter, key_id, parse_backup_key

FORMAT = 1
PG_PART = "database.pgdump"
SQLITE_PART = "database.sqlite3"
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
#: The registry: which columns of which tables the checksum covers (cheap at 1M residents: one ordered scan each).
REGISTRY_COLUMNS = {
    "areas_building": ("id", "community_id", "grid_id", "number", "name", "compound"),
    "areas_household": ("id", "building_id", "entrance", "floor", "room"),
    "residents_resident": (
        "id",
        "household_id",
        "name",
        "id_hash",
        "birth_date",
        "status",
        "community_id",
        "grid_id",
        "building_id",
    ),
}
#: Linli tables that migrations fill with reference data: rows there do not make a database "in use".
SEEDED_TABLES = frozenset({"residents_tag", "appeals_handlingunit", "appeals_category"})
FETCH = 5000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese, for the operator."""


# --------------------------------------------------------------------------- keys


def backup_key() -> bytes:
    """The configured backup key: LINLI_BACKUP_KEY, else the file named by LINLI_BACKUP_KEY_FILE."""
    value = getattr(settings, "LINLI_BACKUP_KEY", "")
    path = getattr(settings, "LINLI_BACKUP_KEY_FILE", "")
    if not value and path:
        try:
            value = Path(path).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise BackupError(f"读不到备份密钥文件 {path}：{exc}") from exc
    if not value:
        raise BackupError(
            "未配置备份密钥：请设置 LINLI_BACKUP_KEY（32 字节密钥的 base64）"
            "或 LINLI_BACKUP_KEY_FILE（存放密钥的文件）。"
            "生成新密钥：linli backup --generate-key"
        )
    try:
        return parse_backup_key(value)
    except ArchiveError as exc:
        raise BackupError(str(exc)) from exc


# --------------------------------------------------------------------------- what the manifest counts


def model_tables() -> list[str]:
    """Every table of the app registry (models and many-to-many tables), sorted."""
    tables = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    }
    return sorted(tables)


def linli_tables() -> list[str]:
    return sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_config.name.startswith("linli.") and m._meta.managed and not m._meta.proxy
        }
    )


def _text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def registry_checksum(cursor_factory: Callable, existing: set[str]) -> tuple[str, dict[str, int]]:
    """SHA-256 over the registry's rows (REGISTRY_COLUMNS), ordered by id and streamed; and the rows hashed."""
    total = hashlib.sha256()
    rows = {}
    for table, columns in REGISTRY_COLUMNS.items():
        digest = hashlib.sha256()
        n = 0
        if table in existing:
            cols = ", ".join(f'"{c}"' for c in columns)
            with cursor_factory() as cur:
                cur.execute(f'SELECT {cols} FROM "{table}" ORDER BY "id"')
                while batch := cur.fetchmany(FETCH):
                    for row in batch:
                        digest.update(("\x1f".join(_text(v) for v in row) + "\n").encode("utf-8"))
                    n += len(batch)
        rows[table] = n
        total.update(f"{table}:{n}:{digest.hexdigest()}\n".encode("ascii"))
    return total.hexdigest(), rows


def row_counts(cursor_factory: Callable, tables: list[str]) -> dict[str, int]:
    counts = {}
    with cursor_factory() as cur:
        for table in tables:
            cur.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cur.fetchone()[0]
    return counts


@contextmanager
def closing_cursor(conn, name: str | None = None):
    cur = conn.cursor(name=name) if name else conn.cursor()
    try:
        yield cur
    finally:
        cur.close()


def live_figures() -> tuple[dict[str, int], str, dict[str, int]]:
    """Row counts and registry checksum of Django's own database as it is now (after a restore)."""
    existing = set(connection.introspection.table_names())
    tables = [t for t in model_tables() if t in existing]
    counts = row_counts(connection.cursor, tables)
    with transaction.atomic():  # a server-side cursor on PostgreSQL needs a transaction
        checksum, _ = registry_checksum(connection.chunked_cursor, existing)
    return counts, checksum


# --------------------------------------------------------------------------- private scratch space


@contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A directory only this user can read, inside LINLI_VAR_DIR (never /tmp), removed afterwards."""
    base = Path(settings.VAR_DIR) / "backup-tmp"
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o700)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- database parts


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # never on the command line (ps shows it to everyone)
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name) or f"/usr/bin/{name}"
    if not os.path.exists(path):
        raise BackupError(f"找不到 {name}：请安装与数据库同版本的 PostgreSQL 客户端（Debian：postgresql-client）")
    return path


@dataclass
class DatabasePart:
    engine: str
    path: Path
    counts: dict[str, int]
    checksum: str
    registry_rows: dict[str, int]
    migrations: dict[str, str] = field(default_factory=dict)


def _latest_migrations(cursor_factory) -> dict[str, str]:
    latest: dict[str, str] = {}
    with cursor_factory() as cur:
        cur.execute('SELECT "app", "name" FROM "django_migrations" ORDER BY "app", "name"')
        for app, name in cur.fetchall():
            latest[app] = name
    return latest


def dump_postgresql(workdir: Path) -> DatabasePart:
    """pg_dump in the snapshot of a REPEATABLE READ transaction in which the counts and checksum are read."""
    import psycopg

    db = settings.DATABASES["default"]
    existing = set(connection.introspection.table_names())
    tables = [t for t in model_tables() if t in existing]
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        with closing_cursor(raw) as cur:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
        path = workdir / PG_PART
        args, env = _pg_args(db)
        cmd = [
            _tool("pg_dump"),
            *args,
            "--format=custom",
            f"--snapshot={snapshot}",
            "--no-password",
            f"--file={path}",
            str(db["NAME"]),
        ]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackupError(f"pg_dump 失败（退出码 {done.returncode}）：{done.stderr.strip()[:500]}")
        counts = row_counts(lambda: closing_cursor(raw), tables)
        named = iter(range(1, 10**6))
        checksum, rows = registry_checksum(lambda: closing_cursor(raw, f"linli_registry_{next(named)}"), existing)
        migrations = _latest_migrations(lambda: closing_cursor(raw))
        raw.rollback()
    finally:
        raw.close()
    os.chmod(path, 0o600)
    return DatabasePart("postgresql", path, counts, checksum, rows, migrations)


def dump_sqlite(workdir: Path) -> DatabasePart:
    """SQLite's online backup API into a private file; the counts and checksum are read from that copy."""
    if connection.in_atomic_block:
        # The backup API waits for the writer to finish: inside our own transaction it would wait forever.
        raise BackupError("不能在数据库事务中备份 SQLite：请在事务之外运行 linli backup")
    path = workdir / SQLITE_PART
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        existing = {r[0] for r in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        tables = [t for t in model_tables() if t in existing]
        counts = row_counts(lambda: closing_cursor(target), tables)
        checksum, rows = registry_checksum(lambda: closing_cursor(target), existing)
        migrations = _latest_migrations(lambda: closing_cursor(target)) if "django_migrations" in existing else {}
    finally:
        target.close()
    return DatabasePart("sqlite", path, counts, checksum, rows, migrations)


def engine() -> str:
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite":
        return "sqlite"
    raise BackupError(f"不支持的数据库：{connection.vendor}（只支持 PostgreSQL 和 SQLite）")


# --------------------------------------------------------------------------- media


def _upload_temp_prefix() -> str | None:
    """The upload spool directory as a storage name prefix ("tmp/"), when it lies inside MEDIA_ROOT."""
    temp = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not temp:
        return None
    try:
        rel = Path(temp).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    except ValueError:
        return None
    return rel.as_posix().rstrip("/") + "/"


def media_names(storage=None) -> list[str]:
    """Every file of the storage, by walking it through the storage API (works for the local disk and S3)."""
    storage = storage or default_storage
    skip = _upload_temp_prefix()
    names: list[str] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            dirs, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        for d in dirs:
            path = f"{folder}{d}/"
            if skip and path == skip:
                continue
            pending.append(path)
        names.extend(f"{folder}{f}" for f in files)
    return sorted(names)


# --------------------------------------------------------------------------- backup


class _Hashing(io.RawIOBase):
    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, fileobj, size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    hashing = _Hashing(fileobj)
    tar.addfile(info, hashing)
    return hashing.sha.hexdigest()


def linli_version() -> tuple[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("linli")
    except PackageNotFoundError:
        ver = "未知"
    commit = None
    if (Path(settings.PROJECT_DIR) / ".git").exists():
        try:
            done = subprocess.run(
                ["git", "-C", str(settings.PROJECT_DIR), "rev-parse", "HEAD"],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
            commit = done.stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            commit = None
    return ver, commit


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.LINLI_BACKUP_DIR) / f"linli-backup-{stamp}.lbk"


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    size: int


def create_backup(output: Path | None = None) -> BackupResult:
    """Write the archive to `output` (a file, or a directory for the default name); returns what was written."""
    key = backup_key()
    kind = engine()
    target = Path(output) if output else default_output()
    if target.is_dir():
        target = target / default_output().name
    if target.exists():
        raise BackupError(f"{target} 已存在：备份不覆盖已有文件，请换一个文件名")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    ver, commit = linli_version()
    with scratch_dir("backup-") as work:
        part = dump_postgresql(work) if kind == "postgresql" else dump_sqlite(work)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                writer = EncryptingWriter(raw, key)
                media = []
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    size = part.path.stat().st_size
                    with open(part.path, "rb") as f:
                        db_sha = _add(tar, part.path.name, f, size)
                    for name in media_names():
                        size = default_storage.size(name)
                        with default_storage.open(name, "rb") as f:
                            sha = _add(tar, MEDIA_PREFIX + name, f, size)
                        media.append({"name": name, "size": size, "sha256": sha})
                    manifest = {
                        "format": FORMAT,
                        "linli_version": ver,
                        "git_commit": commit,
                        "created_at": timezone.now().isoformat(),
                        "engine": kind,
                        "key_id": key_id(key),
                        "database": {"part": part.path.name, "size": part.path.stat().st_size, "sha256": db_sha},
                        "tables": part.counts,
                        "registry_checksum": part.checksum,
                        "registry_rows": part.registry_rows,
                        "migrations": part.migrations,
                        "media": media,
                        "media_bytes": sum(m["size"] for m in media),
                    }
                    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
                    _add(tar, MANIFEST, io.BytesIO(data), len(data))
                writer.finish()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(target, manifest, target.stat().st_size)


# --------------------------------------------------------------------------- restore


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"备份文件中有不安全的路径：{name}")
    if not (name in (MANIFEST, PG_PART, SQLITE_PART) or name.startswith(MEDIA_PREFIX)):
        raise BackupError(f"备份文件中有不认识的内容：{name}")
    return path


def unpack(archive: Path, key: bytes, into: Path) -> dict:
    """Decrypt and unpack the whole archive into `into`, authenticating every chunk and checking every part's
    SHA-256 against the manifest; returns the manifest. Nothing outside `into` is written."""
    try:
        raw = open(archive, "rb")
    except OSError as exc:
        raise BackupError(f"打不开备份文件 {archive}：{exc.strerror or exc}") from exc
    with raw:
        try:
            reader = DecryptingReader(raw, key)
            hashes = {}
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not member.isfile():
                        raise BackupError(f"备份文件中有不认识的内容：{member.name}")
                    rel = _safe_member(member.name)
                    dest = into / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    src = tar.extractfile(member)
                    sha = hashlib.sha256()
                    with open(dest, "wb") as out:
                        while chunk := src.read(1024 * 1024):
                            sha.update(chunk)
                            out.write(chunk)
                    hashes[member.name] = sha.hexdigest()
            reader.drain()
        except ArchiveError as exc:
            raise BackupError(str(exc)) from exc
        except tarfile.TarError as exc:
            raise BackupError(f"备份文件内容已损坏：{exc}") from exc
    if MANIFEST not in hashes:
        raise BackupError("备份文件中没有清单（manifest.json），不能恢复")
    manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError("备份清单的格式版本不认识，请用生成它的 Linli 版本恢复")
    expected = {manifest["database"]["part"]: manifest["database"]["sha256"]}
    expected.update({MEDIA_PREFIX + m["name"]: m["sha256"] for m in manifest["media"]})
    for name, sha in expected.items():
        if hashes.get(name) != sha:
            raise BackupError(f"备份中的 {name} 与清单不符（缺失或校验值不同），不能恢复")
    return manifest


def tables_in_use() -> dict[str, int]:
    """Linli tables of the target database holding rows (reference data seeded by migrations aside)."""
    existing = set(connection.introspection.table_names())
    used = {}
    with connection.cursor() as cur:
        for table in linli_tables():
            if table in existing and table not in SEEDED_TABLES:
                cur.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
                if cur.fetchone():
                    cur.execute(f'SELECT COUNT(*) FROM "{table}"')
                    used[table] = cur.fetchone()[0]
    return used


def restore_postgresql(dump: Path) -> None:
    db = settings.DATABASES["default"]
    connection.close()  # no session of ours holds a lock on a table pg_restore drops
    args, env = _pg_args(db)
    cmd = [
        _tool("pg_restore"),
        *args,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={db['NAME']}",
        str(dump),
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            f"pg_restore 失败（退出码 {done.returncode}），数据库未改动（单事务）：{done.stderr.strip()[:500]}"
        )


def restore_sqlite(copy: Path) -> None:
    """SQLite's backup API from the restored copy into Django's own database (page by page, WAL-safe)."""
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def restore_media(manifest: dict, unpacked: Path) -> int:
    for entry in manifest["media"]:
        name = entry["name"]
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(unpacked / MEDIA_PREFIX / name, "rb") as f:
            saved = default_storage.save(name, File(f, name=PurePosixPath(name).name))
        if saved != name:
            raise BackupError(f"媒体文件 {name} 恢复后名称变成了 {saved}：请检查存储设置")
    return len(manifest["media"])


@dataclass
class RestoreReport:
    manifest: dict
    counts: dict[str, int]
    checksum: str
    media: int

    def mismatches(self) -> list[str]:
        bad = [t for t, n in self.manifest["tables"].items() if self.counts.get(t) != n]
        return bad + ([] if self.checksum == self.manifest["registry_checksum"] else ["registry_checksum"])


def check_restorable(manifest: dict) -> None:
    if manifest["engine"] != engine():
        names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
        raise BackupError(
            f"数据库类型不同：此备份来自 {names.get(manifest['engine'], manifest['engine'])}，"
            f"当前数据库是 {names[engine()]}。请恢复到同类数据库（DATABASE_URL）"
        )


def forget_cached_choices() -> None:
    """pg_restore and SQLite's backup API send no signal: the cached choices and each user's cached facts (assigned
    areas, keyed by the user's id) may name the rows the restore replaced. Every version is bumped."""
    versioned.touched_all()
    for pk in get_user_model().objects.values_list("pk", flat=True).iterator():
        pagecache.bump(pagecache.user_group(pk))


def restore_unpacked(manifest: dict, unpacked: Path) -> RestoreReport:
    """Write the unpacked archive into the database and the media storage, then count and compare."""
    part = unpacked / manifest["database"]["part"]
    if manifest["engine"] == "postgresql":
        restore_postgresql(part)
    else:
        restore_sqlite(part)
    forget_cached_choices()
    media = restore_media(manifest, unpacked)
    counts, checksum = live_figures()
    return RestoreReport(manifest, counts, checksum, media)
