"""Every page, every persona: the status each one gets (200 allowed, 403 role lacks it, 404 outside scope).

One table, so that a new page cannot be added without deciding who may open it.
"""

import pytest
from django.urls import reverse
from django.utils.module_loading import import_string

pytestmark = pytest.mark.django_db

# fmt: off
PERSONAS = ["street_admin", "secretary", "staff", "grid_worker_1", "grid_worker_2", "dept_handler", "volunteer",
            "resident", "nobody"]


#: Helpers that add an app's own objects to the world (kind -> key -> object), called when a row names a kind
#: the core world lacks.
WORLD_EXTRAS = ("linli.wishes.testing.matrix_objects", "linli.residents.testing.matrix_objects")


def objects_of(world, kind):
    if not hasattr(world, kind):
        for helper in WORLD_EXTRAS:
            for extra_kind, objects in import_string(helper)(world).items():
                setattr(world, extra_kind, objects)
    return getattr(world, kind)


def url(world, name, obj=None):
    if obj is None:
        return reverse(name)
    kind, key = obj
    target = objects_of(world, kind)[key]
    return reverse(name, args=[target if isinstance(target, str) else target.pk])


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
    # 迁出/死亡 is the normal path for everyone who edits residents; deletion only for street administrators.
    ("residents:resident_mark_left", ("residents", "zhang"),                    [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("residents:resident_delete", ("residents", "zhang"),                       [200, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("residents:resident_delete", ("residents", "sun"),                         [404, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("residents:reveal_list", None,                                             [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("residents:my_record", None,                                               [403, 403, 403, 403, 403, 403, 403, 200, 403]),
    ("residents:tag_list", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    # A global tag opens read-only for managers (its POST is refused, see residents/tests/test_tag_scope.py).
    ("residents:tag_edit", ("tags", "living_alone"),                            [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("residents:tag_edit", ("tags", "e1_own"),                                  [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("residents:tag_edit", ("tags", "w1_own"),                                  [404, 404, 403, 403, 403, 403, 403, 403, 403]),
    ("workdays:holiday_list", None,                                             [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("accounts:user_list", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("ledgers:export_log", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("accounts:user_edit", ("users", "grid_worker_1"),                          [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("accounts:user_edit", ("users", "street_admin"),                           [200, 404, 403, 403, 403, 403, 403, 403, 403]),
    ("visits:worklist", None,                                                   [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("visits:visit_log", ("residents", "zhang"),                                [200, 200, 200, 200, 404, 403, 403, 403, 404]),
    ("visits:visit_log", ("residents", "sun"),                                  [404, 404, 404, 404, 404, 403, 403, 403, 404]),
    ("visits:alert_list", None,                                                 [200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("visits:coverage", None,                                                   [200, 200, 200, 200, 200, 403, 403, 403, 200]),
    ("visits:coverage_overdue", None,                                           [200, 200, 200, 200, 200, 403, 403, 403, 200]),
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
    # volunteers (pages of one activity, volunteer or team: VOLUNTEER_MATRIX below)
    ("volunteers:activity_list", None,                                          [200, 200, 200, 403, 403, 403, 200, 403, 200]),
    ("volunteers:activity_add", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("volunteers:volunteer_list", None,                                         [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("volunteers:volunteer_add", None,                                          [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("volunteers:team_list", None,                                              [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("volunteers:team_add", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("volunteers:my_record", None,                                              [403, 403, 403, 403, 403, 403, 200, 403, 403]),
    ("volunteers:hours_report", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("volunteers:resident_search", None,                                        [200, 200, 200, 403, 403, 403, 403, 403, 200]),
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
    ("lovebank:totals_export", None,                                            [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("lovebank:account_export", ("accounts", "chen"),                           [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("lovebank:account_export", ("accounts", "zhao"),                           [200, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("lovebank:account_export", ("accounts", "sun"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("lovebank:rule_list", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    # micro-wishes and donations (the volunteer persona is assigned to 东一社区; claimers: linli/wishes/tests/test_scope.py)
    ("wishes:wish_list", None,                                                  [200, 200, 200, 403, 403, 403, 200, 403, 200]),
    ("wishes:wish_add", None,                                                   [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("wishes:wish_detail", ("wishes", "e1"),                                    [200, 200, 200, 403, 403, 403, 200, 403, 404]),
    ("wishes:wish_detail", ("wishes", "w1"),                                    [404, 404, 404, 403, 403, 403, 404, 403, 404]),
    ("wishes:wish_edit", ("wishes", "e1"),                                      [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("wishes:claimer_list", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("wishes:claimer_add", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("wishes:claimer_edit", ("claimers", "xia"),                                [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("wishes:claimer_edit", ("claimers", "sun"),                                [404, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("wishes:wish_report", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("wishes:donation_stock", None,                                             [200, 200, 200, 403, 403, 403, 403, 403, 200]),
    ("wishes:wish_public", ("community_codes", "e1"),                           [200, 200, 200, 200, 200, 200, 200, 200, 200]),
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


@pytest.fixture
def volunteer_world(world):
    """An activity, a team and two volunteers in 东一社区 (one of them the `volunteer` persona, who leads the
    team) and the same in 西一社区."""
    from linli.testing import SYSTEM
    from linli.volunteers.models import Team
    from linli.volunteers.services import mark_attendance, save_team
    from linli.volunteers.tests.helpers import activity, team_led_by, volunteer

    objs = {}
    for key in ("e1", "w1"):
        mine = volunteer(
            world, name=f"{key}本人", community=key, user=world.users["volunteer"] if key == "e1" else None
        )
        team = team_led_by(world, mine, name=f"{key}服务队") if key == "e1" else None
        objs[f"activity_{key}"] = a = activity(world, community=key, team=team, start=-0.5)
        objs[f"volunteer_{key}"] = mine
        objs[f"other_{key}"] = other = volunteer(world, name=f"{key}别人", community=key)
        objs[f"team_{key}"] = team
        a.signups.create(volunteer=other, status="confirmed", signed_up_at=a.starts_at)
        objs[f"attendance_{key}"] = mark_attendance(a, other, actor=SYSTEM)
    objs["team_w1"] = save_team(Team(community=world.communities["w1"], name="西一服务队"), actor=SYSTEM)
    return objs


#   page,                              object,          expected status per persona (in PERSONAS order)
VOLUNTEER_MATRIX = [
    ("volunteers:activity_detail", "activity_e1", [200, 200, 200, 403, 403, 403, 200, 403, 404]),
    ("volunteers:activity_detail", "activity_w1", [404, 404, 404, 403, 403, 403, 404, 403, 404]),
    ("volunteers:activity_edit", "activity_e1", [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("volunteers:activity_cancel", "activity_e1", [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("volunteers:activity_cancel", "activity_w1", [404, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("volunteers:activity_code", "activity_e1", [200, 200, 200, 403, 403, 403, 200, 403, 404]),
    ("volunteers:activity_attendance", "activity_e1", [200, 200, 200, 403, 403, 403, 200, 403, 404]),
    ("volunteers:activity_scan", "activity_e1", [400, 400, 400, 403, 403, 403, 400, 403, 404]),
    ("volunteers:attendance_correct", "attendance_e1", [200, 200, 200, 404, 404, 404, 200, 404, 404]),
    ("volunteers:attendance_correct", "attendance_w1", [404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("volunteers:volunteer_detail", "volunteer_e1", [200, 200, 200, 403, 403, 403, 200, 403, 404]),
    ("volunteers:volunteer_detail", "other_e1", [200, 200, 200, 403, 403, 403, 404, 403, 404]),
    ("volunteers:volunteer_detail", "other_w1", [404, 404, 404, 403, 403, 403, 404, 403, 404]),
    ("volunteers:certificate", "volunteer_e1", [200, 200, 200, 403, 403, 403, 200, 403, 404]),
    ("volunteers:certificate", "other_e1", [200, 200, 200, 403, 403, 403, 404, 403, 404]),
    ("volunteers:volunteer_edit", "other_e1", [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("volunteers:team_detail", "team_e1", [200, 200, 200, 403, 403, 403, 403, 403, 404]),
    ("volunteers:team_detail", "team_w1", [404, 404, 404, 403, 403, 403, 403, 403, 404]),
    ("volunteers:team_edit", "team_e1", [200, 200, 200, 403, 403, 403, 403, 403, 404]),
]


@pytest.mark.parametrize("name, key, expected", VOLUNTEER_MATRIX, ids=[f"{m[0]}-{m[1]}" for m in VOLUNTEER_MATRIX])
def test_each_persona_gets_the_status_the_volunteer_matrix_says(world, volunteer_world, client, name, key, expected):
    target = reverse(name, args=[volunteer_world[key].pk])
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
    assert client.post(reverse("residents:resident_mark_left", args=[zhang.pk])).status_code == 404
    assert client.post(reverse("residents:resident_delete", args=[zhang.pk])).status_code == 403  # role lacks it
    assert client.post(reverse("residents:resident_reveal_id", args=[zhang.pk])).status_code == 403
    client.force_login(world.users["secretary"])
    sun = world.residents["sun"]
    assert client.post(reverse("residents:resident_delete", args=[sun.pk])).status_code == 403
    client.force_login(world.users["street_admin"])
    assert client.post(reverse("residents:resident_delete", args=[sun.pk]), {"reason": "重复"}).status_code == 404
    assert Resident.objects.filter(pk__in=[zhang.pk, sun.pk]).count() == 2
