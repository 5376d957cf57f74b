"""Bearer-token calls of the JSON API skip the page-only middleware (linli.core.apigate); everything else keeps it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import checks
from django.test import Client, RequestFactory

from linli.accounts.models import ApiToken
from linli.core import apigate

pytestmark = pytest.mark.django_db

LIST = "/api/residents"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def new_resident(world):
    from linli.areas.models import Household

    household = Household.objects.get(building=world.buildings["b1"], entrance=1, room="102")
    return {"household": household.pk, "name": "周八", "relation": "head"}


def test_only_a_bearer_call_of_the_api_is_told_apart():
    rf = RequestFactory()
    assert apigate.bearer_api(rf.get("/api/residents", HTTP_AUTHORIZATION="Bearer ll_x"))
    assert apigate.bearer_api(rf.get("/api/residents", HTTP_AUTHORIZATION="bearer ll_x"))
    assert not apigate.bearer_api(rf.get("/api/residents"))
    assert not apigate.bearer_api(rf.get("/api/residents", HTTP_AUTHORIZATION="Basic eDp5"))
    assert not apigate.bearer_api(rf.get("/residents/", HTTP_AUTHORIZATION="Bearer ll_x"))  # a page: everything
    assert not apigate.bearer_api(rf.get("/apix/", HTTP_AUTHORIZATION="Bearer ll_x"))


def test_a_bearer_call_gets_no_session_cookie_csp_or_language_but_keeps_the_security_headers(world):
    _, key = ApiToken.issue(world.users["grid_worker_1"], "脚本", scope="write")
    client = Client(enforce_csrf_checks=True)
    response = client.post(LIST, new_resident(world), content_type="application/json", **bearer(key))
    assert response.status_code == 201, response.content
    request = response.wsgi_request
    assert request.user == world.users["grid_worker_1"]  # the token's user
    for page_only in ("session", "_messages", "htmx", "csp_nonce", "LANGUAGE_CODE"):
        assert not hasattr(request, page_only), page_only
    assert "Content-Security-Policy" not in response and "Content-Language" not in response
    assert not response.cookies
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_a_bad_token_is_still_a_401_and_a_read_only_token_a_403(world):
    client = Client(enforce_csrf_checks=True)
    response = client.get(LIST, **bearer("ll_wrong"))
    assert response.status_code == 401 and "令牌" in response.json()["detail"]
    _, key = ApiToken.issue(world.users["grid_worker_1"], "只读")
    response = client.post(LIST, new_resident(world), content_type="application/json", **bearer(key))
    assert response.status_code == 403


def test_a_bearer_call_from_a_logged_in_browser_is_the_tokens_and_leaves_the_session_alone(world):
    _, key = ApiToken.issue(world.users["grid_worker_1"], "脚本")
    client = Client()
    client.force_login(world.users["street_admin"])
    response = client.get(LIST, **bearer(key))
    assert response.status_code == 200
    assert response.wsgi_request.user == world.users["grid_worker_1"]
    assert not response.cookies  # no session touched or renewed


def test_the_session_api_and_the_pages_keep_every_middleware(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["grid_worker_1"])
    response = client.post(LIST, new_resident(world), content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    page = client.get("/residents/", **bearer("ll_whatever"))  # a bearer header does not change a page
    assert page.status_code == 200
    assert "Content-Security-Policy" in page and hasattr(page.wsgi_request, "session")
    assert page.wsgi_request.user == world.users["grid_worker_1"]


def test_the_gated_middleware_stand_where_djangos_did_and_the_checks_still_find_them():
    names = settings.MIDDLEWARE
    assert names.index("linli.core.apigate.SessionMiddleware") < names.index(
        "linli.core.apigate.AuthenticationMiddleware"
    )
    assert names.index("linli.core.apigate.AuthenticationMiddleware") < names.index("linli.core.apigate.OTPMiddleware")
    assert "axes.middleware.AxesMiddleware" in names  # django-axes checks for it by name
    ids = {m.id for m in checks.run_checks(include_deployment_checks=False)}
    assert not {i for i in ids if i.startswith(("admin.", "axes.", "sessions."))}
