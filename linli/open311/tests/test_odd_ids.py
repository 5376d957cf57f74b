"""A keyed POST with address_id=² (a digit to str.isdigit(), no number to int()) is refused, not a 500."""

from __future__ import annotations

import pytest

from linli.appeals.models import Appeal
from linli.open311.tests.conftest import post, valid

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address_id", ["²", "①", "9" * 30, "-1"])
def test_an_impossible_address_id_is_refused_with_a_message(ow, client, address_id):
    response = post(client, valid(ow, address_string=None, address_id=address_id))
    assert response.status_code == 400, response.content.decode()
    assert "address_id" in response.content.decode()
    assert not Appeal.objects.exists()


ODD = ["²", "①", "9" * 30, "-1", "'<x>", "二" * 300, ""]
QUERY = ["jurisdiction_id", "service_request_id", "service_code", "status", "start_date", "end_date", "api_key"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_odd_query_values_on_every_read_endpoint_are_no_server_error(ow, client, fmt):
    client.raise_request_exception = False
    paths = [
        f"/open311/v2/discovery.{fmt}",
        f"/open311/v2/services.{fmt}",
        f"/open311/v2/services/corridor_light.{fmt}",
        f"/open311/v2/services/%C2%B2.{fmt}",
        f"/open311/v2/requests.{fmt}",
        f"/open311/v2/requests/%C2%B2.{fmt}",
        f"/open311/v2/tokens/%C2%B2.{fmt}",
    ]
    for path in paths:
        for odd in ODD:
            response = client.get(path, {name: odd for name in QUERY})
            assert response.status_code < 500, (path, odd, response.status_code)


def test_odd_values_in_every_field_of_a_keyed_post_are_no_server_error(ow, client):
    client.raise_request_exception = False
    for odd in ODD:
        data = {name: odd for name in valid(ow)}
        data["api_key"] = valid(ow)["api_key"]
        response = post(client, data)
        assert response.status_code < 500, (odd, response.status_code)
    assert not Appeal.objects.exists()
