"""Encryption of sensitive field values (ID numbers today; health data later).


A leaked database dump must not expose residents' personal data, so such
values are stored AES-256-GCM encrypted, plus a keyed hash (blind index)
that still allows exact lookup and de-duplication without decrypting.

Keys are read from Django settings at call time rather than import time:
``linli.settings`` imports :func:`parse_key` from this module, and tests swap
keys with ``override_settings``.

Blob layout: ``key_id (1 byte) || nonce (12 bytes) || ciphertext+tag``.
Every blob names its key, so the current key can be rotated while blobs
written under older keys (kept in ``LINLI_FIELD_KEYS``) stay readable.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import string
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["CryptoError", "blind_index", "decrypt_text", "encrypt_text", "parse_key"]

KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16
_HEADER_SIZE = 1 + NONCE_SIZE


class CryptoError(Exception):
    """Misconfigured keys or an unreadable blob; never shown to residents."""


@lru_cache(maxsize=32)
def _aead(key: bytes) -> AESGCM:
    # Keyed by the key bytes, not the key id, so that override_settings in
    # tests or a redeploy with new keys can never hit a stale cipher.
    return AESGCM(key)


def _key_for(key_id: int) -> bytes:
    from django.conf import settings

    keys = getattr(settings, "LINLI_FIELD_KEYS", None) or {}
    key = keys.get(key_id)
    if key is None:
        raise CryptoError(f"unknown field encryption key id {key_id} (not in LINLI_FIELD_KEYS)")
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_SIZE:
        raise CryptoError(f"field encryption key {key_id} must be {KEY_SIZE} raw bytes")
    return bytes(key)


def encrypt_text(text: str) -> bytes:
    """Encrypt under the current key; a fresh random nonce per call means
    equal plaintexts give different blobs (use :func:`blind_index` to match)."""
    from django.conf import settings

    if not isinstance(text, str):
        raise TypeError(f"encrypt_text() expects str, got {type(text).__name__}")
    key_id = getattr(settings, "LINLI_FIELD_KEY_ID", None)
    if not isinstance(key_id, int) or not 1 <= key_id <= 255:
        raise CryptoError("LINLI_FIELD_KEY_ID must be an integer between 1 and 255")
    header = bytes((key_id,)) + os.urandom(NONCE_SIZE)
    # The header is authenticated too, so the key id byte cannot be altered.
    return header + _aead(_key_for(key_id)).encrypt(header[1:], text.encode("utf-8"), header)


def decrypt_text(blob: bytes) -> str:
    """Decrypt with whichever key the blob names, so rotation needs no
    re-encryption pass.  Accepts memoryview because that is what database
    drivers return for binary columns."""
    if not isinstance(blob, (bytes, bytearray, memoryview)):
        raise TypeError(f"decrypt_text() expects bytes, got {type(blob).__name__}")
    blob = bytes(blob)
    if len(blob) < _HEADER_SIZE + TAG_SIZE:
        raise CryptoError("encrypted value is too short to be valid")
    header = blob[:_HEADER_SIZE]
    aead = _aead(_key_for(blob[0]))
    try:
        plaintext = aead.decrypt(header[1:], blob[_HEADER_SIZE:], header)
    except InvalidTag:
        raise CryptoError(f"encrypted value failed authentication (tampered, or key {blob[0]} has changed)") from None
    try:
        return plaintext.decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - only reachable with a forged key
        raise CryptoError("decrypted value is not valid UTF-8") from None


def blind_index(text: str, *, purpose: str = "id_number") -> str:
    """Keyed hash for exact-match lookup and de-duplication of encrypted values.

    A per-purpose subkey is derived first so that the same string stored in
    two different fields hashes differently and the indexes cannot be
    correlated with each other.  Callers must canonicalise ``text`` (e.g.
    with ``parse_id_number``) beforehand, otherwise equal values will not match.
    """
    from django.conf import settings

    if not isinstance(text, str):
        raise TypeError(f"blind_index() expects str, got {type(text).__name__}")
    if not purpose:
        raise ValueError("purpose must not be empty")
    root = getattr(settings, "LINLI_HASH_KEY", None)
    if not isinstance(root, (bytes, bytearray)) or len(root) < 16:
        raise CryptoError("LINLI_HASH_KEY must be at least 16 raw bytes")
    subkey = hmac.digest(bytes(root), b"linli-blind-index:" + purpose.encode("utf-8"), "sha256")
    return hmac.digest(subkey, text.encode("utf-8"), "sha256").hex()


def parse_key(value: str) -> bytes:
    """Turn a key from an environment variable into raw bytes.

    Both hex (what ``openssl rand -hex 32`` prints) and base64 (standard or
    URL-safe, padding optional) are accepted because operators use either.
    """
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("ascii", "replace")
    value = value.strip()
    if not value:
        raise ValueError("key is empty")
    if len(value) == 2 * KEY_SIZE and all(c in string.hexdigits for c in value):
        return bytes.fromhex(value)
    b64 = value.replace("-", "+").replace("_", "/")
    b64 += "=" * (-len(b64) % 4)
    try:
        key = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"key must be {KEY_SIZE} bytes encoded as base64 or {2 * KEY_SIZE} hex characters") from None
    if len(key) != KEY_SIZE:
        raise ValueError(f"key must decode to {KEY_SIZE} bytes, got {len(key)}")
    return key
