"""Directory, problem-list and public pages × personas, on the appeals world (organisations, lists).

tests/test_scope_matrix.py holds the rows that need no organisation; these need the `aw` fixture.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.appeals import services_problems as problems

pytestmark = pytest.mark.django_db

PERSONAS = ["street_admin", "secretary", "staff", "grid_worker_1", "grid_worker_2", "dept_handler", "volunteer",
            "resident", "nobody", "water_handler"]  # fmt: skip


def targets(aw):
    e1_list = problems.create_list(
        actor=aw.actor("secretary"), name="东一清单", year=2026, community=aw.communities["e1"]
    )
    e2_list = problems.create_list(
        actor=aw.actor("street_admin"), name="东二清单", year=2026, community=aw.communities["e2"]
    )
    item = problems.add_item(e1_list, actor=aw.actor("secretary"), title="楼道灯")
    guide = reverse("appeals:unit_guide")
    return {
        "guide e1": f"{guide}?community={aw.communities['e1'].pk}",
        "guide e2": f"{guide}?community={aw.communities['e2'].pk}",
        "setup e1": f"{reverse('appeals:unit_setup')}?community={aw.communities['e1'].pk}",
        "setup e2": f"{reverse('appeals:unit_setup')}?community={aw.communities['e2'].pk}",
        "unit edit": reverse("appeals:unit_edit", args=[aw.units["water"].pk]),
        "category edit": reverse("appeals:category_edit", args=[aw.category("corridor_light").pk]),
        "organisation edit": reverse("appeals:organisation_edit", args=[aw.orgs["property"].pk]),
        "list e1": reverse("appeals:problem_list_detail", args=[e1_list.pk]),
        "list e2": reverse("appeals:problem_list_detail", args=[e2_list.pk]),
        "list edit e1": reverse("appeals:problem_list_edit", args=[e1_list.pk]),
        "item add e1": reverse("appeals:problem_item_add", args=[e1_list.pk]),
        "item edit e1": reverse("appeals:problem_item_edit", args=[item.pk]),
        "public e1": reverse("appeals:public_results", args=["e1"]),
        "public unknown": reverse("appeals:public_results", args=["nowhere"]),
    }


# fmt: off
#   page                 street_admin secretary staff gw1  gw2  dept  vol  resident nobody water_handler
MATRIX = {
    "guide e1":          [200, 200, 200, 200, 200, 200, 403, 200, 404, 200],
    "guide e2":          [200, 404, 404, 404, 404, 404, 403, 200, 404, 404],
    "setup e1":          [200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "setup e2":          [200, 404, 403, 403, 403, 403, 403, 403, 403, 403],
    "unit edit":         [200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    "category edit":     [200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    "organisation edit": [200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "list e1":           [200, 200, 200, 200, 200, 403, 403, 403, 404, 403],
    "list e2":           [200, 404, 404, 404, 404, 403, 403, 403, 404, 403],
    "list edit e1":      [200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "item add e1":       [200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "item edit e1":      [200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "public e1":         [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "public unknown":    [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
}
# fmt: on


def test_each_persona_gets_the_status_the_table_says(aw, client):
    urls = targets(aw)
    got = {}
    for page, url in urls.items():
        row = []
        for persona in PERSONAS:
            client.force_login(aw.users[persona])
            row.append(client.get(url).status_code)
        got[page] = row
    assert got == MATRIX


def test_the_public_page_needs_no_login(aw, client):
    assert client.get(reverse("appeals:public_results", args=["e1"])).status_code == 200
    assert client.get(reverse("appeals:unit_guide")).status_code == 302
