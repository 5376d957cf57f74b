"""Every page, every persona: the status each one gets (200 allowed, 403 role lacks it, 404 outside scope).

One table, so that a new page cannot be added without deciding who may open it.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# fmt: off
PERSONAS = ["street_admin", "secretary", "staff", "grid_worker_1", "grid_worker_2", "dept_handler", "volunteer",
            "resident", "nobody"]


def url(world, name, obj=None):
    if obj is None:
        return reverse(name)
    kind, key = obj
    target = getattr(world, kind)[key]
    return reverse(name, args=[target.pk])


#   page,                                       object,                        expected status per persona (in PERSONAS order)
MATRIX = [
    ("core:home", None,                                                         [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("core:help", None,                                                         [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("areas:area_tree", None,                                                   [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("areas:street_detail", ("streets", "east"),                                [200, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("areas:street_detail", ("streets", "west"),                                [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("areas:community_detail", ("communities", "e1"),                           [200, 200, 200, 404, 404, 403, 403, 403, 404]),
    ("areas:community_detail", ("communities", "e2"),                           [200, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("areas:grid_detail", ("grids", "g1"),                                      [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("areas:grid_edit", ("grids", "g1"),                                        [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("areas:building_detail", ("buildings", "b1"),                              [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("areas:building_detail", ("buildings", "b4"),                              [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("areas:building_edit", ("buildings", "b1"),                                [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("areas:building_move", ("buildings", "b2"),                                [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("areas:building_add", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("areas:street_add", None,                                                  [403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("residents:resident_list", None,                                           [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("residents:resident_search", None,                                         [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("residents:resident_add", None,                                            [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("residents:resident_detail", ("residents", "zhang"),                       [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("residents:resident_detail", ("residents", "wang"),                        [200, 200, 200, 404, 200, 403, 403, 403, 404]),
    ("residents:resident_detail", ("residents", "sun"),                         [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("residents:resident_edit", ("residents", "zhang"),                         [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("residents:my_record", None,                                               [403, 403, 403, 403, 403, 403, 403, 200, 403]),
    ("residents:tag_list", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("workdays:holiday_list", None,                                             [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("accounts:user_list", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("accounts:user_edit", ("users", "grid_worker_1"),                          [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("accounts:user_edit", ("users", "street_admin"),                           [200, 404, 403, 403, 403, 403, 403, 403, 403]),
    ("visits:worklist", None,                                                   [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("visits:visit_log", ("residents", "zhang"),                                [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("visits:visit_log", ("residents", "sun"),                                  [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("visits:alert_list", None,                                                 [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("visits:coverage", None,                                                   [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("visits:coverage_overdue", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("visits:diary_list", None,                                                 [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("visits:diary_add", None,                                                  [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("appeals:appeal_list", None,                                               [200, 200, 200, 200, 200, 200, 403, 403, 200]),
    ("appeals:appeal_export", None,                                             [200, 200, 200, 403, 403, 200, 403, 403, 200]),
    ("notifications:notification_list", None,                                   [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("accounts:token_list", None,                                               [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("appeals:appeal_stats", None,                                              [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("appeals:appeal_add", None,                                                [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    # appeals directory, problem lists (more rows with organisations: linli/appeals/tests/test_directory_scope.py)
    ("appeals:unit_guide", None,                                                [200, 200, 200, 200, 200, 200, 403, 200, 200]),
    ("appeals:unit_setup", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("appeals:organisation_add", None,                                          [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("appeals:directory", None,                                                 [200, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("appeals:category_add", None,                                              [200, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("appeals:problem_lists", None,                                             [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("appeals:problem_list_add", None,                                          [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    # love bank (爱心银行): community staff and the street; a resident has only 我的积分 and reports deeds
    ("lovebank:account_list", None,                                             [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("lovebank:account_detail", ("accounts", "chen"),                           [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("lovebank:account_detail", ("accounts", "zhao"),                           [200, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("lovebank:account_detail", ("accounts", "sun"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("lovebank:redemption_add", ("accounts", "chen"),                           [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("lovebank:redemption_add", ("accounts", "zhao"),                           [200, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("lovebank:holder_add", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("lovebank:my_account", None,                                               [403, 403, 403, 403, 403, 403, 403, 200, 403]),
    ("lovebank:redemption_list", None,                                          [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("lovebank:deed_list", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("lovebank:deed_add", None,                                                 [200, 200, 200, 403, 403, 403, 403, 200, 200]),
    ("lovebank:deed_detail", ("deeds", "e1"),                                   [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("lovebank:item_list", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("lovebank:item_add", None,                                                 [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("lovebank:item_edit", ("items", "rice"),                                   [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("lovebank:item_edit", ("items", "oil"),                                    [200, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("lovebank:honour_board", None,                                             [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("lovebank:monthly_totals", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200]),
]
# fmt: on


@pytest.fixture
def world(world):
    """The shared world plus love bank accounts, items and a deed (linli.lovebank.testing)."""
    from linli.lovebank.testing import add_lovebank

    return add_lovebank(world)


@pytest.mark.parametrize("name, obj, expected", MATRIX, ids=[f"{m[0]}-{m[1][1] if m[1] else ''}" for m in MATRIX])
def test_each_persona_gets_the_status_the_matrix_says(world, client, name, obj, expected):
    target = url(world, name, obj)
    got = []
    for persona in PERSONAS:
        client.force_login(world.users[persona])
        got.append(client.get(target).status_code)
    assert dict(zip(PERSONAS, got)) == dict(zip(PERSONAS, expected))


def test_the_household_page_follows_the_building(world, client):
    household = world.residents["wang"].household
    expected = {
        "street_admin": 200,
        "secretary": 200,
        "staff": 200,
        "grid_worker_1": 404,
        "grid_worker_2": 200,
        "dept_handler": 403,
        "volunteer": 403,
        "resident": 403,
        "nobody": 404,
    }
    got = {}
    for persona in PERSONAS:
        client.force_login(world.users[persona])
        got[persona] = client.get(reverse("areas:household_detail", args=[household.pk])).status_code
    assert got == expected


def test_posts_outside_scope_change_nothing(world, client):
    from linli.residents.models import Resident

    zhang = world.residents["zhang"]
    client.force_login(world.users["grid_worker_2"])
    assert client.post(reverse("residents:resident_delete", args=[zhang.pk])).status_code == 404
    assert client.post(reverse("residents:resident_reveal_id", args=[zhang.pk])).status_code == 403
    client.force_login(world.users["secretary"])
    sun = world.residents["sun"]
    assert client.post(reverse("residents:resident_delete", args=[sun.pk])).status_code == 404
    assert Resident.objects.filter(pk__in=[zhang.pk, sun.pk]).count() == 2
