"""The area API, persona by persona; and the API root itself (OpenAPI, offline docs page)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.accounts.models import ApiToken
from linli.testing import make_building

pytestmark = pytest.mark.django_db


STREETS = "/api/areas/streets"
COMMUNITIES = "/api/areas/communities"
GRIDS = "/api/areas/grids"
BUILDINGS = "/api/areas/buildings"


def building_url(building):
    return f"/api/areas/buildings/{building.pk}"


def households_url(building):
    return f"/api/areas/buildings/{building.pk}/households"


def ok(response):
    assert response.status_code == 200, response.content
    return response.json()


def names(response):
    return {row["name"] for row in ok(response)}


def every_endpoint(world):
    b1 = world.buildings["b1"]
    return [STREETS, COMMUNITIES, GRIDS, BUILDINGS, building_url(b1), households_url(b1)]


# --- scope matrix ---------------------------------------------------------------------------


def test_it_shows_the_street_admin_all_of_the_east_street_and_nothing_of_the_west(world, login):
    client = login(world.users["street_admin"])
    assert names(client.get(STREETS)) == {"东街"}
    assert names(client.get(COMMUNITIES)) == {"东一社区", "东二社区"}
    assert names(client.get(GRIDS)) == {"东一第1网格", "东一第2网格", "东二第1网格"}
    buildings = ok(client.get(BUILDINGS))
    assert {b["id"] for b in buildings} == {world.buildings[k].pk for k in ("b1", "b2", "b3")}
    west = world.buildings["b4"]
    assert client.get(building_url(west)).status_code == 404
    assert client.get(households_url(west)).status_code == 404
    assert ok(client.get(COMMUNITIES, {"street": world.streets["west"].pk})) == []


def test_it_shows_a_grid_worker_only_their_grid_and_its_building(world, login):
    client = login(world.users["grid_worker_1"])
    # Assigned to a grid: the street and community nodes above it are not theirs to list.
    assert ok(client.get(STREETS)) == []
    assert ok(client.get(COMMUNITIES)) == []
    assert names(client.get(GRIDS)) == {"东一第1网格"}
    assert [b["id"] for b in ok(client.get(BUILDINGS))] == [world.buildings["b1"].pk]
    assert client.get(building_url(world.buildings["b1"])).status_code == 200
    other = world.buildings["b2"]
    response = client.get(building_url(other))
    assert response.status_code == 404
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])
    assert client.get(households_url(other)).status_code == 404


def test_it_hides_the_other_grids_building_from_the_second_grid_worker(world, login):
    client = login(world.users["grid_worker_2"])
    assert [b["id"] for b in ok(client.get(BUILDINGS))] == [world.buildings["b2"].pk]
    assert client.get(building_url(world.buildings["b1"])).status_code == 404


def test_it_shows_the_secretary_only_her_community(world, login):
    client = login(world.users["secretary"])
    assert ok(client.get(STREETS)) == []
    assert names(client.get(COMMUNITIES)) == {"东一社区"}
    assert names(client.get(GRIDS)) == {"东一第1网格", "东一第2网格"}
    assert client.get(building_url(world.buildings["b3"])).status_code == 404


@pytest.mark.parametrize("persona", ["dept_handler", "volunteer", "resident"])
def test_it_refuses_the_area_tree_to_roles_without_it(world, login, persona):
    client = login(world.users[persona])
    for url in every_endpoint(world):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["detail"] == "您的角色没有这项权限。"


def test_it_shows_nothing_to_an_unassigned_user(world, login):
    client = login(world.users["nobody"])
    for url in (STREETS, COMMUNITIES, GRIDS, BUILDINGS):
        assert ok(client.get(url)) == [], url
    assert client.get(building_url(world.buildings["b1"])).status_code == 404
    assert client.get(households_url(world.buildings["b1"])).status_code == 404


def test_it_requires_authentication(world, client):
    for url in every_endpoint(world):
        assert client.get(url).status_code == 401, url


def test_it_accepts_a_bearer_token_and_refuses_a_revoked_one(world, client):
    token, key = ApiToken.issue(world.users["grid_worker_1"], "平板")
    response = client.get(BUILDINGS, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [b["id"] for b in ok(response)] == [world.buildings["b1"].pk]
    token.revoked = True
    token.save()
    assert client.get(BUILDINGS, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


# --- filters and contents -------------------------------------------------------------------


def test_it_filters_communities_by_street_and_grids_by_community(world, login):
    client = login(world.users["street_admin"])
    assert names(client.get(COMMUNITIES, {"street": world.streets["east"].pk})) == {"东一社区", "东二社区"}
    assert names(client.get(GRIDS, {"community": world.communities["e2"].pk})) == {"东二第1网格"}
    assert ok(client.get(GRIDS, {"community": world.communities["w1"].pk})) == []


def test_it_filters_buildings_by_community_grid_and_unassigned(world, login):
    e1 = world.communities["e1"]
    loose = make_building(e1, None, 9)
    client = login(world.users["street_admin"])
    assert {b["id"] for b in ok(client.get(BUILDINGS, {"community": e1.pk}))} == {
        world.buildings["b1"].pk,
        world.buildings["b2"].pk,
        loose.pk,
    }
    assert [b["id"] for b in ok(client.get(BUILDINGS, {"grid": world.grids["g2"].pk}))] == [world.buildings["b2"].pk]
    unassigned = ok(client.get(BUILDINGS, {"unassigned": "true"}))
    assert [(b["id"], b["grid"]) for b in unassigned] == [(loose.pk, None)]
    assert loose.pk not in {b["id"] for b in ok(client.get(BUILDINGS, {"unassigned": "false"}))}
    # The grid worker never sees a building outside their grid, assigned or not.
    assert ok(login(world.users["grid_worker_1"]).get(BUILDINGS, {"unassigned": "true"})) == []


def test_building_detail_gives_the_layout_and_counts(world, login):
    b1 = world.buildings["b1"]
    data = ok(login(world.users["grid_worker_1"]).get(building_url(b1)))
    assert data["name"] == "1栋" and data["number"] == 1
    assert (data["entrances"], data["floors"], data["rooms_per_floor"]) == (2, 6, 2)
    assert data["household_count"] == 24  # 2 entrances x 6 floors x 2 rooms
    assert data["resident_count"] == 3
    assert (data["community"], data["grid"]) == (world.communities["e1"].pk, world.grids["g1"].pk)


def test_building_households_list_every_room_with_its_address(world, login):
    b1 = world.buildings["b1"]
    rows = ok(login(world.users["grid_worker_1"]).get(households_url(b1)))
    assert len(rows) == 24
    by_address = {row["address"]: row for row in rows}
    assert by_address["1栋2单元502"]["resident_count"] == 1
    assert by_address["1栋1单元101"]["resident_count"] == 1
    assert by_address["1栋1单元102"]["resident_count"] == 0
    assert set(rows[0]) == {
        "id",
        "building",
        "entrance",
        "floor",
        "room",
        "address",
        "floor_area",
        "note",
        "resident_count",
    }
    assert by_address["1栋1单元101"]["floor_area"] is None
    assert rows == sorted(rows, key=lambda r: (r["entrance"], r["floor"], r["room"]))


def test_building_households_give_the_floor_area_as_a_number(world, login):
    from decimal import Decimal

    from linli.areas.models import Household

    b1 = world.buildings["b1"]
    Household.objects.filter(building=b1, entrance=1, room="101").update(floor_area=Decimal("89.50"))
    rows = ok(login(world.users["grid_worker_1"]).get(households_url(b1)))
    assert {row["address"]: row for row in rows}["1栋1单元101"]["floor_area"] == 89.5


def test_building_households_do_not_query_per_row(world, login):
    client = login(world.users["street_admin"])
    small = make_building(world.communities["e1"], world.grids["g1"], 8, entrances=1, floors=1, rooms=1)
    client.get(households_url(small))
    with CaptureQueriesContext(connection) as one_room:
        assert len(ok(client.get(households_url(small)))) == 1
    with CaptureQueriesContext(connection) as many_rooms:
        assert len(ok(client.get(households_url(world.buildings["b1"])))) == 24
    assert len(many_rooms) == len(one_room)


def test_the_area_lists_do_not_query_per_row(world, login):
    client = login(world.users["street_admin"])
    client.get(BUILDINGS)
    with CaptureQueriesContext(connection) as before:
        ok(client.get(BUILDINGS))
    for number in range(20, 30):
        make_building(world.communities["e2"], world.grids["g3"], number, entrances=1, floors=1, rooms=1)
    with CaptureQueriesContext(connection) as after:
        assert len(ok(client.get(BUILDINGS))) == 13
    assert len(after) == len(before)


@pytest.mark.parametrize(
    "url, params",
    [
        (COMMUNITIES, {"street": "east"}),
        (COMMUNITIES, {"street": "9" * 25}),  # past the bigint range: a 422, not an overflow in the driver
        (BUILDINGS, {"grid": "9" * 25}),
        (GRIDS, {"community": "1.5"}),
        (BUILDINGS, {"unassigned": "maybe"}),
    ],
)
def test_it_answers_invalid_query_values_with_422_in_chinese(world, login, url, params):
    response = login(world.users["street_admin"]).get(url, params)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["field"] == next(iter(params))
    assert re.search(r"[\u4e00-\u9fff]", error["message"])


# --- the API root: schema and docs page ---------------------------------------------------------


def test_the_openapi_schema_is_served_and_lists_the_endpoints(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    for path in (
        "/api/areas/streets",
        "/api/areas/buildings/{building_id}/households",
        "/api/residents",
        "/api/residents/{resident_id}",
        "/api/residents/{resident_id}/reveal-id",
    ):
        assert path in schema["paths"], path
    for name in (
        "StreetSchema",
        "CommunitySchema",
        "GridSchema",
        "BuildingSchema",
        "HouseholdSchema",
        "ResidentSchema",
        "ResidentCreateSchema",
        "ResidentUpdateSchema",
    ):
        assert name in schema["components"]["schemas"], name
    assert {"BearerToken", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_docs_page_works_offline_under_the_sites_csp(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    # No URL to another host: swagger comes from our own static files.
    assert [u for u in re.findall(r"https?://[^\s\"'<>]+", html) if not u.startswith("http://testserver/")] == []
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui-init.js" in html
    # No inline script or style for the CSP to block: every <script> is a file or a JSON data block.
    for attrs in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    assert "<style" not in html and " style=" not in html and "onload=" not in html
    # The validator badge (an image from validator.swagger.io) is switched off.
    assert '"validatorUrl": null' in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert client.get("/static/ninja/swagger-ui-init.js").status_code == 200


ORIGIN = "http://localhost"  # a trustworthy origin, as the real site (HTTPS) is: no COOP warning


def serve_through_django(client):
    """A Playwright route handler answering every request with the Django test client.

    No live_server: that would make the test transactional, and its flush would wipe the
    migration-installed tags other transactional tests rely on. Requests to any other host
    are answered 599 and collected, so the test also proves the page asks nothing of them.
    """
    outside = []

    def handle(route):
        request = route.request
        if not request.url.startswith(ORIGIN + "/"):
            outside.append(request.url)
            return route.fulfill(status=599, body="")
        response = client.generic(
            request.method,
            request.url[len(ORIGIN) :],
            request.post_data or "",
            content_type=request.headers.get("content-type", ""),
        )
        body = b"".join(response.streaming_content) if response.streaming else response.content
        headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
        return route.fulfill(status=response.status_code, headers=headers, body=body)

    return handle, outside


@pytest.mark.browser
def test_the_docs_page_renders_in_a_browser_with_no_csp_violation_and_no_outside_request(client, chromium):
    handle, outside = serve_through_django(client)
    page = chromium.new_page()
    page.route("**/*", handle)
    # Init scripts are injected by the browser itself, so the page's CSP does not block this probe.
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{ORIGIN}/api/docs")
    page.wait_for_selector('.opblock-summary-path[data-path="/api/residents/{resident_id}/reveal-id"]', timeout=15000)
    assert "邻里 Linli API" in page.inner_text(".swagger-ui .info")
    assert page.evaluate("window.__csp") == []
    assert errors == [] and outside == []
    # The probe does see a violation when there is one (an inline script).
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.y = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__csp.length > 0", timeout=5000)
    assert page.evaluate("window.y") is None
