"""承办机构 on the account form (issue 14): a new 部门承办人 is linked to their organisation when the account is
made, so their queue is not empty; only organisations of the manager's own street are offered or accepted."""

import pytest
from django.urls import reverse

from linli.accounts.models import User
from linli.appeals.models import Organisation
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def handler_data(username, *orgs):
    return {
        "username": username,
        "full_name": "新承办人",
        "role": "dept_handler",
        "password": "Qinghe-2026x",
        "is_active": "on",
        "organisations": [o.pk for o in orgs],
    }


def test_a_secretary_links_a_new_handler_to_her_streets_organisation(aw, login):
    client = login(aw.users["secretary"])
    offered = client.get(reverse("accounts:user_add")).context["form"].fields["organisations"].queryset
    west_org = Organisation.objects.create(name="西街物业", unit=aw.units["property"], street=aw.streets["west"])
    assert aw.orgs["property"] in offered and west_org not in offered
    assert client.post(reverse("accounts:user_add"), handler_data("wuye2", aw.orgs["property"])).status_code == 302
    account = User.objects.get(username="wuye2")
    assert list(account.handled_orgs.all()) == [aw.orgs["property"]]
    assert ChangeRecord.objects.filter(
        content_type__model="organisation", object_id=aw.orgs["property"].pk, action="update"
    ).exists()
    # unlinking from the account form
    data = {k: v for k, v in handler_data("wuye2").items() if k not in ("username", "password")}
    assert client.post(reverse("accounts:user_edit", args=[account.pk]), data).status_code == 302
    assert not account.handled_orgs.exists()


def test_it_refuses_another_streets_organisation_and_saves_nothing(aw, login):
    west_org = Organisation.objects.create(name="西街物业", unit=aw.units["property"], street=aw.streets["west"])
    response = login(aw.users["secretary"]).post(reverse("accounts:user_add"), handler_data("sneaky", west_org))
    assert response.status_code == 200
    assert response.context["form"].errors["organisations"]
    assert not User.objects.filter(username="sneaky").exists()
    assert not west_org.handlers.exists()


def test_editing_keeps_memberships_outside_the_managers_street(aw, login):
    west_org = Organisation.objects.create(name="西街物业", unit=aw.units["property"], street=aw.streets["west"])
    handler = aw.users["dept_handler"]
    west_org.handlers.add(handler)
    data = {"full_name": "x", "role": "dept_handler", "is_active": "on", "communities": [aw.communities["e1"].pk]}
    assert login(aw.users["secretary"]).post(reverse("accounts:user_edit", args=[handler.pk]), data).status_code == 302
    assert set(handler.handled_orgs.all()) == {west_org}  # 东一物业 unticked, 西街物业 untouched
