"""The encrypted container of a backup: what it hides, and every way a changed file is caught."""

import base64
import io
import os
import struct

import pytest

from linli.ops.archive import (
    MAGIC,
    ArchiveError,
    DecryptingReader,
    EncryptingWriter,
    WrongKeyError,
    key_id,
    parse_backup_key,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def seal(data: bytes, key=KEY, chunk_size=64) -> bytes:
    out = io.BytesIO()
    writer = EncryptingWriter(out, key, chunk_size=chunk_size)
    writer.write(data)
    writer.finish()
    return out.getvalue()


def open_(blob: bytes, key=KEY) -> bytes:
    reader = DecryptingReader(io.BytesIO(blob), key)
    data = reader.read()
    reader.drain()
    return data


def records(blob: bytes) -> tuple[bytes, list[bytes]]:
    """The preamble and the list of chunk records (length prefix included)."""
    (hlen,) = struct.unpack(">H", blob[len(MAGIC) : len(MAGIC) + 2])
    pos = len(MAGIC) + 2 + hlen
    preamble, recs = blob[:pos], []
    while pos < len(blob):
        (n,) = struct.unpack(">I", blob[pos : pos + 4])
        recs.append(blob[pos : pos + 4 + n])
        pos += 4 + n
    return preamble, recs


def test_it_round_trips_data_over_many_chunks_and_an_empty_stream():
    data = os.urandom(1000)
    assert open_(seal(data)) == data
    assert open_(seal(b"")) == b""
    assert open_(seal(b"x" * 128)) == b"x" * 128  # an exact multiple: the final chunk is empty


def test_the_key_is_not_in_the_archive_only_its_id():
    blob = seal(b"\x00" * 4096)
    for form in (KEY, KEY.hex().encode(), base64.b64encode(KEY)):
        assert form not in blob
    assert key_id(KEY).encode() in blob[:200]
    assert key_id(KEY) != key_id(OTHER_KEY)


def test_a_wrong_key_is_named_as_such_before_anything_is_decrypted():
    with pytest.raises(WrongKeyError, match="备份密钥不对"):
        open_(seal(b"secret"), key=OTHER_KEY)


def test_a_changed_byte_anywhere_in_the_data_is_caught():
    blob = bytearray(seal(os.urandom(300)))
    preamble, _ = records(bytes(blob))
    for pos in (len(preamble) + 10, len(blob) // 2, len(blob) - 1):
        changed = bytearray(blob)
        changed[pos] ^= 0x01
        with pytest.raises(ArchiveError, match="已损坏或被改动"):
            open_(bytes(changed))


def test_a_changed_header_is_caught():
    blob = seal(b"hello world" * 20)
    changed = blob.replace(b'"chunk": 64', b'"chunk": 65')
    assert changed != blob
    with pytest.raises(ArchiveError, match="已损坏或被改动"):
        open_(changed)


def test_truncation_reordering_and_trailing_bytes_are_caught():
    blob = seal(os.urandom(300))
    preamble, recs = records(blob)
    with pytest.raises(ArchiveError, match="不完整"):
        open_(preamble + b"".join(recs[:-1]))  # the final chunk dropped: a cut-off copy
    with pytest.raises(ArchiveError, match="已损坏或被改动"):
        open_(preamble + recs[1] + recs[0] + b"".join(recs[2:]))
    with pytest.raises(ArchiveError, match="最后一块之后"):
        open_(blob + b"\x00")


def test_a_file_that_is_not_an_archive_is_refused_in_chinese():
    with pytest.raises(ArchiveError, match="不是 Linli 备份文件"):
        open_(b"PK\x03\x04 a zip file")


def test_backup_keys_must_be_32_bytes():
    assert parse_backup_key(base64.b64encode(KEY).decode()) == KEY
    assert parse_backup_key(KEY.hex()) == KEY
    with pytest.raises(ArchiveError, match="32 字节"):
        parse_backup_key(base64.b64encode(b"short").decode())
