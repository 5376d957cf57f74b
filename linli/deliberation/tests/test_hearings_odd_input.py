"""The hearing pages fed odd values in every parameter and form field (tests/test_odd_input.py walks the URLconf
with a world that has no matter, where these pages are 404s): never a 5xx."""

import pytest
from django.urls import reverse

from linli.deliberation.testing_hearings import matrix_objects
from tests.test_odd_input import ODD_VALUES, ServerErrors, fuzz_forms, fuzz_queries, param_names

pytestmark = pytest.mark.django_db


def hearing_pages(objects):
    matter = objects["matters"]["e1"].pk
    pk = {
        "meeting": objects["meetings"]["e1"].pk,
        "questionnaire": objects["questionnaires"]["e1"].pk,
        "talk": objects["talks"]["e1"].pk,
    }
    return [
        reverse("deliberation:matter_hearings", args=[matter]),
        reverse("deliberation:hearing_resident_search", args=[matter]),
        reverse("deliberation:meeting_add", args=[matter]),
        reverse("deliberation:meeting_detail", args=[pk["meeting"]]),
        reverse("deliberation:meeting_edit", args=[pk["meeting"]]),
        reverse("deliberation:meeting_minutes", args=[pk["meeting"]]),
        reverse("deliberation:questionnaire_add", args=[matter]),
        reverse("deliberation:questionnaire_detail", args=[pk["questionnaire"]]),
        reverse("deliberation:questionnaire_edit", args=[pk["questionnaire"]]),
        reverse("deliberation:questionnaire_building", args=objects["door_buildings"]["b1"]),
        reverse("deliberation:door_visit", args=objects["door_households"]["zhang"]),
        reverse("deliberation:talk_add", args=[matter]),
        reverse("deliberation:talk_detail", args=[pk["talk"]]),
        reverse("deliberation:talk_edit", args=[pk["talk"]]),
    ]


def test_no_hearing_page_or_form_answers_odd_values_with_a_server_error(world, client):
    from django.urls import resolve

    objects = matrix_objects(world)
    client.raise_request_exception = False
    client.force_login(world.users["street_admin"])
    errors, seen, posted = ServerErrors(), set(), 0
    for path in hearing_pages(objects):
        first = client.get(path)
        assert first.status_code == 200, path
        html = first.content.decode()
        match = resolve(path)
        names, by_hand = param_names(match, getattr(match.func, "view_class", None), html)
        fuzz_queries(client, errors, path, names, by_hand, ODD_VALUES)
        posted += fuzz_forms(client, errors, path, html, by_hand, seen, ODD_VALUES)
    assert errors == [], "\n".join(errors)
    assert posted >= 5
