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
