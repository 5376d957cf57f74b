"""The organisation tree: its figures, the rules of adding and changing an organisation, and who reaches which
organisation's page."""

import pytest
from django.urls import reverse

from linli.party.choices import OrgKind
from linli.party.forms_structure import PartyOrgForm
from linli.party.models import PartyOrg
from linli.party.structure import tree

pytestmark = pytest.mark.django_db


def figures(rows):
    return {row.org.name: (row.depth, row.members, row.centres) for row in rows}


def test_the_tree_counts_members_and_centres_of_each_organisation_and_those_below_it(pw):
    user = pw.users["secretary"]
    rows = tree(PartyOrg.objects.restrict(user).filter(is_active=True), user)
    assert figures(rows) == {
        "东一社区大党委": (0, 3, 1),
        "东一社区党委": (1, 3, 1),
        "东一第1网格党支部": (2, 2, 1),
        "东一第1网格第一党小组": (3, 1, 1),
        "东一第2网格党支部": (2, 1, 0),
    }


def test_a_branch_secretary_sees_their_branch_and_its_group_only(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    response = client.get(reverse("party:home"))
    assert figures(response.context["rows"]) == {"东一第1网格党支部": (0, 2, 1), "东一第1网格第一党小组": (1, 1, 1)}
    assert "东一第2网格党支部" not in response.content.decode()


def test_the_tree_page_takes_a_fixed_number_of_queries(pw, client, django_assert_max_num_queries):
    from linli.party.testing import org

    client.force_login(pw.users["street_admin"])
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("party:org_list"))
    for n in range(5):
        org(OrgKind.GRID_BRANCH, f"新支部{n}", pw.orgs["e1_org"], grid=pw.grids["g2"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("party:org_list")).status_code == 200


def test_a_new_organisation_takes_its_kind_and_community_from_its_parent(pw, client):
    client.force_login(pw.users["secretary"])
    url = reverse("party:org_add") + f"?parent={pw.orgs['e1_org'].pk}"
    response = client.post(url, {"name": "东一第2网格第二支部", "grid": pw.grids["g2"].pk, "sort_order": 2})
    new = PartyOrg.objects.get(name="东一第2网格第二支部")
    assert response.status_code == 302
    assert (new.kind, new.parent, new.community, new.street) == (
        OrgKind.GRID_BRANCH,
        pw.orgs["e1_org"],
        pw.communities["e1"],
        pw.streets["east"],
    )


def test_a_grid_branch_is_bound_to_a_grid_of_its_community_only(pw, client):
    client.force_login(pw.users["secretary"])
    url = reverse("party:org_add") + f"?parent={pw.orgs['e1_org'].pk}"
    response = client.post(url, {"name": "错网格支部", "grid": pw.grids["g4"].pk, "sort_order": 1})
    assert response.status_code == 200
    assert "网格的选项无效" in response.content.decode()
    assert not PartyOrg.objects.filter(name="错网格支部").exists()


def test_the_secretary_account_is_chosen_among_the_communitys_staff(pw):
    form = PartyOrgForm(instance=pw.orgs["e1"], kind=OrgKind.GRID_BRANCH, parent=pw.orgs["e1_org"])
    names = {u.username for u in form.fields["secretary"].queryset}
    assert {"secretary", "staff", "grid_worker_1", "grid_worker_2"} <= names
    assert not names & {"street_admin", "nobody", "resident"}
    west = PartyOrgForm(instance=pw.orgs["w1"], kind=OrgKind.GRID_BRANCH, parent=pw.orgs["w1_org"])
    assert not {u.username for u in west.fields["secretary"].queryset} & names


def test_a_secretary_from_another_community_is_refused(pw, client):
    client.force_login(pw.users["secretary"])
    branch = pw.orgs["e1_b2"]
    data = {"name": branch.name, "grid": branch.grid_id, "sort_order": 0, "is_active": "on"}
    response = client.post(
        reverse("party:org_edit", args=[branch.pk]), data | {"secretary": pw.users["street_admin"].pk}
    )
    assert "书记账号的选项无效" in response.content.decode()
    assert PartyOrg.objects.get(pk=branch.pk).secretary is None


@pytest.mark.parametrize("key,message", [("e1", "还有有效的下级组织"), ("e1_b2", "还有在册党员")])
def test_an_organisation_with_members_or_sub_organisations_is_not_closed(pw, client, key, message):
    client.force_login(pw.users["secretary"])
    branch = pw.orgs[key]
    data = {"name": branch.name, "grid": branch.grid_id, "sort_order": 0}  # is_active unticked
    response = client.post(reverse("party:org_edit", args=[branch.pk]), data)
    assert message in response.content.decode()
    assert PartyOrg.objects.get(pk=branch.pk).is_active


def test_an_empty_group_is_closed_with_a_change_record(pw, client):
    from linli.core.models import ChangeRecord
    from linli.party.testing import org

    group = org(OrgKind.GROUP, "空党小组", pw.orgs["e1_b2"])
    client.force_login(pw.users["secretary"])
    response = client.post(reverse("party:org_edit", args=[group.pk]), {"name": "空党小组", "sort_order": 0})
    assert response.status_code == 302
    assert not PartyOrg.objects.get(pk=group.pk).is_active
    assert ChangeRecord.objects.filter(object_id=group.pk, actor=pw.users["secretary"], action="update").exists()


def test_only_the_street_sets_up_and_changes_its_committee(pw, client):
    east = pw.orgs["east"]
    client.force_login(pw.users["secretary"])
    assert client.get(reverse("party:org_add")).status_code == 403
    assert client.get(reverse("party:org_edit", args=[east.pk])).status_code in (403, 404)
    client.force_login(pw.users["street_admin"])
    assert client.get(reverse("party:org_edit", args=[east.pk])).status_code == 200
    assert client.get(reverse("party:org_add")).status_code == 200


@pytest.mark.parametrize(
    "persona,key,expected",
    [
        ("grid_worker_1", "e1", 200),
        ("grid_worker_1", "e1_group", 200),
        ("grid_worker_1", "e1_org", 404),
        ("grid_worker_1", "e1_b2", 404),
        ("secretary", "w1", 404),
        ("street_admin", "w1", 404),
        ("staff", "e1", 403),
        ("grid_worker_2", "e1", 403),
    ],
)
def test_an_organisations_page_is_for_its_secretaries_and_the_party_work_roles_over_it(
    pw, client, persona, key, expected
):
    client.force_login(pw.users[persona])
    assert client.get(reverse("party:org_detail", args=[pw.orgs[key].pk])).status_code == expected


def test_the_branch_page_lists_its_members_with_attendance_and_a_committees_page_its_units(pw, client):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:org_detail", args=[pw.orgs["e1"].pk]))
    rates = {m.name: m.figures.attendance_rate for m in response.context["members"]}
    assert rates == {"李四": 100, "刘在职": 0}
    response = client.get(reverse("party:org_detail", args=[pw.orgs["e1_committee"].pk]))
    assert [u.name for u in response.context["units"]] == ["东一税务所"]
    assert response.context["own"].members == 3
