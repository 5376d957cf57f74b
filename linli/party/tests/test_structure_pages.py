"""The structure pages open for the party-work roles and branch secretaries, scoped like the rest of the party
app: a branch secretary reaches their branch's page, other staff get 403, another community's rows 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


@pytest.mark.parametrize(
    "name,key",
    [
        ("party:home", None),
        ("party:org_list", None),
        ("party:org_add", None),
        ("party:unit_list", None),
        ("party:unit_add", None),
        ("party:centre_list", None),
        ("party:org_detail", ("orgs", "e1_committee")),
        ("party:org_detail", ("orgs", "e1")),
        ("party:org_edit", ("orgs", "e1")),
        ("party:unit_detail", ("units", "e1")),
        ("party:unit_edit", ("units", "e1")),
        ("party:unit_summary", ("units", "e1")),
        ("party:centre_edit", ("members", "e1")),
    ],
)
def test_the_community_secretary_opens_every_structure_page(pw, client, name, key):
    args = [getattr(pw, key[0])[key[1]].pk] if key else []
    response = get(client, pw.users["secretary"], name, *args)
    assert response.status_code in (200, 403), response.status_code
    if name != "party:org_add":  # setting up a 大工委 is the street's
        assert response.status_code == 200


ODD = ["²", "-1", "99999999999999999999999", "<b>", "2026-13", "' OR 1=1", "\x00"]


def test_odd_values_in_the_query_and_forms_never_give_a_server_error(pw, client):
    client.raise_request_exception = False
    client.force_login(pw.users["street_admin"])
    unit, org, member = pw.units["e1"], pw.orgs["e1"], pw.members["e1"]
    pages = [
        reverse("party:org_list"),
        reverse("party:org_add"),
        reverse("party:org_detail", args=[org.pk]),
        reverse("party:org_edit", args=[org.pk]),
        reverse("party:unit_list"),
        reverse("party:unit_add"),
        reverse("party:unit_detail", args=[unit.pk]),
        reverse("party:unit_edit", args=[unit.pk]),
        reverse("party:unit_summary", args=[unit.pk]),
        reverse("party:unit_summary_export", args=[unit.pk]),
        reverse("party:centre_list"),
        reverse("party:centre_edit", args=[member.pk]),
    ]
    params = ["year", "parent", "building", "member", "q", "community", "kind", "in_committee", "review", "page"]
    fields = ["name", "grid", "secretary", "street", "community", "form", "established_on", "sort_order", "since"]
    fields += ["household", "decision", "note", "kind", "registered_on", "contact_phone", "is_active"]
    for odd in ODD:
        for path in pages:
            assert client.get(path, {p: odd for p in params}).status_code < 500, (path, odd)
            if "export" not in path and "summary" not in path:
                assert client.post(path, {f: odd for f in fields}).status_code < 500, (path, odd)
        review = reverse("party:unit_review", args=[unit.pk])
        assert client.post(review, {"decision": odd, "note": odd}).status_code < 500
