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
