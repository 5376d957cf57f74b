"""'²' is a digit to str.isdigit() and no number to int(): the merge form and API answer it as an unknown appeal."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from linli.appeals.choices import Status
from linli.appeals.tests.conftest import new_appeal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("main", ["²", "①²", "9" * 30])
def test_the_merge_page_refuses_an_impossible_main_appeal_number(aw, client, main):
    dup = new_appeal(aw)
    client.force_login(aw.users["secretary"])
    response = client.post(reverse("appeals:appeal_merge", args=[dup.pk]), {"merge-main": main})
    assert response.status_code == 400  # the detail page again, with the refusal
    assert "找不到编号" in response.content.decode()
    dup.refresh_from_db()
    assert dup.status == Status.PENDING_DISPATCH


@pytest.mark.parametrize("main", ["²", "9" * 30])
def test_the_merge_api_refuses_an_impossible_main_appeal_number(aw, client, main):
    dup = new_appeal(aw)
    client.force_login(aw.users["secretary"])
    response = client.post(
        f"/api/appeals/{dup.pk}/merge",
        json.dumps({"main": main}),
        content_type="application/json",
        headers={"X-CSRFToken": "x"},
    )
    # Session calls need the CSRF token; the check itself must not be what answers.
    if response.status_code == 403:
        client.cookies["csrftoken"] = "x" * 32
        response = client.post(
            f"/api/appeals/{dup.pk}/merge",
            json.dumps({"main": main}),
            content_type="application/json",
            headers={"X-CSRFToken": "x" * 32},
        )
    assert response.status_code == 422, response.content.decode()
    assert "找不到编号" in response.json()["detail"][0]["message"]
    dup.refresh_from_db()
    assert dup.status == Status.PENDING_DISPATCH


@pytest.mark.parametrize("name", ["appeals:appeal_list", "appeals:appeal_export"])
def test_a_visitor_not_logged_in_is_sent_to_log_in_not_given_a_500(world, client, name):
    client.raise_request_exception = False
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
