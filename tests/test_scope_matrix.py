"""Every page, every persona: the status each one gets (200 allowed, 403 role lacks it, 404 outside scope).

One table, so that a new page cannot be added without deciding who may open it: every named route of the
project's urlconf is either in MATRIX or in NOT_IN_MATRIX with the reason (`test_every_named_route_is_decided`).
An object page is opened for a record of the personas' own area and for one of another area (tests/scope_world.py):
the other street's (西街) for the street administrator, the other community's for the 东一 staff, the other grid's
for grid worker 2. A route whose view has no GET is POSTed (empty form): a refusal is 403/404 before the form is
read, an allowed persona gets the form's answer (200 with errors, 302, 400). Each request runs in a savepoint
rolled back afterwards, so what one persona changes is not there for the next.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

pytestmark = pytest.mark.django_db

# fmt: off
PERSONAS = ["street_admin", "secretary", "staff", "grid_worker_1", "grid_worker_2", "dept_handler", "volunteer",
            "resident", "nobody"]
#: The page matrix also asks an anonymous visitor (the API matrix, which imports PERSONAS, does that apart).
PAGE_PERSONAS = [*PERSONAS, "anonymous"]
# fmt: on


def named_routes() -> dict[str, str]:
    """Every named route of the urlconf (namespace:name) and its path, parameters written as OpenAPI writes
    them ("api/residents/{resident_id}")."""
    found = {}

    def walk(patterns, namespace, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
                walk(p.url_patterns, ns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", prefix + str(p.pattern))
                found[f"{namespace}:{p.name}" if namespace else p.name] = path

    walk(get_resolver().url_patterns, None, "/")
    return found


def target_of(objects, obj):
    kind, key = obj
    target = objects[kind][key]
    if isinstance(target, str):
        return [target]
    if isinstance(target, tuple):
        return list(target)
    return [target.pk]


def url(objects, name, obj=None):
    return reverse(name, args=target_of(objects, obj) if obj else None)


def method_of(path: str) -> str:
    """GET where the view answers it, else POST (an action button)."""
    view_class = getattr(resolve(path).func, "view_class", None)
    return "GET" if view_class is None or hasattr(view_class, "get") else "POST"


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory, _shipped_router):
    """Built once for the module (tests/scope_world.py); each test runs in a savepoint rolled back after it."""
    from tests.scope_world import build_matrix_world, built_once

    with built_once(django_db_blocker, _shipped_router, tmp_path_factory.mktemp("media")):
        yield build_matrix_world()


def status(client, world, persona, path, method):
    """The persona's status for one request. An anonymous visitor's 302 must lead to the login page, and a page a
    persona may open must not name another area's records."""
    if persona == "anonymous":
        client.logout()
    else:
        client.force_login(world.users[persona])
    with transaction.atomic():
        response = client.get(path) if method == "GET" else client.post(path)
        transaction.set_rollback(True)
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
    if response.status_code == 200:
        assert leaks(persona, response) == [], f"{persona} sees another area's records on {path}"
    return response.status_code


#: Names only another area's records carry (tests/scope_world.py), looked for on every page a persona opens:
#: 西街's for everyone, 东二社区's for everyone below the street, grid 1's residents for grid worker 2 (not 张三,
#: the example name of help texts).
OTHER_STREET = ["西街", "西一", "孙七", "孙党员", "w1别人", "w1本人", "w1_staff", "肥皂"]
OTHER_COMMUNITY = ["东二", "赵六"]
OTHER_GRID = ["李四", "陈奶奶"]


def leaks(persona, response) -> list[str]:
    """The other areas' names on a page, in a JSON answer or in a spreadsheet's cells."""
    kind = response.get("Content-Type", "")
    if kind.startswith(("text/", "application/json")):
        text = response.content.decode()
    elif kind.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
        data = b"".join(response.streaming_content) if response.streaming else response.content
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    else:
        return []
    markers = OTHER_STREET + ([] if persona == "street_admin" else OTHER_COMMUNITY)
    markers += OTHER_GRID if persona == "grid_worker_2" else []
    return [m for m in markers if m in text]


#   page,                                                                       expected status per persona (in PAGE_PERSONAS order)
# fmt: off
MATRIX = [
    # the shell
    ("core:home", None,                                                         [200, 200, 200, 200, 200, 200, 200, 200, 200, 302]),
    ("core:help", None,                                                         [200, 200, 200, 200, 200, 200, 200, 200, 200, 302]),
    # accounts: users, API tokens (a token is its owner's)
    ("accounts:token_list", None,                                               [200, 200, 200, 200, 200, 200, 200, 200, 200, 302]),
    ("accounts:token_revoke", ("tokens", "secretary"),                          [404, 302, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("accounts:user_list", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_add", None,                                                 [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_edit", ("users", "grid_worker_1"),                          [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_edit", ("users", "street_admin"),                           [200, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_edit", ("users", "w1_staff"),                               [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_password", ("users", "grid_worker_1"),                      [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_password", ("users", "w1_staff"),                           [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_unlock", ("users", "grid_worker_1"),                        [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_unlock", ("users", "w1_staff"),                             [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_deactivate", ("users", "grid_worker_1"),                    [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_deactivate", ("users", "w1_staff"),                         [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:password_change", None,                                          [200, 200, 200, 200, 200, 200, 200, 200, 200, 302]),
    ("accounts:user_tokens", ("users", "grid_worker_1"),                        [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_tokens", ("users", "w1_staff"),                             [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_token_revoke", ("user_tokens", "grid_worker_1"),            [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_token_revoke", ("user_tokens", "w1_staff"),                 [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    # 两步验证 (linli.accounts.twofactor): one's own pages (none for a resident); a manager's reset of an account
    ("accounts:twofactor", None,                                                [200, 200, 200, 200, 200, 200, 200, 403, 200, 302]),
    ("accounts:twofactor_verify", None,                                         [302, 302, 302, 302, 302, 302, 302, 302, 302, 302]),
    ("accounts:twofactor_setup", None,                                          [200, 200, 200, 200, 200, 200, 200, 403, 200, 302]),
    ("accounts:twofactor_codes", None,                                          [302, 302, 302, 302, 302, 302, 302, 403, 302, 302]),
    ("accounts:twofactor_regenerate", None,                                     [302, 302, 302, 302, 302, 302, 302, 403, 302, 302]),
    ("accounts:twofactor_remove", None,                                         [302, 302, 302, 302, 302, 302, 302, 403, 302, 302]),
    ("accounts:user_twofactor_reset", ("users", "grid_worker_1"),               [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("accounts:user_twofactor_reset", ("users", "w1_staff"),                    [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    # areas
    ("areas:area_tree", None,                                                   [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("areas:street_add", None,                                                  [403, 403, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:street_detail", ("streets", "east"),                                [200, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("areas:street_detail", ("streets", "west"),                                [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("areas:street_edit", ("streets", "east"),                                  [200, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:street_edit", ("streets", "west"),                                  [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:community_add", None,                                               [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:community_detail", ("communities", "e1"),                           [200, 200, 200, 404, 404, 403, 403, 403, 404, 302]),
    ("areas:community_detail", ("communities", "e2"),                           [200, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("areas:community_detail", ("communities", "w1"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("areas:community_edit", ("communities", "e1"),                             [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:community_edit", ("communities", "w1"),                             [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:grid_add", None,                                                    [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:grid_detail", ("grids", "g1"),                                      [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("areas:grid_detail", ("grids", "g4"),                                      [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("areas:grid_edit", ("grids", "g1"),                                        [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:grid_edit", ("grids", "g4"),                                        [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:building_add", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:building_detail", ("buildings", "b1"),                              [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("areas:building_detail", ("buildings", "b4"),                              [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("areas:building_edit", ("buildings", "b1"),                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:building_edit", ("buildings", "b4"),                                [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:grid_delete", ("grids", "g1"),                                      [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:grid_delete", ("grids", "g4"),                                      [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:building_delete", ("buildings", "b1"),                              [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:building_delete", ("buildings", "b4"),                              [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:household_delete", ("households", "zhang"),                         [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("areas:household_delete", ("households", "sun"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("areas:building_move", ("buildings", "b2"),                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:building_move", ("buildings", "b4"),                                [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("areas:household_add", None,                                               [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("areas:household_detail", ("households", "wang"),                          [200, 200, 200, 404, 200, 403, 403, 403, 404, 302]),
    ("areas:household_detail", ("households", "zhang"),                         [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("areas:household_detail", ("households", "sun"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("areas:household_edit", ("households", "zhang"),                           [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("areas:household_edit", ("households", "sun"),                             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # 数据看板 (linli.dashboards): the users assigned at a level or above open its dashboards
    ("dashboards:dashboard_home", None,                                         [302, 302, 302, 302, 302, 403, 403, 403, 200, 302]),
    ("dashboards:street_dashboard", ("streets", "east"),                        [200, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("dashboards:street_dashboard", ("streets", "west"),                        [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("dashboards:community_dashboard", ("communities", "e1"),                   [200, 200, 200, 404, 404, 403, 403, 403, 404, 302]),
    ("dashboards:community_dashboard", ("communities", "e2"),                   [200, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("dashboards:community_dashboard", ("communities", "w1"),                   [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("dashboards:grid_dashboard", ("grids", "g1"),                              [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("dashboards:grid_dashboard", ("grids", "g4"),                              [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # 社区大屏 (linli.bigscreen): staff and managers of a community set up its screens, the street office the street's;
    # grid workers take no part. The display link itself (no login, a long random key): NOT_IN_MATRIX
    ("bigscreen:screen_list", None,                                             [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("bigscreen:screen_add", None,                                              [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("bigscreen:screen_detail", ("screens", "e1"),                              [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_detail", ("screens", "east"),                            [200, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_detail", ("screens", "w1"),                              [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_edit", ("screens", "e1"),                                [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_edit", ("screens", "east"),                              [200, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_edit", ("screens", "w1"),                                [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_renew", ("screens", "e1"),                               [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_renew", ("screens", "w1"),                               [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_stop", ("screens", "e1"),                                [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_stop", ("screens", "east"),                              [302, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:screen_stop", ("screens", "w1"),                                [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("bigscreen:wall", None,                                                    [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("bigscreen:wall_hide", None,                                               [302, 302, 302, 403, 403, 403, 403, 403, 302, 302]),
    ("bigscreen:wall_show", None,                                               [302, 302, 302, 403, 403, 403, 403, 403, 302, 302]),
    ("bigscreen:wall_consent", None,                                            [302, 302, 302, 403, 403, 403, 403, 403, 302, 302]),
    # residents
    ("residents:resident_list", None,                                           [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("residents:resident_bulk_tag", None,                                       [302, 302, 302, 302, 302, 403, 403, 403, 302, 302]),
    ("residents:resident_search", None,                                         [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("residents:resident_add", None,                                            [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("residents:my_record", None,                                               [403, 403, 403, 403, 403, 403, 403, 200, 403, 302]),
    ("residents:my_section", ("self_sections", "notices"),                      [403, 403, 403, 403, 403, 403, 403, 200, 403, 302]),
    ("residents:my_section", ("self_sections", "appeals"),                      [403, 403, 403, 403, 403, 403, 403, 200, 403, 302]),
    ("residents:my_section", ("self_sections", "unknown"),                      [403, 403, 403, 403, 403, 403, 403, 404, 403, 302]),
    ("residents:family", None,                                                  [403, 403, 403, 403, 403, 403, 403, 200, 403, 302]),
    ("residents:family_view", ("family_links", "own"),                          [403, 403, 403, 403, 403, 403, 403, 200, 403, 302]),
    ("residents:family_view", ("family_links", "asked"),                        [403, 403, 403, 403, 403, 403, 403, 404, 403, 302]),
    ("residents:family_view", ("family_links", "w1"),                           [403, 403, 403, 403, 403, 403, 403, 404, 403, 302]),
    ("residents:resident_detail", ("residents", "zhang"),                       [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("residents:resident_detail", ("residents", "wang"),                        [200, 200, 200, 404, 200, 403, 403, 403, 404, 302]),
    ("residents:resident_detail", ("residents", "sun"),                         [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("residents:resident_edit", ("residents", "zhang"),                         [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("residents:resident_edit", ("residents", "sun"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # 迁出/死亡 is the normal path for everyone who edits residents; deletion only for street administrators.
    ("residents:resident_mark_left", ("residents", "zhang"),                    [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("residents:resident_mark_left", ("residents", "sun"),                      [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("residents:family_record", ("residents", "zhang"),                         [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("residents:family_record", ("residents", "sun"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("residents:resident_delete", ("residents", "zhang"),                       [200, 403, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("residents:resident_delete", ("residents", "sun"),                         [404, 403, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("residents:resident_reveal_id", ("residents", "zhang"),                    [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("residents:resident_reveal_id", ("residents", "sun"),                      [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("residents:contact_add", ("residents", "zhang"),                           [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("residents:contact_add", ("residents", "sun"),                             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("residents:contact_edit", ("contacts", "zhang"),                           [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("residents:contact_edit", ("contacts", "sun"),                             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("residents:contact_delete", ("contacts", "zhang"),                         [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("residents:contact_delete", ("contacts", "sun"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("residents:reveal_list", None,                                             [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("residents:tag_list", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("residents:tag_add", None,                                                 [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    # A global tag opens read-only for managers (its POST is refused, see residents/tests/test_tag_scope.py).
    ("residents:tag_edit", ("tags", "living_alone"),                            [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("residents:tag_edit", ("tags", "e1_own"),                                  [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("residents:tag_edit", ("tags", "w1_own"),                                  [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    # ledgers: imports, exports, printed ledgers
    ("ledgers:import_list", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("ledgers:import_detail", ("import_jobs", "e1"),                            [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("ledgers:import_detail", ("import_jobs", "w1"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("ledgers:import_run", ("import_jobs", "e1"),                               [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("ledgers:import_run", ("import_jobs", "w1"),                               [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("ledgers:resident_export", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("ledgers:print_building", ("buildings", "b1"),                             [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("ledgers:print_building", ("buildings", "b4"),                             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("ledgers:print_grid", ("grids", "g1"),                                     [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("ledgers:print_grid", ("grids", "g4"),                                     [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("ledgers:export_log", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("ledgers:import_template", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    # visits, alerts, 民情日记, ledgers
    ("visits:worklist", None,                                                   [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:visit_log", ("residents", "zhang"),                                [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("visits:visit_log", ("residents", "sun"),                                  [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("visits:alert_list", None,                                                 [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("visits:alert_bulk_resolve", None,                                         [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("visits:alert_resolve", ("alerts", "zhang"),                               [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("visits:alert_resolve", ("alerts", "sun"),                                 [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("visits:coverage", None,                                                   [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:coverage_overdue", None,                                           [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:visit_ledger", None,                                               [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:visit_ledger_xlsx", None,                                          [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:diary_ledger", None,                                               [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:diary_ledger_xlsx", None,                                          [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:coverage_ledger", None,                                            [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:coverage_ledger_xlsx", None,                                       [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:diary_list", None,                                                 [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:diary_add", None,                                                  [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("visits:diary_detail", ("notes", "g1"),                                    [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("visits:diary_detail", ("notes", "w1"),                                    [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("visits:diary_edit", ("notes", "g1"),                                      [403, 403, 403, 200, 404, 403, 403, 403, 404, 302]),
    ("visits:diary_edit", ("notes", "w1"),                                      [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # notifications (a message is its recipient's)
    ("notifications:notification_list", None,                                   [200, 200, 200, 200, 200, 200, 200, 200, 200, 302]),
    ("notifications:notification_open", ("notifications", "secretary"),         [404, 302, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("notifications:notification_read_all", None,                               [302, 302, 302, 302, 302, 302, 302, 302, 302, 302]),
    # appeals: an action button is POSTed empty (400: the form's answer)
    ("appeals:appeal_list", None,                                               [200, 200, 200, 200, 200, 200, 403, 403, 200, 302]),
    ("appeals:appeal_export", None,                                             [200, 200, 200, 403, 403, 200, 403, 403, 200, 302]),
    ("appeals:appeal_bulk_dispatch", None,                                      [302, 302, 302, 403, 403, 403, 403, 403, 302, 302]),
    ("appeals:appeal_stats", None,                                              [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("appeals:appeal_add", None,                                                [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("appeals:intake_reporter_search", None,                                    [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("appeals:intake_duplicates", None,                                         [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("appeals:appeal_detail", ("appeals", "e1"),                                [200, 200, 200, 200, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_detail", ("appeals", "e1d"),                               [200, 200, 200, 200, 404, 200, 404, 404, 404, 302]),
    ("appeals:appeal_detail", ("appeals", "w1"),                                [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_edit", ("appeals", "e1"),                                  [400, 400, 400, 400, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_edit", ("appeals", "w1"),                                  [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_dispatch", ("appeals", "e1"),                              [400, 400, 400, 403, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_dispatch", ("appeals", "w1"),                              [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_sign", ("appeals", "e1d"),                                 [403, 403, 403, 403, 404, 302, 404, 404, 404, 302]),
    ("appeals:appeal_sign", ("appeals", "w1"),                                  [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_return", ("appeals", "e1d"),                               [403, 403, 403, 403, 404, 400, 404, 404, 404, 302]),
    ("appeals:appeal_return", ("appeals", "w1"),                                [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_assist", ("appeals", "e1d"),                               [400, 400, 400, 400, 404, 400, 404, 404, 404, 302]),
    ("appeals:appeal_assist", ("appeals", "w1"),                                [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_progress", ("appeals", "e1d"),                             [400, 400, 400, 400, 404, 400, 404, 404, 404, 302]),
    ("appeals:appeal_progress", ("appeals", "w1"),                              [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_extension", ("appeals", "e1d"),                            [403, 403, 403, 403, 404, 400, 404, 404, 404, 302]),
    ("appeals:appeal_extension", ("appeals", "w1"),                             [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_extension_decide", ("appeals", "e1d"),                     [400, 400, 403, 403, 404, 403, 404, 404, 404, 302]),
    ("appeals:appeal_extension_decide", ("appeals", "w1"),                      [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_resolve", ("appeals", "e1d"),                              [403, 403, 403, 403, 404, 400, 404, 404, 404, 302]),
    ("appeals:appeal_resolve", ("appeals", "w1"),                               [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_reply", ("appeals", "e1d"),                                [400, 400, 400, 400, 404, 403, 404, 404, 404, 302]),
    ("appeals:appeal_reply", ("appeals", "w1"),                                 [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_public", ("appeals", "e1d"),                               [400, 400, 400, 400, 404, 403, 404, 404, 404, 302]),
    ("appeals:appeal_public", ("appeals", "w1"),                                [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_reopen", ("appeals", "e1d"),                               [400, 400, 403, 403, 404, 403, 404, 404, 404, 302]),
    ("appeals:appeal_reopen", ("appeals", "w1"),                                [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_escalate", ("appeals", "e1d"),                             [400, 400, 403, 403, 404, 403, 404, 404, 404, 302]),
    ("appeals:appeal_escalate", ("appeals", "w1"),                              [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_withdraw", ("appeals", "e1"),                              [400, 400, 400, 403, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_withdraw", ("appeals", "w1"),                              [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_merge", ("appeals", "e1"),                                 [400, 400, 400, 403, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_merge", ("appeals", "w1"),                                 [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_unmerge", ("appeals", "e1"),                               [400, 400, 400, 403, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_unmerge", ("appeals", "w1"),                               [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:unit_guide", None,                                                [200, 200, 200, 200, 200, 200, 403, 200, 200, 302]),
    ("appeals:unit_setup", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:unit_bind", None,                                                 [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:category_route", None,                                            [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:unit_edit", ("units", "property"),                                [200, 403, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:directory", None,                                                 [200, 403, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:category_add", None,                                              [200, 403, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:category_edit", ("categories", "corridor_light"),                 [200, 403, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:organisation_add", None,                                          [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:organisation_edit", ("orgs", "e1"),                               [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:organisation_edit", ("orgs", "w1"),                               [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_lists", None,                                             [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("appeals:problem_list_add", None,                                          [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_list_detail", ("problem_lists", "e1"),                    [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("appeals:problem_list_detail", ("problem_lists", "w1"),                    [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("appeals:problem_list_print", ("problem_lists", "e1"),                     [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("appeals:problem_list_print", ("problem_lists", "w1"),                     [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("appeals:problem_list_xlsx", ("problem_lists", "e1"),                      [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("appeals:problem_list_xlsx", ("problem_lists", "w1"),                      [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("appeals:appeal_sheet_dispatch", ("appeals", "e1d"),                       [200, 200, 200, 200, 404, 200, 404, 404, 404, 302]),
    ("appeals:appeal_sheet_dispatch", ("appeals", "w1"),                        [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:appeal_sheet_callback", ("appeals", "e1d"),                       [200, 200, 200, 200, 404, 200, 404, 404, 404, 302]),
    ("appeals:appeal_sheet_callback", ("appeals", "w1"),                        [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("appeals:problem_list_edit", ("problem_lists", "e1"),                      [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_list_edit", ("problem_lists", "w1"),                      [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_add", ("problem_lists", "e1"),                       [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_add", ("problem_lists", "w1"),                       [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_edit", ("problem_items", "e1"),                      [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_edit", ("problem_items", "w1"),                      [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_link", ("problem_items", "e1"),                      [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_link", ("problem_items", "w1"),                      [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_unlink", ("item_links", "e1"),                       [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_unlink", ("item_links", "w1"),                       [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_solve", ("problem_items", "e1"),                     [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:problem_item_solve", ("problem_items", "w1"),                     [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("appeals:public_results", ("community_codes", "e1"),                       [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    # photos follow the record they belong to
    ("attachments:photo", ("photos", "e1"),                                     [200, 200, 200, 200, 404, 404, 404, 404, 404, 302]),
    ("attachments:photo", ("photos", "w1"),                                     [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("attachments:photo_thumb", ("photos", "e1"),                               [200, 200, 200, 200, 404, 404, 404, 404, 404, 302]),
    ("attachments:photo_thumb", ("photos", "w1"),                               [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    # workdays
    ("workdays:holiday_list", None,                                             [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("workdays:holiday_delete", ("holidays", "new_year"),                       [302, 403, 403, 403, 403, 403, 403, 403, 403, 302]),
    # 12345 hotline imports
    ("hotline:order_list", None,                                                [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("hotline:import_upload", None,                                             [302, 302, 302, 302, 302, 403, 403, 403, 302, 302]),
    ("hotline:import_detail", ("hotline_imports", "e1"),                        [200, 200, 200, 404, 404, 403, 403, 403, 404, 302]),
    ("hotline:import_detail", ("hotline_imports", "w1"),                        [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("hotline:import_run", ("hotline_imports", "e1"),                           [200, 200, 200, 404, 404, 403, 403, 403, 404, 302]),
    ("hotline:import_run", ("hotline_imports", "w1"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("hotline:export", None,                                                    [302, 302, 302, 403, 403, 403, 403, 403, 302, 302]),
    # Open311 keys (the GeoReport API: NOT_IN_MATRIX)
    ("open311:apikey_list", None,                                               [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("open311:apikey_revoke", ("apikeys", "e1"),                                [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("open311:apikey_revoke", ("apikeys", "w1"),                                [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    # volunteers (the volunteer persona leads 东一's team)
    ("volunteers:activity_list", None,                                          [200, 200, 200, 403, 403, 403, 200, 403, 200, 302]),
    ("volunteers:activity_add", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("volunteers:activity_detail", ("activities", "e1"),                        [200, 200, 200, 403, 403, 403, 200, 403, 404, 302]),
    ("volunteers:activity_detail", ("activities", "w1"),                        [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("volunteers:activity_edit", ("activities", "e1"),                          [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("volunteers:activity_edit", ("activities", "w1"),                          [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("volunteers:activity_cancel", ("activities", "e1"),                        [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("volunteers:activity_cancel", ("activities", "w1"),                        [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("volunteers:activity_signup", ("activities", "e1"),                        [302, 302, 302, 403, 403, 403, 302, 403, 404, 302]),
    ("volunteers:activity_signup", ("activities", "w1"),                        [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("volunteers:activity_code", ("activities", "e1"),                          [200, 200, 200, 403, 403, 403, 200, 403, 404, 302]),
    ("volunteers:activity_code", ("activities", "w1"),                          [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("volunteers:activity_scan", ("activities", "e1"),                          [400, 400, 400, 403, 403, 403, 400, 403, 404, 302]),
    ("volunteers:activity_scan", ("activities", "w1"),                          [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("volunteers:activity_attendance", ("activities", "e1"),                    [200, 200, 200, 403, 403, 403, 200, 403, 404, 302]),
    ("volunteers:activity_attendance", ("activities", "w1"),                    [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("volunteers:signup_cancel", ("signups", "e1"),                             [302, 302, 302, 404, 404, 404, 302, 404, 404, 302]),
    ("volunteers:signup_cancel", ("signups", "w1"),                             [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("volunteers:attendance_correct", ("attendances", "e1"),                    [200, 200, 200, 404, 404, 404, 200, 404, 404, 302]),
    ("volunteers:attendance_correct", ("attendances", "w1"),                    [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("volunteers:volunteer_list", None,                                         [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("volunteers:volunteer_add", None,                                          [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("volunteers:hours_report", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("volunteers:resident_search", None,                                        [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("volunteers:volunteer_detail", ("volunteers", "self_e1"),                  [200, 200, 200, 403, 403, 403, 200, 403, 404, 302]),
    ("volunteers:volunteer_detail", ("volunteers", "other_e1"),                 [200, 200, 200, 403, 403, 403, 404, 403, 404, 302]),
    ("volunteers:volunteer_detail", ("volunteers", "other_w1"),                 [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("volunteers:volunteer_edit", ("volunteers", "other_e1"),                   [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("volunteers:volunteer_edit", ("volunteers", "other_w1"),                   [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("volunteers:certificate", ("volunteers", "self_e1"),                       [200, 200, 200, 403, 403, 403, 200, 403, 404, 302]),
    ("volunteers:certificate", ("volunteers", "other_e1"),                      [200, 200, 200, 403, 403, 403, 404, 403, 404, 302]),
    ("volunteers:certificate", ("volunteers", "other_w1"),                      [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("volunteers:my_record", None,                                              [403, 403, 403, 403, 403, 403, 302, 403, 403, 302]),
    ("volunteers:team_list", None,                                              [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("volunteers:team_add", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("volunteers:team_detail", ("teams", "e1"),                                 [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("volunteers:team_detail", ("teams", "w1"),                                 [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("volunteers:team_edit", ("teams", "e1"),                                   [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("volunteers:team_edit", ("teams", "w1"),                                   [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    # love bank (爱心银行): community staff and the street; a resident has only 我的积分 and reports deeds
    ("lovebank:account_list", None,                                             [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("lovebank:holder_add", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("lovebank:account_detail", ("accounts", "chen"),                           [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:account_detail", ("accounts", "zhao"),                           [200, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:account_detail", ("accounts", "sun"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:redemption_add", ("accounts", "chen"),                           [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:redemption_add", ("accounts", "zhao"),                           [200, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:redemption_add", ("accounts", "sun"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:my_account", None,                                               [403, 403, 403, 403, 403, 403, 403, 200, 403, 302]),
    ("lovebank:redemption_list", None,                                          [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("lovebank:redemption_collect", ("redemptions", "chen"),                    [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:redemption_collect", ("redemptions", "sun"),                     [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:redemption_cancel", ("redemptions", "chen"),                     [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:redemption_cancel", ("redemptions", "sun"),                      [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:transaction_reverse", ("transactions", "chen"),                  [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("lovebank:transaction_reverse", ("transactions", "sun"),                   [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("lovebank:deed_list", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("lovebank:deed_add", None,                                                 [200, 200, 200, 403, 403, 403, 403, 200, 200, 302]),
    ("lovebank:deed_detail", ("deeds", "e1"),                                   [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:deed_detail", ("deeds", "w1"),                                   [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:deed_approve", ("deeds", "e1"),                                  [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:deed_approve", ("deeds", "w1"),                                  [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:deed_reject", ("deeds", "e1"),                                   [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:deed_reject", ("deeds", "w1"),                                   [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:item_list", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("lovebank:item_add", None,                                                 [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("lovebank:item_edit", ("items", "rice"),                                   [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:item_edit", ("items", "oil"),                                    [200, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:item_edit", ("items", "w1_soap"),                                [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:account_export", ("accounts", "chen"),                           [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:account_export", ("accounts", "zhao"),                           [200, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:account_export", ("accounts", "sun"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("lovebank:honour_board", None,                                             [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("lovebank:monthly_totals", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("lovebank:totals_export", None,                                            [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("lovebank:rule_list", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    # micro-wishes (the volunteer persona is claimer 夏党员 of 东一社区)
    ("wishes:wish_list", None,                                                  [200, 200, 200, 403, 403, 403, 200, 403, 200, 302]),
    ("wishes:wish_add", None,                                                   [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("wishes:wish_detail", ("wishes", "e1"),                                    [200, 200, 200, 403, 403, 403, 200, 403, 404, 302]),
    ("wishes:wish_detail", ("wishes", "w1"),                                    [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("wishes:wish_edit", ("wishes", "e1"),                                      [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:wish_edit", ("wishes", "w1"),                                      [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:wish_claim", ("wishes", "e1"),                                     [302, 302, 302, 403, 403, 403, 302, 403, 404, 302]),
    ("wishes:wish_claim", ("wishes", "w1"),                                     [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("wishes:wish_release", ("wishes", "e1"),                                   [302, 302, 302, 403, 403, 403, 302, 403, 404, 302]),
    ("wishes:wish_release", ("wishes", "w1"),                                   [404, 404, 404, 403, 403, 403, 404, 403, 404, 302]),
    ("wishes:wish_fulfil", ("wishes", "e1"),                                    [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:wish_fulfil", ("wishes", "w1"),                                    [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:wish_thanks", ("wishes", "e1"),                                    [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:wish_thanks", ("wishes", "w1"),                                    [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:wish_cancel", ("wishes", "e1"),                                    [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:wish_cancel", ("wishes", "w1"),                                    [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:claimer_list", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("wishes:claimer_add", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("wishes:claimer_edit", ("claimers", "xia"),                                [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:claimer_edit", ("claimers", "sun"),                                [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("wishes:wish_report", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("wishes:donation_stock", None,                                             [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("wishes:wish_public", ("community_codes", "e1"),                           [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    # 民事民议 hearings: meetings, door-to-door questionnaires, table talks (a matter is its community's business;
    # the doors of a grid only for that grid's worker)
    ("deliberation:matter_hearings", ("matters", "e1"),                         [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:matter_hearings", ("matters", "w1"),                         [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:hearing_resident_search", ("matters", "e1"),                 [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:hearing_resident_search", ("matters", "w1"),                 [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:meeting_add", ("matters", "e1"),                             [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:meeting_add", ("matters", "w1"),                             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:meeting_detail", ("meetings", "e1"),                         [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:meeting_detail", ("meetings", "w1"),                         [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:meeting_edit", ("meetings", "e1"),                           [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:meeting_edit", ("meetings", "w1"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:meeting_minutes", ("meetings", "e1"),                        [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:meeting_minutes", ("meetings", "w1"),                        [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_add", ("matters", "e1"),                       [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_add", ("matters", "w1"),                       [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_detail", ("questionnaires", "e1"),             [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_detail", ("questionnaires", "w1"),             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_edit", ("questionnaires", "e1"),               [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_edit", ("questionnaires", "w1"),               [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_status", ("questionnaires", "e1"),             [302, 302, 302, 302, 302, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_status", ("questionnaires", "w1"),             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:talk_add", ("matters", "e1"),                                [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:talk_add", ("matters", "w1"),                                [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:talk_detail", ("talks", "e1"),                               [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:talk_detail", ("talks", "w1"),                               [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:talk_edit", ("talks", "e1"),                                 [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:talk_edit", ("talks", "w1"),                                 [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_building", ("door_buildings", "b1"),           [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_building", ("door_buildings", "b2"),           [200, 200, 200, 404, 200, 403, 403, 403, 404, 302]),
    ("deliberation:questionnaire_building", ("door_buildings", "w1"),           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:door_visit", ("door_households", "zhang"),                   [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("deliberation:door_visit", ("door_households", "wang"),                    [200, 200, 200, 404, 200, 403, 403, 403, 404, 302]),
    ("deliberation:door_visit", ("door_households", "sun"),                     [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # 人民调解 (linli/mediation/testing.py: the volunteer persona is mediator 唐调解 of 东一's cases e1 and e1_settled;
    # staff received them, grid_worker_1 referred e1_ref; others with mediation.view see counts only)
    ("mediation:case_list", None,                                               [200, 200, 200, 200, 200, 403, 200, 403, 200, 302]),
    ("mediation:case_add", None,                                                [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("mediation:case_detail", ("mediation_cases", "e1"),                        [200, 200, 200, 404, 404, 404, 200, 404, 404, 302]),
    ("mediation:case_detail", ("mediation_cases", "e1_ref"),                    [200, 200, 404, 200, 404, 404, 404, 404, 404, 302]),
    ("mediation:case_detail", ("mediation_cases", "w1"),                        [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:case_edit", ("mediation_cases", "e1"),                          [302, 302, 404, 404, 404, 404, 302, 404, 404, 302]),
    ("mediation:case_edit", ("mediation_cases", "w1"),                          [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:case_assign", ("mediation_cases", "e1"),                        [302, 302, 404, 404, 404, 404, 302, 404, 404, 302]),
    ("mediation:case_assign", ("mediation_cases", "w1"),                        [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:party_add", ("mediation_cases", "e1"),                          [302, 302, 404, 404, 404, 404, 302, 404, 404, 302]),
    ("mediation:party_add", ("mediation_cases", "w1"),                          [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:session_add", ("mediation_cases", "e1"),                        [302, 302, 404, 404, 404, 404, 302, 404, 404, 302]),
    ("mediation:session_add", ("mediation_cases", "w1"),                        [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:case_settle", ("mediation_cases", "e1"),                        [302, 302, 404, 404, 404, 404, 302, 404, 404, 302]),
    ("mediation:case_settle", ("mediation_cases", "w1"),                        [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:case_fail", ("mediation_cases", "e1"),                          [302, 302, 404, 404, 404, 404, 302, 404, 404, 302]),
    ("mediation:case_fail", ("mediation_cases", "w1"),                          [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:case_withdraw", ("mediation_cases", "e1"),                      [302, 302, 404, 404, 404, 404, 302, 404, 404, 302]),
    ("mediation:case_withdraw", ("mediation_cases", "w1"),                      [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:agreement_scan", ("mediation_cases", "e1_settled"),             [302, 302, 404, 404, 404, 404, 302, 404, 404, 302]),
    ("mediation:agreement_scan", ("mediation_cases", "w1"),                     [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:agreement_print", ("mediation_cases", "e1_settled"),            [200, 200, 404, 404, 404, 404, 200, 404, 404, 302]),
    ("mediation:agreement_print", ("mediation_cases", "w1"),                    [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:agreement_scan_file", ("mediation_cases", "e1_settled"),        [200, 200, 404, 404, 404, 404, 200, 404, 404, 302]),
    ("mediation:agreement_scan_file", ("mediation_cases", "w1"),                [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:follow_up_record", ("mediation_follow_ups", "e1_settled"),      [302, 302, 404, 404, 404, 404, 302, 404, 404, 302]),
    ("mediation:follow_up_record", ("mediation_follow_ups", "w1"),              [404, 404, 404, 404, 404, 404, 404, 404, 404, 302]),
    ("mediation:case_from_appeal", ("appeals", "e1"),                           [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("mediation:case_from_appeal", ("appeals", "w1"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("mediation:case_from_note", ("notes", "g1"),                               [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("mediation:case_from_note", ("notes", "w1"),                               [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("mediation:case_from_matter", ("mediation_matters", "e1"),                 [302, 302, 302, 302, 302, 403, 403, 403, 404, 302]),
    ("mediation:case_from_matter", ("mediation_matters", "w1"),                 [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("mediation:reception_list", None,                                          [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("mediation:reception_add", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("mediation:figures", None,                                                 [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("mediation:register_export", None,                                         [200, 200, 403, 403, 403, 403, 200, 403, 403, 302]),
    ("mediation:mediator_list", None,                                           [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("mediation:mediator_add", None,                                            [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("mediation:mediator_edit", ("mediators", "tang"),                          [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("mediation:mediator_edit", ("mediators", "w1"),                            [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("mediation:room_add", None,                                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("mediation:room_edit", ("mediation_rooms", "e1"),                          [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("mediation:room_edit", ("mediation_rooms", "w1"),                          [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    # votes (表决): the persona's community's open non-secret vote (张三 voted) and 西一's; a resident casts for their
    # own household only; who voted how only with vote.see_ballots (street admin, secretary), who has voted for
    # vote.manage (staff)
    ("votes:vote_list", None,                                                   [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("votes:vote_add", ("vote_matters", "e1"),                                  [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_add", ("vote_matters", "w1"),                                  [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_detail", ("votes", "e1"),                                      [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("votes:vote_detail", ("votes", "w1"),                                      [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("votes:vote_open", ("draft_votes", "e1"),                                  [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_open", ("draft_votes", "w1"),                                  [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_close", ("votes", "e1"),                                       [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_close", ("votes", "w1"),                                       [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_cast", ("votes", "e1"),                                        [403, 403, 403, 403, 403, 403, 403, 200, 403, 302]),
    ("votes:vote_cast", ("votes", "w1"),                                        [403, 403, 403, 403, 403, 403, 403, 404, 403, 302]),
    ("votes:vote_door", ("votes", "e1"),                                        [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("votes:vote_door", ("votes", "w1"),                                        [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("votes:vote_paper", ("votes", "e1"),                                       [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_paper", ("votes", "w1"),                                       [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_ballots", ("votes", "e1"),                                     [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_ballots", ("votes", "w1"),                                     [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_notice", ("votes", "e1"),                                      [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("votes:vote_notice", ("votes", "w1"),                                      [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("votes:vote_export", ("votes", "e1"),                                      [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_export", ("votes", "w1"),                                      [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("votes:vote_public", ("closed_votes", "e1"),                               [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("votes:vote_public", ("votes", "e1"),                                      [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    # notices (通知公告): a sent notice to 东一 building 1 (陈奶奶's household) and 西一's; drafts to the same buildings
    # (written by the system: a grid worker may not edit them); saved lists (e1: 张三, 李四, 王五; a grid worker sees their
    # grid's members). The audience helpers answer the empty query with the picker's errors (the export: 400).
    ("notices:notice_list", None,                                               [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("notices:notice_add", None,                                                [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("notices:notice_detail", ("notices", "e1"),                                [200, 200, 200, 200, 200, 403, 403, 200, 404, 302]),
    ("notices:notice_detail", ("notices", "w1"),                                [404, 404, 404, 404, 404, 403, 403, 404, 404, 302]),
    ("notices:notice_detail", ("draft_notices", "e1"),                          [200, 200, 200, 200, 200, 403, 403, 404, 404, 302]),
    ("notices:notice_edit", ("draft_notices", "e1"),                            [200, 200, 200, 302, 302, 403, 403, 403, 404, 302]),
    ("notices:notice_edit", ("draft_notices", "w1"),                            [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_send", ("draft_notices", "e1"),                            [200, 200, 200, 200, 302, 403, 403, 403, 404, 302]),
    ("notices:notice_send", ("draft_notices", "w1"),                            [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_withdraw", ("notices", "e1"),                              [200, 200, 200, 302, 302, 403, 403, 403, 404, 302]),
    ("notices:notice_withdraw", ("notices", "w1"),                              [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:audience_picker", None,                                           [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("notices:audience_count", None,                                            [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("notices:audience_export", None,                                           [400, 400, 400, 400, 400, 403, 403, 403, 400, 302]),
    ("notices:saved_audience_list", None,                                       [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("notices:saved_audience_add", None,                                        [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("notices:saved_audience_detail", ("saved_audiences", "e1"),                [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("notices:saved_audience_detail", ("saved_audiences", "w1"),                [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:saved_audience_edit", ("saved_audiences", "e1"),                  [200, 200, 200, 302, 302, 403, 403, 403, 404, 302]),
    ("notices:saved_audience_edit", ("saved_audiences", "w1"),                  [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:saved_audience_members", ("saved_audiences", "e1"),               [302, 302, 302, 302, 302, 403, 403, 403, 404, 302]),
    ("notices:saved_audience_members", ("saved_audiences", "w1"),               [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:saved_audience_delete", ("saved_audiences", "e1"),                [302, 302, 302, 302, 302, 403, 403, 403, 404, 302]),
    ("notices:saved_audience_delete", ("saved_audiences", "w1"),                [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # the JSON API's docs page is public (no records); /api/ itself has no operation. The API's operations:
    # tests/test_api_scope_matrix.py.
    ("api:api-root", None,                                                      [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    # 民事民议 (linli.deliberation): matters are the community's business (grid workers read them all, only
    # managers act); a resident opens only the matters they proposed; the public board needs no login
    ("deliberation:matter_list", None,                                          [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("deliberation:matter_add", None,                                           [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("deliberation:matter_propose", None,                                       [403, 403, 403, 403, 403, 403, 403, 200, 403, 302]),
    ("deliberation:turn_into_matter", ("turn_sources", "e1"),                   [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("deliberation:turn_into_matter", ("turn_sources", "w1"),                   [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:matter_detail", ("matters", "e1"),                           [200, 200, 200, 200, 200, 403, 403, 404, 404, 302]),
    ("deliberation:matter_detail", ("matters", "w1"),                           [404, 404, 404, 404, 404, 403, 403, 404, 404, 302]),
    ("deliberation:matter_edit", ("matters", "e1"),                         [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_edit", ("matters", "w1"),                         [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_accept", ("matters", "e1"),                       [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_accept", ("matters", "w1"),                       [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_decline", ("matters", "e1"),                      [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_decline", ("matters", "w1"),                      [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_move", ("matters", "e1"),                         [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_move", ("matters", "w1"),                         [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_close", ("matters", "e1"),                        [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_close", ("matters", "w1"),                        [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_photos", ("matters", "e1"),                       [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_photos", ("matters", "w1"),                       [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:publication_add", ("matters", "e1"),                     [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:publication_add", ("matters", "w1"),                     [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:task_add", ("matters", "e1"),                            [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:task_add", ("matters", "w1"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_appeal", ("matters", "e1"),                       [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_appeal", ("matters", "w1"),                       [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_problem", ("matters", "e1"),                          [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:matter_problem", ("matters", "w1"),                          [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:task_done", ("matter_tasks", "e1"),                          [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:task_done", ("matter_tasks", "w1"),                          [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:publication_detail", ("publications", "e1"),                 [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:publication_detail", ("publications", "w1"),                 [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:publication_print", ("publications", "e1"),                  [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("deliberation:publication_print", ("publications", "w1"),                  [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("deliberation:publication_withdraw", ("publications", "e1"),               [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:publication_withdraw", ("publications", "w1"),               [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:objection_add", ("publications", "e1"),                      [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:objection_add", ("publications", "w1"),                      [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:objection_respond", ("objections", "e1"),                    [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:objection_respond", ("objections", "w1"),                    [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("deliberation:public_board", ("board_codes", "e1"),                        [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("deliberation:public_publication", ("public_publications", "e1"),          [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    # 确认送达 (linli.notices views_confirm): notices are the community's business (grid worker 2 opens an e1 notice but
    # sees and marks only grid 2's households); 需上门 is changed by those who manage notices
    ("notices:notice_confirmations", ("confirm_notices", "e1"),                [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("notices:notice_confirmations", ("confirm_notices", "w1"),                [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_household_list", ("confirm_notices", "e1"),               [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("notices:notice_household_list", ("confirm_notices", "w1"),               [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_household_export", ("confirm_notices", "e1"),             [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("notices:notice_household_export", ("confirm_notices", "w1"),             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_building_posted", ("notice_buildings", "e1"),             [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_building_posted", ("notice_buildings", "w1"),             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_household_mark", ("notice_households", "e1"),             [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_household_mark", ("notice_households", "w1"),             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_household_undo", ("notice_households", "e1"),             [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_household_undo", ("notice_households", "w1"),             [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_household_door", ("notice_households", "e1"),             [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("notices:notice_household_door", ("notice_households", "w1"),             [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    # 发送渠道 (linli.channels): field roles (grid workers too) see the community's groups and batches; managers
    # (channel.manage) register groups and set quiet hours; a batch is cancelled or retried by a manager or by whoever
    # started it (these were queued by a command)
    ("channels:wechat_group_list", None,                                        [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("channels:wechat_group_add", None,                                         [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:wechat_group_edit", ("wechat_groups", "e1"),                     [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:wechat_group_edit", ("wechat_groups", "w1"),                     [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:wechat_group_active", ("wechat_groups", "e1"),                   [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:wechat_group_active", ("wechat_groups", "w1"),                   [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:wechat_group_test", ("wechat_groups", "e1"),                     [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:wechat_group_test", ("wechat_groups", "w1"),                     [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:channel_settings_edit", ("communities", "e1"),                   [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:channel_settings_edit", ("communities", "w1"),                   [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:dispatch_list", None,                                            [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("channels:dispatch_detail", ("dispatches", "e1"),                          [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("channels:dispatch_detail", ("dispatches", "w1"),                          [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("channels:dispatch_cancel", ("dispatches", "e1"),                          [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:dispatch_cancel", ("dispatches", "w1"),                          [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("channels:dispatch_retry", ("dispatches", "e1"),                           [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("channels:dispatch_retry", ("dispatches", "w1"),                           [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # 通知公告 print pages (linli.notices.views_print): anyone with notice.view in the notice's community; the
    # checklist lists only the user's own area's households (grid worker 2: 2栋 only)
    ("notices:notice_poster", ("print_notices", "e1"),                          [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("notices:notice_poster", ("print_notices", "w1"),                          [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("notices:notice_checklist", ("print_notices", "e1"),                       [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("notices:notice_checklist", ("print_notices", "w1"),                       [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # 专项工作 (linli.campaigns): the community's campaigns for staff and grid workers; a grid worker records and opens
    # only their grid's targets (张三 is grid 1's, 王五 grid 2's); setting up, importing and exporting is for staff
    # 党建 (linli/party/testing.py: secretary is 东一社区党委's secretary, grid_worker_1 东一第1网格党支部's; staff and
    # other roles see no party pages)
    ("party:home", None,                                                        [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    # 党建 structure part (linli/party/views_structure.py): the tree and an organisation's page for party-work roles
    # and the organisation's secretaries; changes, 共建单位 and 中心户 choices for party-work roles; a 大工委 by its street
    ("party:org_list", None,                                                    [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:org_add", None,                                                     [200, 403, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:org_detail", ("party_orgs", "e1"),                                  [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:org_detail", ("party_orgs", "e1_org"),                              [200, 200, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:org_detail", ("party_orgs", "w1"),                                  [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:org_edit", ("party_orgs", "e1"),                                    [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:org_edit", ("party_orgs", "east"),                                  [200, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:org_edit", ("party_orgs", "w1"),                                    [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_list", None,                                                   [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_add", None,                                                    [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_detail", ("party_units", "e1"),                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_detail", ("party_units", "w1"),                                [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_edit", ("party_units", "e1"),                                  [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_edit", ("party_units", "w1"),                                  [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_review", ("party_units", "e1"),                                [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_review", ("party_units", "w1"),                                [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_summary", ("party_units", "e1"),                               [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_summary", ("party_units", "w1"),                               [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_summary_export", ("party_units", "e1"),                        [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:unit_summary_export", ("party_units", "w1"),                        [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:centre_list", None,                                                 [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:centre_edit", ("party_members", "e1"),                              [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:centre_edit", ("party_members", "w1"),                              [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:centre_end", ("party_centres", "e1"),                               [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:centre_end", ("party_centres", "w1"),                               [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    # organisational life part (三会一课): meetings and 民主评议 recorded by party.manage over the area or the branch's
    # secretary (grid_worker_1 for 东一第1网格党支部); the compliance table for the same readers, its export for party.export
    ("party:meeting_list", None,                                                [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:meeting_add", None,                                                 [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:meeting_detail", ("party_meetings", "e1"),                          [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:meeting_detail", ("party_meetings", "w1"),                          [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:meeting_edit", ("party_meetings", "e1"),                            [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:meeting_edit", ("party_meetings", "w1"),                            [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:compliance", None,                                                  [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:compliance_export", None,                                           [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:appraisal_list", None,                                              [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:appraisal_add", None,                                               [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:appraisal_detail", ("party_appraisals", "e1"),                      [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:appraisal_detail", ("party_appraisals", "w1"),                      [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:appraisal_edit", ("party_appraisals", "e1"),                        [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:appraisal_edit", ("party_appraisals", "w1"),                        [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:appraisal_finalise", ("party_appraisals", "e1"),                    [302, 302, 403, 302, 403, 403, 403, 403, 403, 302]),
    ("party:appraisal_finalise", ("party_appraisals", "w1"),                    [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    # 党建 members part: the roster and member pages for party-work roles and (reading) branch secretaries over
    # their branch; changes, import, export and the QR poster for party.manage / party.export only
    ("party:member_list", None,                                                 [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:member_add", None,                                                  [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:member_export", None,                                               [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:member_import", None,                                               [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:member_detail", ("party_members", "e1"),                            [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:member_detail", ("party_members", "e1_b2"),                         [200, 200, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:member_detail", ("party_members", "w1"),                            [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:member_edit", ("party_members", "e1"),                              [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:member_edit", ("party_members", "w1"),                              [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:member_leave", ("party_members", "e1"),                             [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:member_leave", ("party_members", "w1"),                             [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:member_review", ("party_members", "e1_pending"),                    [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:member_review", ("party_members", "w1"),                            [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:import_detail", ("party_imports", "e1"),                            [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:import_detail", ("party_imports", "w1"),                            [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:import_run", ("party_imports", "e1"),                               [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:import_run", ("party_imports", "w1"),                               [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:register_poster", ("communities", "e1"),                            [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("party:register_poster", ("communities", "w1"),                            [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    # -- pairing part: 结对帮扶 (a branch secretary keeps their branch's pairings; a paired member their own, see
    # linli/party/tests/test_pairing_pages.py; household readers see pairings on the household page only) and
    # 党员服务汇总 (export: party.export roles)
    ("party:pairing_list", None,                                                [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:pairing_add", None,                                                 [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:pairing_detail", ("pairings", "e1"),                                [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:pairing_detail", ("pairings", "w1"),                                [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:pairing_end", ("pairings", "e1"),                                   [302, 302, 403, 302, 403, 403, 403, 403, 403, 302]),
    ("party:pairing_end", ("pairings", "w1"),                                   [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:contact_add", ("pairings", "e1"),                                   [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:contact_add", ("pairings", "w1"),                                   [404, 404, 403, 404, 403, 403, 403, 403, 403, 302]),
    ("party:service_summary", None,                                             [200, 200, 403, 200, 403, 403, 403, 403, 403, 302]),
    ("party:service_export", None,                                              [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("campaigns:campaign_list", None,                                           [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("campaigns:campaign_add", None,                                            [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("campaigns:campaign_detail", ("campaigns", "e1"),                          [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_detail", ("campaigns", "w1"),                          [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_edit", ("campaigns", "e1"),                            [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_edit", ("campaigns", "w1"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_work", ("campaigns", "e1"),                            [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_work", ("campaigns", "w1"),                            [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_targets_add", ("campaigns", "e1"),                     [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_targets_add", ("campaigns", "w1"),                     [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:target_remove", ("campaigns", "e1"),                            [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:target_remove", ("campaigns", "w1"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_start", ("campaigns", "e1"),                           [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_start", ("campaigns", "w1"),                           [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_close", ("campaigns", "e1"),                           [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_close", ("campaigns", "w1"),                           [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_reopen", ("campaigns", "e1"),                          [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_reopen", ("campaigns", "w1"),                          [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:outcome_add", ("campaigns", "e1"),                              [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:outcome_add", ("campaigns", "w1"),                              [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:outcome_delete", ("campaign_outcomes", "e1"),                   [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:outcome_delete", ("campaign_outcomes", "w1"),                   [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_export", ("campaigns", "e1"),                          [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_export", ("campaigns", "w1"),                          [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_columns", ("campaigns", "e1"),                         [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_columns", ("campaigns", "w1"),                         [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_notice", ("campaigns", "e1"),                          [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:campaign_notice", ("campaigns", "w1"),                          [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:import_upload", ("campaigns", "e1"),                            [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:import_upload", ("campaigns", "w1"),                            [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:import_detail", ("campaign_imports", "e1"),                     [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:import_detail", ("campaign_imports", "w1"),                     [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:import_run", ("campaign_imports", "e1"),                        [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:import_run", ("campaign_imports", "w1"),                        [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("campaigns:target_list", None,                                             [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("campaigns:target_record", ("campaign_targets", "e1_g1"),                  [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("campaigns:target_record", ("campaign_targets", "e1_g2"),                  [302, 302, 302, 404, 302, 403, 403, 403, 404, 302]),
    ("campaigns:target_record", ("campaign_targets", "w1"),                     [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # 功能室, timetable part (linli/places/views_room.py, views_timetable.py): rooms, their timetables and the usage
    # figures for every staff role of the community (room.view); keeping rooms for room.manage; the export for
    # booking.export. `nobody` (a staff role without an assignment) sees empty lists.
    ("places:room_list", None,                                                  [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("places:room_add", None,                                                   [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("places:room_detail", ("rooms", "e1"),                                     [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("places:room_detail", ("rooms", "w1"),                                     [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("places:room_edit", ("rooms", "e1"),                                       [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("places:room_edit", ("rooms", "w1"),                                       [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("places:room_active", ("rooms", "e1"),                                     [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("places:room_active", ("rooms", "w1"),                                     [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("places:room_week", ("rooms", "e1"),                                       [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("places:room_week", ("rooms", "w1"),                                       [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("places:room_timetable_print", ("rooms", "e1"),                            [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("places:room_timetable_print", ("rooms", "w1"),                            [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("places:day", None,                                                        [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("places:usage", None,                                                      [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("places:usage_export", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    # 帮扶与共建 (linli/support): field roles over their area (grid workers: their grid's households, their
    # community's directory); staff and managers keep the directory and export (a helper volunteer's own account
    # opening its pairing: linli/support/tests)
    ("support:assistance_list", None,                                           [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("support:assistance_add", None,                                            [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("support:assistance_export", None,                                         [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("support:household_history", ("support_households", "e1"),                 [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("support:household_history", ("support_households", "w1"),                 [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("support:care_table", None,                                                [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("support:care_export", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("support:grid_figures", None,                                              [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("support:grid_export", None,                                               [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("support:pairing_list", None,                                              [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("support:pairing_add", None,                                               [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("support:pairing_detail", ("help_pairings", "e1"),                         [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("support:pairing_detail", ("help_pairings", "w1"),                         [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("support:contact_add", ("help_pairings", "e1"),                            [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("support:contact_add", ("help_pairings", "w1"),                            [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("support:pairing_end", ("help_pairings", "e1"),                            [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("support:pairing_end", ("help_pairings", "w1"),                            [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("support:organisation_list", None,                                         [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("support:organisation_add", None,                                          [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("support:organisation_export", None,                                       [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("support:organisation_detail", ("support_orgs", "e1"),                     [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("support:organisation_detail", ("support_orgs", "w1"),                     [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("support:organisation_edit", ("support_orgs", "e1"),                       [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("support:organisation_edit", ("support_orgs", "w1"),                       [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("support:contribution_add", ("support_orgs", "e1"),                        [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("support:contribution_add", ("support_orgs", "w1"),                        [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("support:merchant_list", None,                                             [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("api:openapi-view", None,                                                  [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    # 四点半学校 (linli/afterschool/testing.py): children's data for the school's own staff (grid_worker_2, named on
    # 东一四点半学校) and the secretary (afterschool.view); everyone else 403, another community's school 404;
    # the figures page (counts only) also for afterschool.figures (street admin, staff roles)
    ("afterschool:school_list", None,                                            [403, 200, 403, 403, 200, 403, 403, 403, 403, 302]),
    ("afterschool:school_add", None,                                             [403, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("afterschool:figures", None,                                                [200, 200, 200, 403, 200, 403, 403, 403, 200, 302]),
    ("afterschool:school_detail", ("afterschool_schools", "e1"),                 [403, 200, 403, 403, 200, 403, 403, 403, 403, 302]),
    ("afterschool:school_detail", ("afterschool_schools", "w1"),                 [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:term_detail", ("afterschool_terms", "e1"),                     [403, 200, 403, 403, 200, 403, 403, 403, 403, 302]),
    ("afterschool:term_detail", ("afterschool_terms", "w1"),                     [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:roster_export", ("afterschool_terms", "e1"),                   [403, 200, 403, 403, 200, 403, 403, 403, 403, 302]),
    ("afterschool:roster_export", ("afterschool_terms", "w1"),                   [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:attendance_export", ("afterschool_terms", "e1"),               [403, 200, 403, 403, 200, 403, 403, 403, 403, 302]),
    ("afterschool:attendance_export", ("afterschool_terms", "w1"),               [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:child_detail", ("afterschool_enrolments", "e1"),               [403, 200, 403, 403, 200, 403, 403, 403, 403, 302]),
    ("afterschool:child_detail", ("afterschool_enrolments", "w1"),               [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:session_detail", ("afterschool_sessions", "e1"),               [403, 200, 403, 403, 200, 403, 403, 403, 403, 302]),
    ("afterschool:session_detail", ("afterschool_sessions", "w1"),               [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:sign_out", ("afterschool_attendances", "e1"),                  [403, 200, 403, 403, 200, 403, 403, 403, 403, 302]),
    ("afterschool:sign_out", ("afterschool_attendances", "w1"),                  [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:term_add", ("afterschool_schools", "e1"),                      [403, 302, 403, 403, 302, 403, 403, 403, 403, 302]),
    ("afterschool:term_add", ("afterschool_schools", "w1"),                      [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:enrolment_add", ("afterschool_terms", "e1"),                   [403, 302, 403, 403, 302, 403, 403, 403, 403, 302]),
    ("afterschool:enrolment_add", ("afterschool_terms", "w1"),                   [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:session_add", ("afterschool_terms", "e1"),                     [403, 302, 403, 403, 302, 403, 403, 403, 403, 302]),
    ("afterschool:session_add", ("afterschool_terms", "w1"),                     [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:guardian_add", ("afterschool_enrolments", "e1"),               [403, 302, 403, 403, 302, 403, 403, 403, 403, 302]),
    ("afterschool:guardian_add", ("afterschool_enrolments", "w1"),               [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:enrolment_withdraw", ("afterschool_enrolments", "e1"),         [403, 302, 403, 403, 302, 403, 403, 403, 403, 302]),
    ("afterschool:enrolment_withdraw", ("afterschool_enrolments", "w1"),         [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:guardian_edit", ("afterschool_guardians", "e1"),               [403, 302, 403, 403, 302, 403, 403, 403, 403, 302]),
    ("afterschool:guardian_edit", ("afterschool_guardians", "w1"),               [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:sign_in", ("afterschool_sessions", "e1"),                      [403, 302, 403, 403, 302, 403, 403, 403, 403, 302]),
    ("afterschool:sign_in", ("afterschool_sessions", "w1"),                      [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:tutor_add", ("afterschool_sessions", "e1"),                    [403, 302, 403, 403, 302, 403, 403, 403, 403, 302]),
    ("afterschool:tutor_add", ("afterschool_sessions", "w1"),                    [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:tutor_hours", ("afterschool_sessions", "e1"),                  [403, 302, 403, 403, 302, 403, 403, 403, 403, 302]),
    ("afterschool:tutor_hours", ("afterschool_sessions", "w1"),                  [403, 404, 403, 403, 404, 403, 403, 403, 403, 302]),
    ("afterschool:school_edit", ("afterschool_schools", "e1"),                   [403, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("afterschool:school_edit", ("afterschool_schools", "w1"),                   [403, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    # 功能室预约 (linli/places/views_booking.py): staff roles book and read their area's bookings (a grid worker their
    # grid's community); booking.manage approves, cancels any, closes a room, exports; residents and volunteers book
    # their own community's rooms and read their own bookings (陈奶奶's is e1_pending; the volunteer persona is a
    # volunteer of 东一)
    ("places:booking_list", None,                                               [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("places:booking_export", None,                                             [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("places:approval_list", None,                                              [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("places:my_bookings", None,                                                [200, 200, 200, 200, 200, 403, 200, 200, 200, 302]),
    ("places:booking_detail", ("bookings", "e1"),                               [200, 200, 200, 200, 200, 403, 404, 404, 404, 302]),
    ("places:booking_detail", ("bookings", "e1_pending"),                       [200, 200, 200, 200, 200, 403, 404, 200, 404, 302]),
    ("places:booking_detail", ("bookings", "w1"),                               [404, 404, 404, 404, 404, 403, 404, 404, 404, 302]),
    ("places:booking_cancel", ("bookings", "e1"),                               [302, 302, 302, 403, 403, 403, 404, 404, 404, 302]),
    ("places:booking_cancel", ("bookings", "e1_pending"),                       [302, 302, 302, 403, 403, 403, 404, 302, 404, 302]),
    ("places:booking_cancel", ("bookings", "w1"),                               [404, 404, 404, 404, 404, 403, 404, 404, 404, 302]),
    ("places:booking_approve", ("bookings", "e1_pending"),                      [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("places:booking_approve", ("bookings", "w1"),                              [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("places:booking_reject", ("bookings", "e1_pending"),                       [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("places:booking_reject", ("bookings", "w1"),                               [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("places:booking_use", ("bookings", "e1"),                                  [302, 302, 302, 403, 403, 403, 404, 404, 404, 302]),
    ("places:booking_use", ("bookings", "w1"),                                  [404, 404, 404, 404, 404, 403, 404, 404, 404, 302]),
    ("places:booking_add", ("rooms", "e1"),                                     [200, 200, 200, 200, 200, 403, 200, 200, 404, 302]),
    ("places:booking_add", ("rooms", "w1"),                                     [404, 404, 404, 404, 404, 403, 404, 404, 404, 302]),
    ("places:room_close", ("rooms", "e1"),                                      [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("places:room_close", ("rooms", "w1"),                                      [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    # 便民服务 (linli.hall): the catalogue and counters are every hall role's (grid workers read them), changes are
    # hall.manage, the counter's buttons hall.serve; appointments and 代办 are about a resident (grid workers: their
    # grid's); a resident books and cancels their own appointments. Public guide and 叫号屏: NOT_IN_MATRIX
    ("hall:home", None,                                                         [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("hall:matter_list", None,                                                  [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("hall:matter_add", None,                                                   [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("hall:matter_detail", ("hall_matters", "e1"),                              [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("hall:matter_detail", ("hall_matters", "w1"),                              [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("hall:matter_edit", ("hall_matters", "e1"),                                [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:matter_edit", ("hall_matters", "w1"),                                [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:counter_list", None,                                                 [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("hall:counter_add", None,                                                  [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("hall:counter_detail", ("hall_counters", "e1"),                            [200, 200, 200, 200, 200, 403, 403, 403, 404, 302]),
    ("hall:counter_detail", ("hall_counters", "w1"),                            [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("hall:counter_edit", ("hall_counters", "e1"),                              [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:counter_edit", ("hall_counters", "w1"),                              [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:ticket_take", ("hall_counters", "e1"),                               [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:ticket_take", ("hall_counters", "w1"),                               [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:ticket_call", ("hall_counters", "e1"),                               [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:ticket_call", ("hall_counters", "w1"),                               [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:ticket_list", None,                                                  [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("hall:ticket_export", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("hall:ticket_status", ("hall_tickets", "e1"),                              [302, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:ticket_status", ("hall_tickets", "w1"),                              [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("hall:appointment_list", None,                                             [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("hall:appointment_export", None,                                           [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("hall:appointment_add", None,                                              [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("hall:my_appointment_add", None,                                           [403, 403, 403, 403, 403, 403, 403, 200, 403, 302]),
    ("hall:appointment_detail", ("hall_appointments", "e1"),                    [200, 200, 200, 200, 404, 403, 403, 404, 404, 302]),
    ("hall:appointment_detail", ("hall_appointments", "w1"),                    [404, 404, 404, 404, 404, 403, 403, 404, 404, 302]),
    ("hall:appointment_status", ("hall_appointments", "e1"),                    [302, 302, 302, 403, 403, 403, 403, 404, 404, 302]),
    ("hall:appointment_status", ("hall_appointments", "w1"),                    [404, 404, 404, 403, 403, 403, 403, 404, 404, 302]),
    ("hall:errand_list", None,                                                  [200, 200, 200, 200, 200, 403, 403, 403, 200, 302]),
    ("hall:errand_export", None,                                                [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("hall:errand_add", None,                                                   [302, 302, 302, 302, 302, 403, 403, 403, 302, 302]),
    ("hall:errand_detail", ("hall_errands", "e1"),                              [200, 200, 200, 200, 404, 403, 403, 403, 404, 302]),
    ("hall:errand_detail", ("hall_errands", "e1_g2"),                           [200, 200, 200, 404, 200, 403, 403, 403, 404, 302]),
    ("hall:errand_detail", ("hall_errands", "w1"),                              [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("hall:errand_step", ("hall_errands", "e1"),                                [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("hall:errand_step", ("hall_errands", "w1"),                                [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    ("hall:errand_handback", ("hall_errands", "e1"),                            [302, 302, 302, 302, 404, 403, 403, 403, 404, 302]),
    ("hall:errand_handback", ("hall_errands", "w1"),                            [404, 404, 404, 404, 404, 403, 403, 403, 404, 302]),
    # 社区证明 (linli/certificates/testing.py): staff and managers read and issue over their community (nobody: a staff
    # account without an area sees empty lists); void, reissue and templates for managers (a street-wide template: the
    # street only); grid workers and residents none. The public check page (number + code) is open to everyone.
    ("certificates:certificate_list", None,                                     [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("certificates:certificate_export", None,                                   [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("certificates:certificate_issue", None,                                    [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("certificates:certificate_detail", ("certificates", "e1"),                 [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("certificates:certificate_detail", ("certificates", "w1"),                 [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("certificates:certificate_pdf", ("certificates", "e1"),                    [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("certificates:certificate_pdf", ("certificates", "w1"),                    [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("certificates:certificate_void", ("certificates", "e1"),                   [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("certificates:certificate_void", ("certificates", "w1"),                   [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("certificates:certificate_reissue", ("certificates", "e1"),                [302, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("certificates:certificate_reissue", ("certificates", "w1"),                [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("certificates:template_list", None,                                        [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("certificates:template_add", None,                                         [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("certificates:template_edit", ("certificate_templates", "e1"),             [200, 200, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("certificates:template_edit", ("certificate_templates", "east"),           [200, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("certificates:template_edit", ("certificate_templates", "w1"),             [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("certificates:check", None,                                                [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    # 工作报告 (linli/workreports/testing.py): a community writes its own, the street its own and reads its
    # communities'; only secretaries and the street finalise; grid workers and handlers have none
    ("workreports:workreport_list", None,                                       [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("workreports:workreport_add", None,                                        [200, 200, 200, 403, 403, 403, 403, 403, 200, 302]),
    ("workreports:workreport_detail", ("workreports", "e1"),                    [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_detail", ("workreports", "east"),                  [200, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_detail", ("workreports", "w1"),                    [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_edit", ("workreports", "e1"),                      [404, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_edit", ("workreports", "east"),                    [200, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_edit", ("workreports", "w1"),                      [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_case_add", ("workreports", "e1"),                  [404, 400, 400, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_case_add", ("workreports", "w1"),                  [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_case_delete", ("workreport_cases", "e1"),          [404, 302, 302, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_case_delete", ("workreport_cases", "w1"),          [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_finalise", ("workreports", "e1"),                  [404, 302, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("workreports:workreport_finalise", ("workreports", "east"),                [302, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("workreports:workreport_finalise", ("workreports", "w1"),                  [404, 404, 403, 403, 403, 403, 403, 403, 403, 302]),
    ("workreports:workreport_pdf", ("workreports", "e1"),                       [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_pdf", ("workreports", "w1"),                       [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_xlsx", ("workreports", "e1"),                      [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_xlsx", ("workreports", "w1"),                      [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_docx", ("workreports", "e1"),                      [200, 200, 200, 403, 403, 403, 403, 403, 404, 302]),
    ("workreports:workreport_docx", ("workreports", "w1"),                      [404, 404, 404, 403, 403, 403, 403, 403, 404, 302]),
]
# fmt: on

LOGIN_PAGE = "signing in: open to everyone before login (linli/accounts/tests/test_login_security.py, test_lockout.py)"
OPEN311 = "the Open311 GeoReport v2 API: public reads, writes by api_key, no session (linli/open311/tests)"
PROBES = (
    "health, readiness and Prometheus metrics for load balancers and monitoring: no login and no personal data; "
    "/metrics only from LINLI_METRICS_ALLOWED or with its token (linli/ops/tests/test_health.py, test_metrics.py)"
)
SCHEMA = "the API's OpenAPI schema: public, no records; read whole by tests/test_api_schema.py (slow: kept out)"
NOTICE_PUBLIC = "a notice's public page, audio or photo: no login, anonymised text (linli/notices/tests)"
PARTY_REGISTER = (
    "扫码报到: the public QR form of a community, no login, tells nobody who is a member (linli/party/tests)"
)
HALL_PUBLIC = "a community's public 办事指南 and 叫号屏: no login, no personal data (linli/hall/tests/test_hall.py)"
TRACKING = "a reporter's own page, reached by a poster's code or a tracking number, no account (linli/tracking/tests)"

#: Named routes not in MATRIX, with the reason. The JSON API's operations (api:<operation>) are not listed here:
#: each is a row of tests/test_api_scope_matrix.py, which `test_every_named_route_is_decided` checks.
# fmt: off
NOT_IN_MATRIX = {
    "accounts:login": LOGIN_PAGE,
    "accounts:logout": LOGIN_PAGE,
    "accounts:unlock": LOGIN_PAGE,
    "api:openapi-json": SCHEMA,
    "ops:healthz": PROBES,
    "ops:readyz": PROBES,
    "ops:metrics": PROBES,
    "open311:root": OPEN311,
    "open311:discovery": OPEN311,
    "open311:service_list": OPEN311,
    "open311:service_definition": OPEN311,
    "open311:request_list": OPEN311,
    "open311:request_detail": OPEN311,
    "open311:token": OPEN311,
    "tracking:lookup": TRACKING,
    "tracking:phone": TRACKING,
    "tracking:list": TRACKING,
    "tracking:status": TRACKING,
    "tracking:rate": TRACKING,
    "tracking:photo": TRACKING,
    "tracking:photo_thumb": TRACKING,
    "tracking:submit": TRACKING,
    "tracking:hint": TRACKING,
    "tracking:verify": TRACKING,
    "tracking:done": TRACKING,
    "tracking:poster": TRACKING,
    "notices:public_board": NOTICE_PUBLIC,
    "notice_links:public_notice": NOTICE_PUBLIC,
    "notice_links:public_notice_audio": NOTICE_PUBLIC,
    "notice_links:public_notice_photo": NOTICE_PUBLIC,
    "notice_links:public_notice_photo_thumb": NOTICE_PUBLIC,
    "party:register": PARTY_REGISTER,
    # 便民服务 (linli.hall)
    "hall:public_guide": HALL_PUBLIC,
    "hall:public_matter": HALL_PUBLIC,
    "hall:screen": HALL_PUBLIC,
    # 社区大屏: the display device opens its screen by the long random link, no login (linli/bigscreen/tests)
    "bigscreen:screen_show": "社区大屏: a display's page by its secret link, aggregate figures only (linli/bigscreen/tests)",
    "bigscreen:screen_data": "社区大屏: a display's data by its secret link, aggregate figures only (linli/bigscreen/tests)",
    # 帮扶与共建: a community's public 好商家 page (no login; names, offers, addresses: linli/support/tests)
    "support:merchant_public": "好商家: a community's public page, no login, no personal data (linli/support/tests)",
}
# fmt: on


def test_every_named_route_is_decided():
    """A new page must get a MATRIX row (who may open it) or a NOT_IN_MATRIX reason; an API operation a row
    of tests/test_api_scope_matrix.py."""
    from tests.test_api_scope_matrix import MATRIX as API_MATRIX

    routes = named_routes()
    in_matrix = {row[0] for row in MATRIX}
    api_paths = {row[0].split(" ", 1)[1] for row in API_MATRIX}
    api_operations = {name for name, path in routes.items() if name.startswith("api:") and path in api_paths}
    undecided = set(routes) - in_matrix - set(NOT_IN_MATRIX) - api_operations
    assert undecided == set(), "add these routes to MATRIX (who may open them) or to NOT_IN_MATRIX (why not)"
    assert set(NOT_IN_MATRIX) <= set(routes), "a route named in NOT_IN_MATRIX no longer exists"
    assert in_matrix.isdisjoint(NOT_IN_MATRIX)


@pytest.mark.parametrize("name, obj, expected", MATRIX, ids=[f"{m[0]}-{m[1][1] if m[1] else ''}" for m in MATRIX])
def test_each_persona_gets_the_status_the_matrix_says(matrix_world, client, name, obj, expected):
    world, objects = matrix_world
    path = url(objects, name, obj)
    method = method_of(path)
    got = [status(client, world, persona, path, method) for persona in PAGE_PERSONAS]
    assert dict(zip(PAGE_PERSONAS, got)) == dict(zip(PAGE_PERSONAS, expected))


def test_posts_outside_scope_change_nothing(matrix_world, client):
    from linli.residents.models import Resident

    world, _ = matrix_world
    zhang, sun = world.residents["zhang"], world.residents["sun"]
    client.force_login(world.users["grid_worker_2"])
    assert client.post(reverse("residents:resident_mark_left", args=[zhang.pk])).status_code == 404
    assert client.post(reverse("residents:resident_delete", args=[zhang.pk])).status_code == 403  # role lacks it
    assert client.post(reverse("residents:resident_reveal_id", args=[zhang.pk])).status_code == 403
    client.force_login(world.users["secretary"])
    assert client.post(reverse("residents:resident_delete", args=[sun.pk])).status_code == 403
    client.force_login(world.users["street_admin"])
    assert client.post(reverse("residents:resident_delete", args=[sun.pk]), {"reason": "重复"}).status_code == 404
    assert Resident.objects.filter(pk__in=[zhang.pk, sun.pk]).count() == 2
