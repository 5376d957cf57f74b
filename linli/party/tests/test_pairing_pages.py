"""结对帮扶 pages: who sets a pairing up, keeps its diary and ends it; what the household page shows to its readers;
a member's own pairings with 记一笔."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.models import ChangeRecord
from linli.party import services
from linli.party.filtersets_pairing import quiet_q
from linli.party.models import Pairing, PairingContact, PartyMember
from linli.party.panels_pairing import household_pairings, my_pairings
from linli.testing import SYSTEM, make_resident

pytestmark = pytest.mark.django_db


def login(client, pw, persona):
    client.force_login(pw.users[persona])
    return client


def link_member(member, user):
    PartyMember.objects.filter(pk=member.pk).update(user=user)


def note_data(note="电话问候，老人身体还好。", day=None):
    return {"contacted_on": (day or timezone.localdate()).isoformat(), "kind": "phone", "note": note}


# -- contacts -------------------------------------------------------------------------------------------------------


def test_a_branch_secretary_adds_a_contact_to_their_members_pairing(client, pw):
    pairing = pw.pairings["e1"]
    login(client, pw, "grid_worker_1")
    url = reverse("party:contact_add", args=[pairing.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, note_data())
    assert response.status_code == 302
    contact = PairingContact.objects.filter(pairing=pairing).first()
    assert contact.note == "电话问候，老人身体还好。" and contact.recorded_by == pw.users["grid_worker_1"]
    assert ChangeRecord.objects.filter(object_id=str(contact.pk)).exists()


def test_a_branch_secretary_cannot_add_to_another_branchs_pairing(client, pw):
    login(client, pw, "grid_worker_1")
    assert client.post(reverse("party:contact_add", args=[pw.pairings["w1"].pk]), note_data()).status_code == 404
    assert PairingContact.objects.filter(pairing=pw.pairings["w1"]).count() == 1


def test_the_paired_member_records_on_their_own_pairing_only(client, pw):
    link_member(pw.members["e1"], pw.users["volunteer"])
    login(client, pw, "volunteer")
    own = reverse("party:contact_add", args=[pw.pairings["e1"].pk])
    assert client.post(own, note_data("上门帮忙换了灯泡。")).status_code == 302
    assert pw.pairings["e1"].contacts.filter(note="上门帮忙换了灯泡。").exists()
    assert client.get(reverse("party:pairing_detail", args=[pw.pairings["e1"].pk])).status_code == 200
    assert client.post(reverse("party:contact_add", args=[pw.pairings["w1"].pk]), note_data()).status_code == 404
    # No roster and no other pages for a member as such.
    assert client.get(reverse("party:pairing_list")).status_code == 403
    assert client.post(reverse("party:pairing_end", args=[pw.pairings["e1"].pk])).status_code == 403


def test_someone_who_is_neither_member_nor_party_worker_gets_403(client, pw):
    login(client, pw, "volunteer")
    assert client.get(reverse("party:contact_add", args=[pw.pairings["e1"].pk])).status_code == 403


def test_a_bad_contact_is_a_chinese_message_and_nothing_changes(client, pw):
    login(client, pw, "secretary")
    url = reverse("party:contact_add", args=[pw.pairings["e1"].pk])
    before = PairingContact.objects.count()
    future = timezone.localdate() + datetime.timedelta(days=2)
    assert "日期不能晚于今天" in client.post(url, note_data(day=future)).content.decode()
    assert "日期早于结对日期" in client.post(url, note_data(day=datetime.date(2025, 1, 1))).content.decode()
    assert "请写一句联系情况" in client.post(url, note_data(note="   ")).content.decode()
    assert "请选择方式" in client.post(url, {"contacted_on": "2026-11-11", "note": "好"}).content.decode()
    assert PairingContact.objects.count() == before


# -- setting up and ending -------------------------------------------------------------------------------------------


def test_the_secretary_pairs_a_member_with_a_care_group_household(client, pw):
    login(client, pw, "secretary")
    page = client.get(reverse("party:pairing_add")).content.decode()
    chen = pw.residents["chen"].household
    assert chen.address in page and "独居老人" in page  # care-group households listed first, with their groups
    assert "孙七" not in page
    response = client.post(
        reverse("party:pairing_add"),
        {"member": pw.members["e1_b2"].pk, "household": chen.pk, "started_on": "2026-12-01", "need": "每周电话问候"},
    )
    pairing = Pairing.objects.get(member=pw.members["e1_b2"], household=chen)
    assert response.status_code == 302 and response["Location"] == reverse("party:pairing_detail", args=[pairing.pk])
    assert pairing.created_by == pw.users["secretary"] and pairing.need == "每周电话问候"


def test_a_search_finds_a_household_outside_the_care_groups(client, pw):
    login(client, pw, "secretary")
    page = client.get(reverse("party:pairing_add"), {"q": "王五"}).content.decode()
    assert pw.residents["wang"].household.address in page


def test_pairing_twice_or_across_areas_is_refused_with_a_message(client, pw):
    login(client, pw, "secretary")
    url = reverse("party:pairing_add")
    zhang = pw.residents["zhang"].household
    twice = client.post(url, {"member": pw.members["e1"].pk, "household": zhang.pk, "started_on": "2026-12-01"})
    assert "这位党员已与这一户结对" in twice.content.decode()
    west = pw.residents["zhou8"].household
    other = client.post(url, {"member": pw.members["e1"].pk, "household": west.pk, "started_on": "2026-12-01"})
    assert "找不到这一户" in other.content.decode()
    member = client.post(url, {"member": pw.members["w1"].pk, "household": zhang.pk, "started_on": "2026-12-01"})
    assert "找不到这位党员" in member.content.decode()
    pending = client.post(
        url, {"member": pw.members["e1_pending"].pk, "household": zhang.pk, "started_on": "2026-12-01"}
    )
    assert "找不到这位党员" in pending.content.decode()
    bad = client.post(url, {"member": "²", "household": "x", "started_on": "2026-02-30"})
    assert bad.status_code == 200
    assert Pairing.objects.count() == 2


def test_the_secretary_ends_a_pairing_with_a_date_and_reason(client, pw):
    login(client, pw, "grid_worker_1")
    pairing = pw.pairings["e1"]
    url = reverse("party:pairing_end", args=[pairing.pk])
    client.post(url, {"ended_on": "2026-12-01", "end_reason": ""})
    pairing.refresh_from_db()
    assert pairing.ended_on is None
    client.post(url, {"ended_on": "2026-12-01", "end_reason": "老人搬去子女家"})
    pairing.refresh_from_db()
    assert (pairing.ended_on, pairing.end_reason) == (datetime.date(2026, 12, 1), "老人搬去子女家")
    later = client.post(reverse("party:contact_add", args=[pairing.pk]), note_data())
    assert "这个结对已经结束" in later.content.decode()
    page = client.get(reverse("party:pairing_detail", args=[pairing.pk])).content.decode()
    assert "已结束" in page and "记一笔" not in page


def test_a_grid_worker_who_is_no_secretary_cannot_end_or_open_pairings(client, pw):
    login(client, pw, "grid_worker_2")
    assert client.post(reverse("party:pairing_end", args=[pw.pairings["e1"].pk])).status_code == 403
    assert client.get(reverse("party:pairing_detail", args=[pw.pairings["e1"].pk])).status_code == 403


# -- the list -------------------------------------------------------------------------------------------------------


def test_the_list_shows_the_users_pairings_and_filters_them(client, pw):
    login(client, pw, "street_admin")
    page = client.get(reverse("party:pairing_list")).content.decode()
    assert "李四" in page and "孙七" not in page
    tag = pw.tag("living_alone")
    assert "李四" in client.get(reverse("party:pairing_list"), {"tag": tag.pk}).content.decode()
    empty = client.get(reverse("party:pairing_list"), {"tag": pw.tag("empty_nest").pk}).content.decode()
    assert "没有符合条件的结对" in empty
    wrong = client.get(reverse("party:pairing_list"), {"branch": pw.orgs["w1"].pk}).content.decode()
    assert "找不到这个支部" in wrong
    branch2 = client.get(reverse("party:pairing_list"), {"branch": pw.orgs["e1_b2"].pk}).content.decode()
    assert "没有符合条件的结对" in branch2


def test_staff_reads_the_household_panel_but_not_the_pairing_pages(client, pw):
    login(client, pw, "staff")
    zhang = pw.residents["zhang"].household
    page = client.get(reverse("areas:household_detail", args=[zhang.pk])).content.decode()
    assert "结对帮扶" in page and "李四" in page and "上门看望，身体还好" in page
    assert "东一第1网格党支部" not in page  # the member's name only, no party details
    assert client.get(reverse("party:pairing_list")).status_code == 403
    assert client.get(reverse("party:pairing_detail", args=[pw.pairings["e1"].pk])).status_code == 403
    assert client.get(reverse("party:service_summary")).status_code == 403


def test_the_household_panel_shows_the_centre_looking_after_the_household(client, pw):
    login(client, pw, "staff")
    chen = pw.residents["chen"].household
    page = client.get(reverse("areas:household_detail", args=[chen.pk])).content.decode()
    assert "联系这一户的党员中心户" in page and "李四" in page
    li_home = pw.residents["li"].household
    assert (
        "这一户是<b>党员中心户</b>" in client.get(reverse("areas:household_detail", args=[li_home.pk])).content.decode()
    )


def test_grid_worker_2_sees_the_panel_for_g2_households_only(client, pw):
    neighbour = make_resident(pw.buildings["b2"], "钱奶奶", room="402", seq=20, tags=["empty_nest"])
    services.pair(pw.members["e1_b2"], neighbour.household, actor=SYSTEM, started_on=datetime.date(2026, 6, 1))
    worker = pw.users["grid_worker_2"]
    assert household_pairings(worker, neighbour.household)["pairings"][0].member.name == "王五"
    assert household_pairings(worker, pw.residents["zhang"].household) is None
    login(client, pw, "grid_worker_2")
    assert "王五" in client.get(reverse("areas:household_detail", args=[neighbour.household.pk])).content.decode()
    assert client.get(reverse("areas:household_detail", args=[pw.residents["zhang"].household.pk])).status_code == 404


def test_the_resident_page_points_to_the_household_page(client, pw):
    login(client, pw, "staff")
    page = client.get(reverse("residents:resident_detail", args=[pw.residents["zhang"].pk])).content.decode()
    assert (
        "结对党员：李四" in page
        and reverse("areas:household_detail", args=[pw.residents["zhang"].household_id]) in page
    )


def test_a_quiet_pairing_is_one_nobody_contacted_for_30_days(pw):
    quiet = Pairing.objects.filter(quiet_q(today=datetime.date(2026, 12, 10)))
    assert not quiet.filter(pk=pw.pairings["e1"].pk).exists()  # contacted on 11-10
    assert Pairing.objects.filter(quiet_q(today=datetime.date(2026, 12, 11)), pk=pw.pairings["e1"].pk).exists()
    fresh = services.pair(
        pw.members["e1"], pw.residents["chen"].household, actor=SYSTEM, started_on=datetime.date(2026, 11, 20)
    )
    assert not Pairing.objects.filter(quiet_q(today=datetime.date(2026, 12, 10)), pk=fresh.pk).exists()
    assert Pairing.objects.filter(quiet_q(today=datetime.date(2026, 12, 21)), pk=fresh.pk).exists()


def test_the_list_page_takes_a_fixed_number_of_queries(client, pw, django_assert_max_num_queries):
    for n, room in enumerate(["102", "202", "301", "302", "401"]):
        resident = make_resident(pw.buildings["b1"], f"住户{n}", room=room, seq=30 + n, tags=["living_alone"])
        services.pair(pw.members["e1"], resident.household, actor=SYSTEM, started_on=datetime.date(2026, 6, 1))
    login(client, pw, "secretary")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("party:pairing_list"))
    assert response.content.decode().count("李四</strong>") == 6


# -- a member's own pairings ------------------------------------------------------------------------------------------


def test_a_member_sees_their_pairings_with_a_quick_note_on_their_home_page(client, pw):
    link_member(pw.members["e1"], pw.users["volunteer"])
    assert [p.pk for p in my_pairings(pw.users["volunteer"])["my_pairings"]] == [pw.pairings["e1"].pk]
    assert my_pairings(pw.users["grid_worker_2"]) is None
    login(client, pw, "volunteer")
    page = client.get(reverse("core:home")).content.decode()
    assert "我的结对" in page and reverse("party:contact_add", args=[pw.pairings["e1"].pk]) in page


def test_a_resident_member_sees_their_pairings_on_their_own_page(client, pw):
    chen = pw.residents["chen"]
    member = services.save_member(PartyMember(community=pw.communities["e1"], resident=chen), actor=SYSTEM)
    link_member(member, pw.users["resident"])
    pairing = services.pair(member, pw.residents["zhang"].household, actor=SYSTEM, started_on=datetime.date(2026, 6, 1))
    login(client, pw, "resident")
    page = client.get(reverse("residents:my_record")).content.decode()
    assert "我的结对" in page and reverse("party:contact_add", args=[pairing.pk]) in page
    assert client.post(reverse("party:contact_add", args=[pairing.pk]), note_data()).status_code == 302
