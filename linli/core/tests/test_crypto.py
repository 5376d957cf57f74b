import base64
import os

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from linli.core.crypto import CryptoError, blind_index, decrypt_text, encrypt_text, parse_key

KEY_1 = bytes(range(32))
KEY_2 = bytes(range(32, 64))
HASH_KEY = b"h" * 32

# Hypothesis runs many examples per test, which does not mix with the
# function-scoped ``settings`` fixture; those tests use this instead.
with_test_keys = override_settings(LINLI_FIELD_KEYS={1: KEY_1}, LINLI_FIELD_KEY_ID=1, LINLI_HASH_KEY=HASH_KEY)


@pytest.fixture
def keys(settings):
    settings.LINLI_FIELD_KEYS = {1: KEY_1}
    settings.LINLI_FIELD_KEY_ID = 1
    settings.LINLI_HASH_KEY = HASH_KEY
    return settings


def test_it_round_trips_chinese_text(keys):
    assert decrypt_text(encrypt_text("张三 11010519491231002X")) == "张三 11010519491231002X"


def test_it_round_trips_the_empty_string(keys):
    assert decrypt_text(encrypt_text("")) == ""


def test_the_blob_starts_with_the_key_id_and_a_nonce(keys):
    blob = encrypt_text("abc")
    assert blob[0] == 1
    assert len(blob) == 1 + 12 + len(b"abc") + 16


def test_it_decrypts_a_memoryview_as_returned_by_the_database(keys):
    assert decrypt_text(memoryview(encrypt_text("abc"))) == "abc"


def test_old_blobs_still_decrypt_after_key_rotation(keys):
    old = encrypt_text("旧数据")
    keys.LINLI_FIELD_KEYS = {1: KEY_1, 2: KEY_2}
    keys.LINLI_FIELD_KEY_ID = 2
    new = encrypt_text("新数据")
    assert new[0] == 2
    assert decrypt_text(old) == "旧数据"
    assert decrypt_text(new) == "新数据"


def test_it_refuses_a_blob_whose_key_was_removed(keys):
    blob = encrypt_text("abc")
    keys.LINLI_FIELD_KEYS = {2: KEY_2}
    keys.LINLI_FIELD_KEY_ID = 2
    with pytest.raises(CryptoError, match="unknown field encryption key id 1"):
        decrypt_text(blob)


def test_it_refuses_a_blob_when_the_key_was_replaced(keys):
    blob = encrypt_text("abc")
    keys.LINLI_FIELD_KEYS = {1: KEY_2}
    with pytest.raises(CryptoError, match="authentication"):
        decrypt_text(blob)


def test_it_detects_every_tampered_byte(keys):
    blob = encrypt_text("11010519491231002X")
    for i in range(1, len(blob)):
        tampered = bytearray(blob)
        tampered[i] ^= 0x01
        with pytest.raises(CryptoError):
            decrypt_text(bytes(tampered))


def test_it_detects_a_changed_key_id_byte(keys):
    keys.LINLI_FIELD_KEYS = {1: KEY_1, 2: KEY_1}
    blob = bytearray(encrypt_text("abc"))
    blob[0] = 2
    with pytest.raises(CryptoError):
        decrypt_text(bytes(blob))


def test_it_refuses_a_truncated_blob(keys):
    with pytest.raises(CryptoError, match="too short"):
        decrypt_text(encrypt_text("abc")[:20])
    with pytest.raises(CryptoError):
        decrypt_text(b"")


def test_it_refuses_to_encrypt_with_an_unknown_current_key(keys):
    keys.LINLI_FIELD_KEY_ID = 3
    with pytest.raises(CryptoError, match="unknown field encryption key id 3"):
        encrypt_text("abc")


def test_it_refuses_a_key_of_the_wrong_size(keys):
    keys.LINLI_FIELD_KEYS = {1: b"short"}
    with pytest.raises(CryptoError, match="32"):
        encrypt_text("abc")


def test_it_refuses_to_encrypt_anything_but_text(keys):
    with pytest.raises(TypeError):
        encrypt_text(b"abc")


def test_blind_index_is_hex_sha256(keys):
    value = blind_index("11010519491231002X")
    assert len(value) == 64
    int(value, 16)


def test_blind_index_differs_per_purpose(keys):
    assert blind_index("13812345678", purpose="phone") != blind_index("13812345678")
    assert blind_index("x", purpose="a") != blind_index("x", purpose="b")


def test_blind_index_depends_on_the_hash_key(keys):
    before = blind_index("11010519491231002X")
    keys.LINLI_HASH_KEY = b"k" * 32
    assert blind_index("11010519491231002X") != before


def test_blind_index_refuses_a_missing_hash_key(keys):
    keys.LINLI_HASH_KEY = b""
    with pytest.raises(CryptoError):
        blind_index("abc")


@given(st.text())
@with_test_keys
def test_encryption_round_trips_any_text(text):
    assert decrypt_text(encrypt_text(text)) == text


@given(st.text(min_size=1))
@with_test_keys
def test_two_encryptions_differ_but_share_a_blind_index(text):
    first, second = encrypt_text(text), encrypt_text(text)
    assert first != second
    assert blind_index(decrypt_text(first)) == blind_index(decrypt_text(second))
    assert decrypt_text(first) == decrypt_text(second) == text


@given(st.text(), st.text())
@with_test_keys
def test_different_texts_have_different_blind_indexes(a, b):
    assert (blind_index(a) == blind_index(b)) == (a == b)


def test_parse_key_accepts_hex():
    assert parse_key(KEY_1.hex()) == KEY_1
    assert parse_key(KEY_1.hex().upper()) == KEY_1


def test_parse_key_accepts_standard_and_urlsafe_base64():
    key = b"\xfb\xff" * 16  # encodes with "+" and "/" (or "-" and "_")
    assert parse_key(base64.b64encode(key).decode()) == key
    assert parse_key(base64.urlsafe_b64encode(key).decode()) == key
    assert parse_key(base64.urlsafe_b64encode(key).decode().rstrip("=")) == key
    assert parse_key("  " + base64.b64encode(key).decode() + "\n") == key


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        base64.b64encode(os.urandom(16)).decode(),
        base64.b64encode(os.urandom(48)).decode(),
        "zz" * 32,
        "not a key!",
        KEY_1.hex()[:-2],
    ],
)
def test_parse_key_refuses_anything_that_is_not_32_bytes(value):
    with pytest.raises(ValueError):
        parse_key(value)
