"""The directory: "啥事儿该找谁", the per-community set-up of organisations and routes, and street-admin edits."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from linli.appeals import services_directory as directory
from linli.appeals.models import Category, CategoryRoute, HandlingUnit, Organisation, UnitBinding
from linli.appeals.services import default_unit
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def guide(client, **params):
    return client.get(reverse("appeals:unit_guide"), params)


# --- the guide ---------------------------------------------------------------------------------------


def test_the_guide_shows_each_unit_with_its_organisation_and_phone(aw, login):
    response = guide(login(aw.users["staff"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "东一物业服务中心" in body and "027-87654321" in body
    assert "楼道灯" in body  # what the property company handles
    assert "对物业公司本身的投诉（找住建房管）" in body  # what it does not
    assert reverse("appeals:public_results", args=["e1"]) in body


def test_a_resident_reads_the_guide_of_the_community_they_live_in_in_large_type(aw, login):
    response = guide(login(aw.users["resident"]), community=aw.communities["e2"].pk)
    assert response.status_code == 200
    body = response.content.decode()
    assert "东一社区" in body and "东一物业服务中心" in body  # their own community, whatever they ask for
    assert "东二物业" not in body
    assert 'class="large-type"' in body
    assert "社区帮您转" in body


def test_a_resident_account_without_a_resident_record_is_refused(aw, login):
    from linli.accounts.choices import Role
    from linli.testing import make_user

    assert guide(login(make_user("lonely", Role.RESIDENT))).status_code == 403


def test_staff_cannot_read_the_guide_of_a_community_outside_their_area(aw, login):
    assert guide(login(aw.users["staff"]), community=aw.communities["e2"].pk).status_code == 404
    assert guide(login(aw.users["street_admin"]), community=aw.communities["e2"].pk).status_code == 200
    assert guide(login(aw.users["staff"]), community="abc").status_code == 404


def test_a_handler_without_an_area_sees_the_communities_their_organisation_serves(aw, login):
    response = guide(login(aw.users["water_handler"]))
    assert response.status_code == 200
    assert "区水务局" in response.content.decode()


def test_the_guide_search_keeps_only_units_that_match_every_word(aw, login):
    response = guide(login(aw.users["staff"]), q="低保")
    rows = response.context["rows"]
    assert [r["unit"].code for r in rows] == ["civil_affairs"]
    assert all("data-guide-text" in line for line in [response.content.decode()])
    assert guide(login(aw.users["staff"]), q="没有这种事").context["rows"] == []


def test_the_guide_lists_categories_after_the_communitys_routes(aw, login):
    corridor = aw.category("corridor_light")
    directory.route_category(aw.communities["e1"], corridor, aw.units["community"], actor=aw.actor("secretary"))
    rows = {r["unit"].code: r for r in guide(login(aw.users["staff"])).context["rows"]}
    assert corridor in rows["community"]["categories"]
    assert corridor not in rows["property"]["categories"]
    rows = {
        r["unit"].code: r
        for r in guide(login(aw.users["street_admin"]), community=aw.communities["e2"].pk).context["rows"]
    }
    assert corridor in rows["property"]["categories"]


def test_retired_units_are_left_out_of_the_guide(aw, login):
    directory.update_unit(aw.units["education"], actor=aw.actor("street_admin"), name="教育", is_active=False)
    codes = [r["unit"].code for r in guide(login(aw.users["staff"])).context["rows"]]
    assert "education" not in codes and "property" in codes


# --- units and categories: street admins -------------------------------------------------------------


def test_a_street_admin_renames_a_unit_and_the_change_is_recorded(aw, login):
    unit = aw.units["water"]
    client = login(aw.users["street_admin"])
    response = client.post(
        reverse("appeals:unit_edit", args=[unit.pk]),
        {"name": "供水公司", "handles": "停水、水压低", "not_handles": "楼内管道（找物业）", "is_active": "on"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.code, unit.name, unit.handles) == ("water", "供水公司", "停水、水压低")
    assert ChangeRecord.objects.filter(object_id=unit.pk, changes__has_key="名称").exists()


def test_secretaries_cannot_edit_the_directory(aw, login):
    client = login(aw.users["secretary"])
    assert client.get(reverse("appeals:unit_edit", args=[aw.units["water"].pk])).status_code == 403
    assert client.get(reverse("appeals:directory")).status_code == 403
    with pytest.raises(PermissionDenied):
        directory.update_unit(aw.units["water"], actor=aw.actor("secretary"), name="x")


def test_a_unit_name_is_required_and_unique(aw):
    with pytest.raises(ValidationError) as exc:
        directory.update_unit(aw.units["water"], actor=aw.actor("street_admin"), name="  ")
    assert "请填写单位名称" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        directory.update_unit(aw.units["water"], actor=aw.actor("street_admin"), name="物业服务企业")
    assert "已有名为" in str(exc.value)


def category_post(category, **changes):
    data = {
        "name": category.name,
        "unit": category.unit_id,
        "default_urgency": category.default_urgency,
        "is_active": "on",
        **{f: getattr(category, f) for f, *_ in directory.DEADLINE_BOUNDS},
    }
    data.update(changes)
    return data


def test_a_street_admin_changes_a_categorys_unit_and_deadlines(aw, login):
    category = aw.category("corridor_light")
    client = login(aw.users["street_admin"])
    response = client.post(
        reverse("appeals:category_edit", args=[category.pk]),
        category_post(category, unit=aw.units["community"].pk, normal_workdays=5, default_urgency="expedited"),
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.unit, category.normal_workdays, category.default_urgency) == (
        aw.units["community"],
        5,
        "expedited",
    )
    assert default_unit(category, aw.communities["e1"].pk) == aw.units["community"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("sign_workdays", 0, "签收时限不能少于1个工作日"),
        ("normal_workdays", 400, "一般件办结时限不能超过60个工作日"),
        ("urgent_hours", "abc", "紧急件办结时限请填写整数"),
        ("normal_workdays", 30, "一般件的办结时限不能长于复杂件"),
    ],
)
def test_category_deadlines_out_of_bounds_are_refused_with_a_message(aw, login, field, value, message):
    category = aw.category("corridor_light")
    before = {f: getattr(category, f) for f, *_ in directory.DEADLINE_BOUNDS}
    response = login(aw.users["street_admin"]).post(
        reverse("appeals:category_edit", args=[category.pk]), category_post(category, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    category.refresh_from_db()
    assert {f: getattr(category, f) for f, *_ in directory.DEADLINE_BOUNDS} == before


def test_a_street_admin_adds_a_category(aw, login):
    client = login(aw.users["street_admin"])
    data = category_post(aw.category("corridor_light"), code="square_dance", name="广场舞噪音")
    data["unit"] = aw.units["urban_mgmt"].pk
    assert client.post(reverse("appeals:category_add"), data).status_code == 302
    assert Category.objects.get(code="square_dance").unit == aw.units["urban_mgmt"]
    response = client.post(reverse("appeals:category_add"), data)
    assert "已被使用" in response.content.decode()


# --- organisations -----------------------------------------------------------------------------------


def org_post(aw, **changes):
    data = {
        "name": "东二社区居委会",
        "unit": aw.units["community"].pk,
        "street": aw.streets["east"].pk,
        "contact_name": "刘主任",
        "phone": "027 8765 1234",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_a_secretary_registers_an_organisation_with_a_normalised_phone(aw, login):
    client = login(aw.users["secretary"])
    response = client.post(reverse("appeals:organisation_add"), org_post(aw, handlers=[aw.users["staff"].pk]))
    assert response.status_code == 302
    org = Organisation.objects.get(name="东二社区居委会")
    assert org.phone == "027-87651234"
    assert list(org.handlers.all()) == [aw.users["staff"]]
    record = ChangeRecord.objects.get(object_id=org.pk, action="create", object_repr=org.name)
    assert record.changes["承办人账号"] == [None, ["staff"]]


def test_an_invalid_phone_is_refused_and_nothing_is_saved(aw, login):
    response = login(aw.users["secretary"]).post(reverse("appeals:organisation_add"), org_post(aw, phone="12345"))
    assert response.status_code == 200
    assert "电话" in response.content.decode() or "号码" in response.content.decode()
    assert not Organisation.objects.filter(name="东二社区居委会").exists()


def test_an_organisation_can_only_be_registered_in_the_managers_street(aw, login):
    response = login(aw.users["secretary"]).post(
        reverse("appeals:organisation_add"), org_post(aw, street=aw.streets["west"].pk)
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="东二社区居委会").exists()
    with pytest.raises(ValidationError):
        directory.save_organisation(
            None, actor=aw.actor("secretary"), name="西街物业", unit=aw.units["property"], street=aw.streets["west"]
        )


def test_handlers_are_chosen_among_accounts_the_manager_manages(aw, login):
    candidates = set(directory.handler_candidates(aw.users["secretary"]))
    assert aw.users["dept_handler"] in candidates and aw.users["staff"] in candidates
    assert aw.users["water_handler"] not in candidates  # no assignment in the secretary's area
    assert aw.users["resident"] not in candidates
    with pytest.raises(ValidationError) as exc:
        directory.save_organisation(
            None,
            actor=aw.actor("secretary"),
            name="新物业",
            unit=aw.units["property"],
            street=aw.streets["east"],
            handlers=[aw.users["water_handler"]],
        )
    assert "handlers" in exc.value.error_dict


def test_editing_an_organisation_keeps_a_handler_the_manager_cannot_manage(aw, login):
    org = aw.orgs["water"]
    client = login(aw.users["secretary"])
    page = client.get(reverse("appeals:organisation_edit", args=[org.pk]))
    assert "water_handler" in page.content.decode()
    response = client.post(
        reverse("appeals:organisation_edit", args=[org.pk]),
        org_post(aw, name="区水务局", unit=aw.units["water"].pk, handlers=[aw.users["water_handler"].pk]),
    )
    assert response.status_code == 302
    assert list(org.handlers.all()) == [aw.users["water_handler"]]


def test_staff_and_handlers_cannot_edit_organisations(aw, login):
    url = reverse("appeals:organisation_edit", args=[aw.orgs["property"].pk])
    assert login(aw.users["staff"]).get(url).status_code == 403
    assert login(aw.users["dept_handler"]).get(url).status_code == 403


# --- per community: bindings and routes --------------------------------------------------------------


def test_a_secretary_binds_a_unit_to_an_organisation_of_the_street(aw, login):
    client = login(aw.users["secretary"])
    e1 = aw.communities["e1"]
    response = client.post(
        reverse("appeals:unit_bind"),
        {
            "community": e1.pk,
            "unit": aw.units["property"].pk,
            "organisation": aw.orgs["e2_property"].pk,
            "note": "临时",
        },
    )
    assert response.status_code == 302
    binding = UnitBinding.objects.get(community=e1, unit=aw.units["property"])
    assert (binding.organisation, binding.note) == (aw.orgs["e2_property"], "临时")
    assert ChangeRecord.objects.filter(object_id=binding.pk, note="").exists()


def test_binding_refuses_an_organisation_of_another_unit_and_changes_nothing(aw, login):
    client = login(aw.users["secretary"])
    e1 = aw.communities["e1"]
    client.post(
        reverse("appeals:unit_bind"),
        {"community": e1.pk, "unit": aw.units["property"].pk, "organisation": aw.orgs["water"].pk},
        follow=True,
    )
    assert UnitBinding.objects.get(community=e1, unit=aw.units["property"]).organisation == aw.orgs["property"]


def test_an_empty_choice_removes_the_binding(aw, login):
    e1 = aw.communities["e1"]
    login(aw.users["secretary"]).post(
        reverse("appeals:unit_bind"), {"community": e1.pk, "unit": aw.units["water"].pk, "organisation": ""}
    )
    assert not UnitBinding.objects.filter(community=e1, unit=aw.units["water"]).exists()


def test_binding_outside_the_managers_communities_is_a_404(aw, login):
    client = login(aw.users["secretary"])
    response = client.post(
        reverse("appeals:unit_bind"),
        {"community": aw.communities["e2"].pk, "unit": aw.units["water"].pk, "organisation": aw.orgs["water"].pk},
    )
    assert response.status_code == 404
    with pytest.raises(Http404):
        directory.bind_unit(aw.communities["e2"], aw.units["water"], aw.orgs["water"], actor=aw.actor("secretary"))
    assert not UnitBinding.objects.filter(community=aw.communities["e2"], unit=aw.units["water"]).exists()


def test_an_organisation_of_another_street_cannot_be_bound(aw):
    west_org = Organisation.objects.create(name="西街物业", unit=aw.units["property"], street=aw.streets["west"])
    with pytest.raises(ValidationError) as exc:
        directory.bind_unit(aw.communities["e1"], aw.units["property"], west_org, actor=aw.actor("street_admin"))
    assert "本街道" in str(exc.value)


def test_routing_a_category_and_back_to_its_default(aw, login):
    client = login(aw.users["secretary"])
    e1, category = aw.communities["e1"], aw.category("corridor_light")
    client.post(
        reverse("appeals:category_route"),
        {"community": e1.pk, "category": category.pk, "unit": aw.units["community"].pk},
    )
    assert default_unit(category, e1.pk) == aw.units["community"]
    client.post(reverse("appeals:category_route"), {"community": e1.pk, "category": category.pk, "unit": ""})
    assert not CategoryRoute.objects.filter(community=e1).exists()
    assert default_unit(category, e1.pk) == category.unit


def test_the_setup_page_lists_units_routes_and_organisations(aw, login):
    response = login(aw.users["secretary"]).get(reverse("appeals:unit_setup"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "东一物业服务中心" in body and "问题类别交给谁" in body
    assert (
        login(aw.users["secretary"])
        .get(reverse("appeals:unit_setup"), {"community": aw.communities["e2"].pk})
        .status_code
        == 404
    )


def test_the_directory_lists_every_unit_for_street_admins(aw, login):
    response = login(aw.users["street_admin"]).get(reverse("appeals:directory"))
    assert response.status_code == 200
    assert HandlingUnit.objects.count() == len(response.context["units"])


def test_a_secretary_of_two_communities_of_a_street_opens_an_organisation_once(aw, login):
    from linli.accounts.models import AreaAssignment

    AreaAssignment.objects.create(user=aw.users["secretary"], community=aw.communities["e2"])
    url = reverse("appeals:organisation_edit", args=[aw.orgs["property"].pk])
    assert login(aw.users["secretary"]).get(url).status_code == 200
