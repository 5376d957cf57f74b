"""The encrypted container of a backup (.lbk): AES-256-GCM over a stream, chunk by chunk.

Layout::

    MAGIC (14 bytes) | header length (2 bytes, big-endian) | header (JSON)
    then records: ciphertext length (4 bytes, big-endian) | ciphertext (plaintext chunk + 16-byte GCM tag)

Each chunk's nonce is the header's random 7-byte prefix, the chunk's number (4 bytes) and a final flag (1 byte)
(the STREAM construction): chunks cannot be reordered, dropped, repeated or moved between archives, and a
truncated archive is noticed because its last chunk is not marked final. The whole preamble (magic, header) is
the associated data of every chunk, so the header cannot be changed either.

The header holds a key id (an HMAC of a fixed text under the key): it tells a wrong key from a damaged archive
without holding anything from which the key can be found. The key itself is never written.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"LINLI-BACKUP\x00\x01"
CHUNK_SIZE = 1024 * 1024
TAG_SIZE = 16
KEY_SIZE = 32


class ArchiveError(Exception):
    """An archive that cannot be read: its message is Chinese, for the operator."""


class WrongKeyError(ArchiveError):
    pass


def parse_backup_key(value: str | bytes) -> bytes:
    """A backup key as written by `linli backup --generate-key` (base64) or as 64 hex digits; 32 bytes."""
    from linli.core.crypto import parse_key

    try:
        key = parse_key(value)
    except ValueError as exc:
        raise ArchiveError("备份密钥格式不对：应为 32 字节密钥的 base64 或 64 位十六进制") from exc
    if len(key) != KEY_SIZE:
        raise ArchiveError(f"备份密钥长度不对：应为 32 字节（AES-256），现为 {len(key)} 字节")
    return key


def new_key_text() -> str:
    return base64.b64encode(os.urandom(KEY_SIZE)).decode("ascii")


def key_id(key: bytes) -> str:
    """A short public name of the key (12 hex digits): the same key gives the same id, and the id reveals nothing."""
    return hmac.new(key, b"linli backup key id", hashlib.sha256).hexdigest()[:12]


def _nonce(prefix: bytes, index: int, final: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if final else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written goes out encrypted to `raw` (call finish() at the end)."""

    def __init__(self, raw, key: bytes, chunk_size: int = CHUNK_SIZE):
        self.raw = raw
        self.aead = AESGCM(key)
        self.chunk_size = chunk_size
        self.prefix = os.urandom(7)
        header = json.dumps(
            {
                "format": 1,
                "cipher": "AES-256-GCM",
                "key_id": key_id(key),
                "chunk": chunk_size,
                "nonce": base64.b64encode(self.prefix).decode("ascii"),
            },
            sort_keys=True,
        ).encode("utf-8")
        self.aad = MAGIC + struct.pack(">H", len(header)) + header
        raw.write(self.aad)
        self.buffer = bytearray()
        self.index = 0
        self.finished = False

    def _emit(self, data: bytes, final: bool) -> None:
        sealed = self.aead.encrypt(_nonce(self.prefix, self.index, final), bytes(data), self.aad)
        self.raw.write(struct.pack(">I", len(sealed)))
        self.raw.write(sealed)
        self.index += 1
        if self.index >= 2**32:
            raise ArchiveError("备份过大：超过加密分块的上限")

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > self.chunk_size:
            self._emit(self.buffer[: self.chunk_size], final=False)
            del self.buffer[: self.chunk_size]
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        """Write the last chunk, marked final (possibly empty)."""
        if not self.finished:
            self._emit(self.buffer, final=True)
            self.buffer = bytearray()
            self.finished = True


def read_header(raw) -> tuple[bytes, dict]:
    """The preamble (the chunks' associated data) and the parsed header; ArchiveError when it is not an archive."""
    magic = raw.read(len(MAGIC))
    if magic != MAGIC:
        raise ArchiveError("这不是 Linli 备份文件（文件头不对）")
    size_bytes = raw.read(2)
    if len(size_bytes) != 2:
        raise ArchiveError("备份文件不完整（文件头被截断）")
    (size,) = struct.unpack(">H", size_bytes)
    header_bytes = raw.read(size)
    try:
        header = json.loads(header_bytes)
        prefix = base64.b64decode(header["nonce"])
        int(header["chunk"])
        str(header["key_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ArchiveError("备份文件已损坏（文件头无法读取）") from exc
    if header.get("format") != 1 or header.get("cipher") != "AES-256-GCM" or len(prefix) != 7:
        raise ArchiveError("备份文件的格式版本不认识，请用生成它的 Linli 版本恢复")
    return MAGIC + size_bytes + header_bytes, header


class DecryptingReader:
    """A read-only file object over an archive: each chunk is authenticated before any of its bytes is returned.

    Raises WrongKeyError before reading any chunk when the key id differs, ArchiveError on a chunk that does not
    authenticate, on a missing final chunk (truncation) and on bytes after it."""

    def __init__(self, raw, key: bytes):
        self.raw = raw
        self.aad, self.header = read_header(raw)
        if self.header["key_id"] != key_id(key):
            raise WrongKeyError(
                f"备份密钥不对：此备份用密钥 {self.header['key_id']} 加密，当前配置的密钥是 {key_id(key)}。"
                "请设置生成此备份时的 LINLI_BACKUP_KEY 或 LINLI_BACKUP_KEY_FILE"
            )
        self.aead = AESGCM(key)
        self.prefix = base64.b64decode(self.header["nonce"])
        self.max_record = int(self.header["chunk"]) + TAG_SIZE
        self.index = 0
        self.buffer = b""
        self.done = False

    def _next_chunk(self) -> bytes:
        size_bytes = self.raw.read(4)
        if len(size_bytes) < 4:
            raise ArchiveError("备份文件不完整（在最后一块之前结束），可能在复制或传输中被截断")
        (size,) = struct.unpack(">I", size_bytes)
        if size < TAG_SIZE or size > self.max_record:
            raise ArchiveError("备份文件已损坏或被改动（分块长度不对）")
        sealed = self.raw.read(size)
        if len(sealed) < size:
            raise ArchiveError("备份文件不完整（最后一块被截断），可能在复制或传输中被截断")
        for final in (False, True):
            try:
                plain = self.aead.decrypt(_nonce(self.prefix, self.index, final), sealed, self.aad)
            except InvalidTag:
                continue
            self.index += 1
            if final:
                self.done = True
                if self.raw.read(1):
                    raise ArchiveError("备份文件已被改动（最后一块之后还有数据）")
            return plain
        raise ArchiveError(f"备份文件已损坏或被改动（第 {self.index + 1} 块校验失败）")

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) < size):
            self.buffer += self._next_chunk()
        if size < 0:
            out, self.buffer = self.buffer, b""
        else:
            out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out

    def drain(self) -> None:
        """Read (and so authenticate) whatever is left up to the final chunk."""
        while not self.done:
            self._next_chunk()
        self.buffer = b""
