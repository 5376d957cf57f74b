"""The hall's pages and forms with junk in every parameter (tests/test_odd_input.py's walk, only /hall/): no 500."""

from __future__ import annotations

import pytest

from linli.hall.testing import matrix_objects
from tests.test_odd_input import (
    FEW_ODD_VALUES,
    ODD_VALUES,
    ServerErrors,
    fuzz_forms,
    fuzz_queries,
    pages,
    param_names,
    view_class,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona, values", [("staff", ODD_VALUES), ("grid_worker_1", FEW_ODD_VALUES), ("resident", FEW_ODD_VALUES)]
)
def test_no_hall_page_answers_odd_values_with_a_server_error(world, client, persona, values):
    matrix_objects(world)
    client.raise_request_exception = False
    client.force_login(world.users[persona])
    errors, seen, walked = ServerErrors(), set(), 0
    for _route, pattern, path in pages(world):
        if not path.startswith("/hall/"):
            continue
        first = client.get(path)
        errors.check(first, f"GET {path}")
        if first.status_code != 200 or "html" not in first.get("Content-Type", ""):
            continue
        walked += 1
        html = first.content.decode()
        names, by_hand = param_names(pattern, view_class(pattern), html)
        fuzz_queries(client, errors, path, names, by_hand, values)
        fuzz_forms(client, errors, path, html, by_hand, seen, values)
    assert errors == [], "\n".join(errors)
    assert walked >= 1
