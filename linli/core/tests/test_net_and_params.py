"""The client address behind proxies, and ids parsed from what people type."""

import pytest
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from linli.core.net import client_ip
from linli.core.params import parse_id, parse_ids, parse_int

rf = RequestFactory()


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_it_ignores_the_forwarded_header_from_an_untrusted_sender():
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@override_settings(LINLI_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/24"])
def test_it_believes_the_header_only_from_a_configured_proxy():
    assert client_ip(_request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.5", "198.51.100.7, 10.0.0.9")) == "198.51.100.7"


@override_settings(LINLI_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_client_cannot_choose_its_key_by_prepending_addresses():
    # The client sent "X-Forwarded-For: 9.9.9.9"; nginx appended the real address.
    assert client_ip(_request("127.0.0.1", "9.9.9.9, 198.51.100.7")) == "198.51.100.7"


@override_settings(LINLI_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_malformed_chain_falls_back_to_the_proxy():
    assert client_ip(_request("127.0.0.1", "not-an-ip")) == "127.0.0.1"
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"


@pytest.mark.parametrize("value", ["²", "³", "①", "١٢", "１２", "-1", "0", "1e3", "", " ", None, "9" * 30, "1.5"])
def test_parse_id_refuses_what_is_not_a_plain_id(value):
    assert parse_id(value) is None


def test_parse_id_reads_plain_ids():
    assert parse_id("42") == 42
    assert parse_id(" 7 ") == 7
    assert parse_ids("1,²,3") == [1, 3]
    assert parse_int("2026", minimum=1900, maximum=2100) == 2026
    assert parse_int("²²²²", minimum=1900) is None
    assert parse_int("-3") == -3


@given(st.text(max_size=30))
def test_parse_id_never_raises(text):
    result = parse_id(text)
    assert result is None or (isinstance(result, int) and result > 0)
    parse_int(text)
