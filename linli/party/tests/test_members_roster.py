"""The party member roster and a member's page: who sees which members, the filters, the counts and the queue,
add/edit through the service, leaving, the member's own page."""

import datetime

import pytest
from django.urls import reverse

from linli.core.models import ChangeRecord
from linli.party.choices import MemberStatus
from linli.party.models import PartyMember

pytestmark = pytest.mark.django_db


def roster_names(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("party:member_list") + query)
    assert response.status_code == 200
    return sorted(m.name for m in response.context["page"])


def test_the_community_secretary_reads_the_whole_community_roster(client, pw):
    assert roster_names(client, pw.users["secretary"]) == ["刘在职", "周报到", "李四", "王五"]


def test_a_branch_secretary_reads_only_their_branch(client, pw):
    assert roster_names(client, pw.users["grid_worker_1"]) == ["刘在职", "李四"]


def test_the_street_never_sees_another_streets_members(client, pw):
    names = roster_names(client, pw.users["street_admin"])
    assert "孙七" not in names and "李四" in names


@pytest.mark.parametrize("persona", ["staff", "grid_worker_2", "dept_handler", "volunteer", "resident", "nobody"])
def test_other_roles_get_no_roster(client, pw, persona):
    client.force_login(pw.users[persona])
    assert client.get(reverse("party:member_list")).status_code == 403


def test_the_roster_filters_by_branch_status_and_text(client, pw):
    user = pw.users["secretary"]
    assert roster_names(client, user, f"?branch={pw.orgs['e1_b2'].pk}") == ["王五"]
    assert roster_names(client, user, "?status=in_service") == ["刘在职", "周报到"]
    assert roster_names(client, user, "?q=李") == ["李四"]
    assert roster_names(client, user, "?q=ls") == ["李四"]  # pinyin initials of the resident
    assert roster_names(client, user, f"?work_unit={pw.units['e1'].pk}") == ["刘在职"]


def test_another_areas_branch_is_an_invalid_choice_not_its_rows(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:member_list") + f"?branch={pw.orgs['w1'].pk}")
    assert response.status_code == 200
    assert response.context["errors"] and "孙七" not in response.content.decode()


def test_the_roster_shows_counts_the_queue_and_masked_phones(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:member_list"))
    text = response.content.decode()
    assert "扫码报到待确认 1 人" in text
    assert "139****2233" in text and "13911112233" not in text
    assert dict(response.context["status_counts"])["在职党员（双报到）"] == 1  # the pending one is not counted
    assert "中心户" in text


def test_the_roster_query_count_does_not_grow_with_members(client, pw, django_assert_max_num_queries):
    from linli.party.testing import member

    for i in range(15):
        member(pw.communities["e1"], f"党员{i}", phone=f"1390000{i:04d}", branch=pw.orgs["e1"])
    client.force_login(pw.users["secretary"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("party:member_list")).status_code == 200


def test_left_members_are_off_the_roster_unless_asked(client, pw):
    from linli.party import services_members

    services_members.leave_member(
        pw.members["e1_b2"], actor=pw.actor("secretary"), left_on=datetime.date(2026, 11, 1), reason="moved"
    )
    user = pw.users["secretary"]
    assert "王五" not in roster_names(client, user)
    assert roster_names(client, user, "?state=left") == ["王五"]


def test_the_member_page_shows_the_service_figures_of_the_year(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:member_detail", args=[pw.members["e1"].pk]) + "?year=2026")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.pairings, figures.contacts, figures.meetings_attended, figures.attendance_rate) == (1, 1, 1, 100)
    text = response.content.decode()
    assert "联系 2 户" in text and "东一第1网格十一月支委会" in text
    assert "13987654321" in text  # party.manage reads the full phone
    earlier = client.get(reverse("party:member_detail", args=[pw.members["e1"].pk]) + "?year=2025")
    assert earlier.context["figures"].meetings_attended == 0


def test_a_branch_secretary_reads_the_member_page_with_the_phone_masked(client, pw):
    client.force_login(pw.users["grid_worker_1"])
    response = client.get(reverse("party:member_detail", args=[pw.members["e1"].pk]))
    assert response.status_code == 200
    assert "139****4321" in response.content.decode() and "13987654321" not in response.content.decode()
    assert client.get(reverse("party:member_detail", args=[pw.members["e1_b2"].pk])).status_code == 404


def test_a_member_opens_their_own_page_and_no_other(client, pw):
    from linli.testing import make_user

    own = make_user("liu", "volunteer", pw.communities["e1"])
    PartyMember.objects.filter(pk=pw.members["e1_in_service"].pk).update(user=own)
    client.force_login(own)
    response = client.get(reverse("party:member_detail", args=[pw.members["e1_in_service"].pk]))
    assert response.status_code == 200
    assert "修改记录" not in response.content.decode()  # the history is for party work
    assert client.get(reverse("party:member_detail", args=[pw.members["e1"].pk])).status_code == 403
    assert client.get(reverse("party:member_list")).status_code == 403


def test_staff_add_a_resident_member_and_the_service_records_are_linked(client, pw):
    from linli.volunteers.models import Volunteer

    zhang = pw.residents["zhang"]
    volunteer = Volunteer.objects.create(community=pw.communities["e1"], resident=zhang, name="张三")
    client.force_login(pw.users["secretary"])
    response = client.post(
        reverse("party:member_add"),
        {
            "community": pw.communities["e1"].pk,
            "resident": zhang.pk,
            "branch": pw.orgs["e1"].pk,
            "kind": "full",
            "status": "registered",
            "joined_on": "2001-07-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    member = PartyMember.objects.get(resident=zhang)
    assert (member.name, member.volunteer, member.branch) == ("张三", volunteer, pw.orgs["e1"])
    assert ChangeRecord.objects.filter(object_id=member.pk, action="create").exists()


def test_adding_a_resident_of_another_community_is_refused(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.post(
        reverse("party:member_add"),
        {
            "community": pw.communities["e1"].pk,
            "resident": pw.residents["sun"].pk,
            "kind": "full",
            "status": "registered",
        },
    )
    assert response.status_code == 200
    assert "resident" in response.context["form"].errors
    assert not PartyMember.objects.filter(resident=pw.residents["sun"], community=pw.communities["e1"]).exists()


def test_a_resident_already_on_the_roster_is_refused(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.post(
        reverse("party:member_add"),
        {
            "community": pw.communities["e1"].pk,
            "resident": pw.residents["li"].pk,
            "kind": "full",
            "status": "registered",
        },
    )
    assert response.status_code == 200
    assert "已在本社区党员名册中" in str(response.context["form"].errors)
    assert PartyMember.objects.filter(resident=pw.residents["li"]).count() == 1


def test_the_add_form_finds_residents_by_search(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:member_add") + "?rq=张")
    assert response.status_code == 200
    text = response.content.decode()
    assert "张三" in text and "孙七" not in text


def test_editing_a_member_records_the_change(client, pw):
    member = pw.members["e1_in_service"]
    client.force_login(pw.users["secretary"])
    response = client.post(
        reverse("party:member_edit", args=[member.pk]),
        {
            "name": "刘在职",
            "phone": "13911112233",
            "branch": pw.orgs["e1"].pk,
            "kind": "probationary",
            "status": "in_service",
            "work_unit": pw.units["e1"].pk,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.kind == "probationary"
    assert ChangeRecord.objects.filter(object_id=member.pk, action="update").exists()


def test_a_member_leaves_with_date_and_reason(client, pw):
    member = pw.members["e1_b2"]
    client.force_login(pw.users["secretary"])
    response = client.post(
        reverse("party:member_leave", args=[member.pk]), {"left_on": "2026-10-01", "left_reason": "transferred"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.is_active, member.left_on, member.left_reason) == (False, datetime.date(2026, 10, 1), "transferred")


def test_a_member_who_leaves_stops_being_a_centre_and_their_pairings_end(pw):
    from linli.party.services_members import leave_member

    member = pw.members["e1"]  # 李四: 中心户 of 张三's and 陈奶奶's households, paired with 张三's since 2026-01-05
    leave_member(member, actor=pw.actor("secretary"), left_on=datetime.date(2025, 12, 1), reason="moved")
    centre, pairing = pw.centres["e1"], pw.pairings["e1"]
    centre.refresh_from_db()
    pairing.refresh_from_db()
    assert not centre.is_active and not centre.links.exists()
    # a pairing begun after the day the member left ends the day it began
    assert (pairing.ended_on, pairing.end_reason) == (datetime.date(2026, 1, 5), "党员离开：迁出本社区")


def test_leaving_without_a_reason_changes_nothing(client, pw):
    member = pw.members["e1_b2"]
    client.force_login(pw.users["secretary"])
    client.post(reverse("party:member_leave", args=[member.pk]), {"left_on": "2026-10-01"})
    member.refresh_from_db()
    assert member.is_active


def test_a_branch_secretary_cannot_edit_or_remove_members(client, pw):
    client.force_login(pw.users["grid_worker_1"])
    member = pw.members["e1"]
    assert client.get(reverse("party:member_edit", args=[member.pk])).status_code == 403
    assert client.post(reverse("party:member_leave", args=[member.pk]), {}).status_code == 403


def test_the_resident_page_shows_a_bare_badge_to_staff_and_a_link_to_party_work(client, pw):
    li = pw.residents["li"]
    client.force_login(pw.users["staff"])
    text = client.get(reverse("residents:resident_detail", args=[li.pk])).content.decode()
    assert "党员" in text and reverse("party:member_detail", args=[pw.members["e1"].pk]) not in text
    client.force_login(pw.users["secretary"])
    text = client.get(reverse("residents:resident_detail", args=[li.pk])).content.decode()
    assert reverse("party:member_detail", args=[pw.members["e1"].pk]) in text


def test_status_choices_are_in_chinese():
    assert MemberStatus.IN_SERVICE.label == "在职党员（双报到）"


def test_the_edit_form_offers_the_members_own_service_records_only(client, pw):
    from linli.volunteers.models import Volunteer
    from linli.wishes.models import Claimer

    e1 = pw.communities["e1"]
    own = Volunteer.objects.create(community=e1, resident=pw.residents["li"], name="李四")
    Volunteer.objects.create(community=e1, resident=pw.residents["zhang"], name="张三")
    claimer = Claimer.objects.create(community=e1, name="刘在职", phone="13911112233")
    client.force_login(pw.users["secretary"])
    form = client.get(reverse("party:member_edit", args=[pw.members["e1"].pk])).context["form"]
    assert [label for _, label in form.fields["volunteer"].widget.choices][1:] == [str(own)]
    form = client.get(reverse("party:member_edit", args=[pw.members["e1_in_service"].pk])).context["form"]
    assert [value for value, _ in form.fields["claimer"].widget.choices][1:] == [claimer.pk]
