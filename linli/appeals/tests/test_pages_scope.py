"""The intake and detail pages, every persona (the `world` ones plus the appeal handlers of the `aw` fixture).

200 allowed, 403 the role lacks the right, 404 outside scope. The detail page asks no role right: area
roles see their area's appeals and handlers those of their organisations, so everybody else gets a 404.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.appeals import services
from linli.appeals.tests.conftest import new_appeal

pytestmark = pytest.mark.django_db

# fmt: off
PERSONAS = ["street_admin", "secretary", "staff", "grid_worker_1", "grid_worker_2", "dept_handler", "volunteer",
            "resident", "nobody", "water_handler", "e2_handler"]

#   page / appeal                  expected status per persona (in PERSONAS order)
MATRIX = [
    ("add", None,                  [200, 200, 200, 200, 200, 403, 403, 403, 200, 403, 403]),
    ("detail", "b1_new",           [200, 200, 200, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("detail", "b1_property",      [200, 200, 200, 200, 404, 200, 404, 404, 404, 404, 404]),
    ("detail", "b2_water",         [200, 200, 200, 404, 200, 404, 404, 404, 404, 200, 404]),
    ("detail", "e2_property",      [200, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200]),
]
# fmt: on


def appeals(aw) -> dict:
    secretary, admin = aw.actor("secretary"), aw.actor("street_admin")
    b1_property = new_appeal(aw)
    services.dispatch(b1_property, aw.units["property"], actor=secretary)
    b2_water = new_appeal(aw, building="b2", category="water_outage")
    services.dispatch(b2_water, aw.units["water"], actor=secretary)
    e2_property = new_appeal(aw, building="b3")
    services.dispatch(e2_property, aw.units["property"], actor=admin)
    return {"b1_new": new_appeal(aw), "b1_property": b1_property, "b2_water": b2_water, "e2_property": e2_property}


@pytest.mark.parametrize("page, key, expected", MATRIX, ids=[f"{m[0]}-{m[1] or ''}" for m in MATRIX])
def test_each_persona_gets_the_status_the_table_says(aw, client, page, key, expected):
    if page == "add":
        target = reverse("appeals:appeal_add")
    else:
        target = reverse("appeals:appeal_detail", args=[appeals(aw)[key].pk])
    got = []
    for persona in PERSONAS:
        client.force_login(aw.users[persona])
        got.append(client.get(target).status_code)
    assert dict(zip(PERSONAS, got)) == dict(zip(PERSONAS, expected))


def test_the_detail_page_query_count_does_not_grow_with_the_timeline(aw, client, django_assert_max_num_queries):
    appeal = appeals(aw)["b1_property"]
    for n in range(10):
        services.add_progress(appeal, actor=aw.actor("staff"), note=f"进展{n}")
    client.force_login(aw.users["secretary"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("appeals:appeal_detail", args=[appeal.pk])).status_code == 200
