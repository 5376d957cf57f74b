"""The pairing and service pages with the party world, fed odd values in every parameter and form field: a Chinese
message or a refusal, never a 500 (tests/test_odd_input.py walks the site without party rows)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD = ["²", "9" * 30, "", "'<x>" + "二" * 300, "2026-02-30", "-1"]
PARAMS = ["q", "branch", "member", "tag", "state", "year", "community", "status", "work_unit", "sort", "page"]
FORM = ["member", "household", "started_on", "need", "ended_on", "end_reason", "contacted_on", "kind", "note"]


@pytest.mark.parametrize("persona", ["street_admin", "grid_worker_1"])
def test_odd_values_never_make_a_server_error(client, pw, persona):
    client.raise_request_exception = False
    client.force_login(pw.users[persona])
    e1 = pw.pairings["e1"].pk
    pages = [
        reverse("party:pairing_list"),
        reverse("party:pairing_add"),
        reverse("party:pairing_detail", args=[e1]),
        reverse("party:contact_add", args=[e1]),
        reverse("party:service_summary"),
        reverse("party:service_export"),
    ]
    posts = [
        reverse("party:pairing_add"),
        reverse("party:contact_add", args=[e1]),
        reverse("party:pairing_end", args=[e1]),
    ]
    bad = []
    for odd in ODD:
        for path in pages:
            response = client.get(path, dict.fromkeys(PARAMS, odd))
            if response.status_code >= 500:
                bad.append(f"GET {path} {odd!r}")
        for path in posts:
            response = client.post(path, dict.fromkeys(FORM, odd))
            if response.status_code >= 500:
                bad.append(f"POST {path} {odd!r}")
    assert bad == []
