"""党员中心户: chosen on the building diagram (a household of another 中心户 or another community is refused with a
clear message and nothing changes), marked on the building page for whoever reads the building and nowhere else,
and counted in the coverage figure."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from linli.areas.models import Household
from linli.core.audit import history_of
from linli.party import services
from linli.party.models import CoveredHousehold, PartyHousehold
from linli.party.structure import coverage
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def room(building, entrance, number):
    return Household.objects.get(building=building, entrance=entrance, room=number)


def covered(centre):
    return set(CoveredHousehold.objects.filter(centre=centre).values_list("household_id", flat=True))


def edit(client, member, households, **extra):
    return client.post(
        reverse("party:centre_edit", args=[member.pk]), {"household": [h.pk for h in households], **extra}
    )


@pytest.fixture
def wang_centre(pw):
    """王五 (2栋1单元301) as a 中心户 looking after 2栋1单元302."""
    b2 = pw.buildings["b2"]
    return services.set_centre(pw.members["e1_b2"], actor=SYSTEM, covered=[room(b2, 1, "302")])


def test_ticking_households_on_the_diagram_sets_what_the_centre_looks_after(pw, client):
    b1 = pw.buildings["b1"]
    chosen = [room(b1, 1, "101"), room(b1, 1, "601"), room(b1, 2, "501")]
    client.force_login(pw.users["secretary"])
    response = edit(client, pw.members["e1"], chosen, since="2025-01-01")
    assert response.status_code == 302
    assert covered(pw.centres["e1"]) == {h.pk for h in chosen}
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("一般联系10–30户，现在是3户" in m for m in warnings)
    assert history_of(pw.centres["e1"]).filter(actor=pw.users["secretary"]).exists()


def test_a_household_of_another_centre_is_refused_by_name_and_nothing_changes(pw, client, wang_centre):
    taken = room(pw.buildings["b2"], 1, "302")
    before = covered(pw.centres["e1"])
    client.force_login(pw.users["secretary"])
    response = edit(client, pw.members["e1"], [room(pw.buildings["b1"], 1, "101"), taken])
    assert response.status_code == 200
    assert "已由 王五 的中心户联系" in response.content.decode()
    assert covered(pw.centres["e1"]) == before and covered(wang_centre) == {taken.pk}


def test_a_household_of_another_community_is_refused_and_nothing_changes(pw, client):
    before = covered(pw.centres["e1"])
    client.force_login(pw.users["secretary"])
    response = edit(client, pw.members["e1"], [room(pw.buildings["b4"], 1, "201")])
    html = response.content.decode()
    assert "不在本社区" in html and "西一" not in html.split("</h1>", 1)[1].split("centre-diagram")[0]
    assert covered(pw.centres["e1"]) == before
    with pytest.raises(Exception, match="不在本社区"):
        services.set_centre(pw.members["e1"], actor=SYSTEM, covered=[room(pw.buildings["b4"], 1, "201")])
    assert covered(pw.centres["e1"]) == before


@pytest.mark.parametrize("ids", [["²", "99999999", "-1"], ["²"]])
def test_odd_household_ids_are_refused_without_an_error_page(pw, client, ids):
    before = covered(pw.centres["e1"])
    client.force_login(pw.users["secretary"])
    url = reverse("party:centre_edit", args=[pw.members["e1"].pk])
    response = client.post(url, {"household": ids})
    assert response.status_code == 200
    assert "所选的户有的不在本社区或已不存在" in response.content.decode()
    assert covered(pw.centres["e1"]) == before


def test_the_diagram_shows_other_centres_households_disabled_with_their_name(pw, client, wang_centre):
    client.force_login(pw.users["secretary"])
    url = reverse("party:centre_edit", args=[pw.members["e1"].pk])
    html = client.get(url, {"building": pw.buildings["b2"].pk}).content.decode()
    assert 'title="已由王五的中心户联系">302<' in html
    assert 'title="王五的党员中心户">301<' in html
    assert f'value="{room(pw.buildings["b1"], 1, "101").pk}" checked' in html


def test_a_member_without_a_registry_record_cannot_be_a_centre(pw, client):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:centre_edit", args=[pw.members["e1_in_service"].pk]))
    assert "请先在党员信息中关联居民档案" in response.content.decode()


def test_centre_edit_is_for_the_party_work_roles_over_the_member(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    assert client.get(reverse("party:centre_edit", args=[pw.members["e1"].pk])).status_code == 403
    client.force_login(pw.users["secretary"])
    assert client.get(reverse("party:centre_edit", args=[pw.members["w1"].pk])).status_code == 404


def marks(client, user, building):
    client.force_login(user)
    response = client.get(reverse("areas:building_detail", args=[building.pk]))
    return response.status_code, response.content.decode()


def test_the_building_diagram_marks_the_centre_and_its_households_for_the_grid_worker(pw, client):
    status, html = marks(client, pw.users["grid_worker_1"], pw.buildings["b1"])
    assert status == 200
    assert html.count('<span class="mark party-centre">党</span>') == 1
    assert html.count('<span class="mark party-covered">联</span>') == 2
    assert "党员中心户：李四" in html and "联系本楼 2 户" in html


def test_the_marks_do_not_leak_into_another_grids_building(pw, client, wang_centre):
    # 李四's 中心户 (1栋, grid 1) also looks after a household of 2栋 (grid 2)
    b2 = pw.buildings["b2"]
    services.set_centre(
        pw.members["e1"],
        actor=SYSTEM,
        covered=[pw.residents["zhang"].household, room(b2, 2, "601")],
        since=datetime.date(2025, 1, 1),
    )
    status, html = marks(client, pw.users["grid_worker_2"], b2)
    assert status == 200
    assert "李四" not in html and "mark party-covered" in html  # 王五's 中心户 is grid 2's
    assert html.count("mark party-") == 2
    status, html = marks(client, pw.users["grid_worker_2"], pw.buildings["b1"])
    assert status == 404
    status, html = marks(client, pw.users["secretary"], b2)
    assert "李四中心户" in html  # the community sees both


def test_coverage_counts_centres_and_the_households_they_look_after(pw, django_assert_num_queries):
    e1, e2, w1 = (pw.communities[k].pk for k in ("e1", "e2", "w1"))
    with django_assert_num_queries(1):
        figures = coverage([e1, e2, w1])
    assert figures == {e1: (3, 48), e2: (0, 24), w1: (2, 24)}
    PartyHousehold.objects.filter(pk=pw.centres["w1"].pk).update(is_active=False)
    assert coverage([w1]) == {w1: (0, 24)}


def test_the_centre_list_shows_coverage_per_building(pw, client):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:centre_list"))
    assert [(c.member.name, c.covered_count, c.outside_norm) for c in response.context["centres"]] == [
        ("李四", 2, True)
    ]
    assert [(b.name, covered, total) for b, covered, total in response.context["buildings"]] == [("1栋", 3, 24)]
    chosen = client.get(reverse("party:centre_list"), {"member": pw.members["e1_b2"].pk})
    assert chosen.url == reverse("party:centre_edit", args=[pw.members["e1_b2"].pk])


def test_the_building_page_asks_for_its_centres_once(pw, client, django_assert_max_num_queries):
    client.force_login(pw.users["street_admin"])
    url = reverse("areas:building_detail", args=[pw.buildings["b1"].pk])
    with django_assert_max_num_queries(18):
        assert "党员中心户：李四" in client.get(url).content.decode()


def test_the_database_keeps_a_household_with_one_centre_and_the_page_says_so(pw, client, wang_centre, monkeypatch):
    from django.db import IntegrityError, transaction

    taken = room(pw.buildings["b2"], 1, "302")
    with pytest.raises(IntegrityError), transaction.atomic():
        CoveredHousehold.objects.create(centre=pw.centres["e1"], household=taken)

    def racing(*args, **kwargs):  # the other 中心户 saved the same household between the check and the insert
        raise IntegrityError("coveredhousehold_one_centre")

    monkeypatch.setattr(services, "set_centre", racing)
    client.force_login(pw.users["secretary"])
    response = edit(client, pw.members["e1"], [room(pw.buildings["b1"], 1, "101")])
    assert response.status_code == 200 and "刚被其他中心户选走" in response.content.decode()


def test_ending_a_centre_frees_its_households_for_another_and_keeps_them_in_the_record(pw, client):
    centre = pw.centres["e1"]
    zhang = pw.residents["zhang"].household
    client.force_login(pw.users["secretary"])
    response = client.post(reverse("party:centre_end", args=[centre.pk]), {"note": "党员搬离本楼"})
    assert response.status_code == 302
    centre.refresh_from_db()
    assert not centre.is_active and not covered(centre)
    record = history_of(centre).first()
    assert record.note == "党员搬离本楼" and str(zhang) in str(record.changes)
    # The households are free: 王五's household (another member) may now look after 张三's.
    services.set_centre(pw.members["e1_b2"], actor=SYSTEM, covered=[zhang])
    # Ending it twice says so and changes nothing.
    again = client.post(reverse("party:centre_end", args=[centre.pk]), {"note": ""}, follow=True)
    assert "已经撤销" in again.content.decode()


def test_only_party_work_roles_end_a_centre(pw, client):
    centre = pw.centres["e1"]
    client.force_login(pw.users["grid_worker_1"])  # the branch's secretary: reads 中心户, does not set them up
    assert client.post(reverse("party:centre_end", args=[centre.pk])).status_code == 403
    client.force_login(pw.users["secretary"])
    assert client.post(reverse("party:centre_end", args=[pw.centres["w1"].pk])).status_code == 404
    centre.refresh_from_db()
    assert centre.is_active
