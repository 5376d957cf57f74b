"""tests/test_odd_input.py's walk over the mediation pages only, with the mediation world present (the project-wide
walk's world has no case, so the case page and its forms would not be reached there)."""

from types import SimpleNamespace

import pytest
from django.urls import get_resolver, reverse

from tests.test_odd_input import ODD_VALUES, ServerErrors, fuzz_forms, fuzz_queries, param_names, view_class

pytestmark = pytest.mark.django_db


def mediation_pages(mw):
    case, settled = mw.cases["e1"], mw.cases["e1_settled"]
    yield "mediation:case_list", ()
    yield "mediation:case_add", ()
    yield "mediation:case_detail", (case.pk,)
    yield "mediation:case_detail", (settled.pk,)
    yield "mediation:agreement_print", (settled.pk,)
    yield "mediation:reception_list", ()
    yield "mediation:reception_add", ()
    yield "mediation:figures", ()
    yield "mediation:mediator_list", ()
    yield "mediation:mediator_add", ()
    yield "mediation:mediator_edit", (mw.mediators["tang"].pk,)
    yield "mediation:room_add", ()
    yield "mediation:room_edit", (mw.rooms["e1"].pk,)


def test_no_mediation_page_or_form_answers_odd_values_with_a_server_error(mw, client):
    client.raise_request_exception = False
    client.force_login(mw.users["secretary"])
    resolver = get_resolver()
    errors, seen, posted = ServerErrors(), set(), 0
    for name, args in mediation_pages(mw):
        path = reverse(name, args=args)
        first = client.get(path)
        errors.check(first, f"GET {path}")
        assert first.status_code == 200, path
        html = first.content.decode()
        pattern = SimpleNamespace(callback=resolver.resolve(path).func)
        names, by_hand = param_names(pattern, view_class(pattern), html)
        fuzz_queries(client, errors, path, names, by_hand, ODD_VALUES)
        posted += fuzz_forms(client, errors, path, html, by_hand, seen, ODD_VALUES)
    assert errors == [], "\n".join(errors)
    assert posted >= 10
