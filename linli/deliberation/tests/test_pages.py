"""The pages: list filters and scope per persona, add and edit, actions, the public board without personal data,
the printable notice with its QR code, a resident's proposal page, and the 转为议题 buttons."""

import pytest
from django.urls import reverse

from linli.deliberation import services
from linli.deliberation.choices import MatterScope, MatterStatus
from linli.deliberation.models import Matter

pytestmark = pytest.mark.django_db


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


def test_the_list_filters_by_status_scope_grid_and_text(dw, client):
    dw.matter(title="3栋加装电梯", scope=MatterScope.BUILDING, buildings=[dw.world.buildings["b2"]])
    dw.matter(title="东门充电棚")
    body = get(client, dw.users["staff"], "deliberation:matter_list", q="电梯").content.decode()
    assert "3栋加装电梯" in body and "东门充电棚" not in body
    body = get(client, dw.users["staff"], "deliberation:matter_list", grid=dw.world.grids["g2"].pk).content.decode()
    assert "3栋加装电梯" in body and "东门充电棚" not in body
    body = get(client, dw.users["staff"], "deliberation:matter_list", status="done").content.decode()
    assert "3栋加装电梯" not in body
    body = get(client, dw.users["staff"], "deliberation:matter_list", grid="²").content.decode()
    assert "筛选条件有误" in body


def test_another_communitys_matter_is_404_and_not_listed(dw, client):
    theirs = dw.matter("w1_staff", community="w1", title="西一的议题")
    assert get(client, dw.users["grid_worker_1"], "deliberation:matter_detail", theirs.pk).status_code == 404
    assert "西一的议题" not in get(client, dw.users["street_admin"], "deliberation:matter_list").content.decode()
    assert get(client, dw.users["volunteer"], "deliberation:matter_list").status_code == 403


def test_a_resident_sees_only_their_own_proposals(dw, client):
    mine = services.propose_matter(actor=dw.actor("resident"), title="1栋楼道装扶手")
    other = dw.matter(title="别人的议题")
    assert get(client, dw.users["resident"], "deliberation:matter_detail", mine.pk).status_code == 200
    assert get(client, dw.users["resident"], "deliberation:matter_detail", other.pk).status_code == 404
    assert get(client, dw.users["resident"], "deliberation:matter_list").status_code == 403
    body = get(client, dw.users["resident"], "deliberation:matter_propose").content.decode()
    assert "1栋楼道装扶手" in body and "别人的议题" not in body


def test_a_resident_proposes_from_the_large_type_form(dw, client):
    client.force_login(dw.users["resident"])
    response = client.post(reverse("deliberation:matter_propose"), {"title": "", "whole_community": "0"})
    assert "请写下想商量的事" in response.content.decode()
    response = client.post(reverse("deliberation:matter_propose"), {"title": "装扶手", "whole_community": "0"})
    assert response.status_code == 302
    assert Matter.objects.get().status == MatterStatus.PROPOSED


def test_staff_add_and_edit_a_matter(dw, client):
    client.force_login(dw.users["staff"])
    data = {"community": dw.world.communities["e1"].pk, "title": "加装电梯", "scope": "building", "raised_by": "staff"}
    response = client.post(reverse("deliberation:matter_add"), data)
    assert "请选择一栋楼" in response.content.decode()
    data["buildings"] = [dw.world.buildings["b1"].pk]
    response = client.post(reverse("deliberation:matter_add"), data)
    matter = Matter.objects.get()
    assert response.status_code == 302 and matter.status == MatterStatus.HEARING
    data["title"] = "1栋加装电梯"
    client.post(reverse("deliberation:matter_edit", args=[matter.pk]), data)
    matter.refresh_from_db()
    assert matter.title == "1栋加装电梯"


def test_the_detail_page_shows_scope_households_tasks_and_panels(dw, client):
    from linli.deliberation import panels

    matter = dw.matter(scope=MatterScope.BUILDING, buildings=[dw.world.buildings["b1"]])
    services.add_task(matter, actor=dw.actor("staff"), title="联系施工队", owner=dw.users["staff"], deadline=dw.today)
    panels._matter_panels.pop("test", None)
    # any template of the app does: the panel's own context is pushed onto the page's
    panels.matter_panel("test", "deliberation/_self_proposals.html", order=1, context=lambda u, m: {"my_matters": [m]})
    try:
        body = get(client, dw.users["staff"], "deliberation:matter_detail", matter.pk).content.decode()
    finally:
        panels._matter_panels.pop("test")
    households = matter.households_in_scope().count()
    assert households and f"共{households}户" in body and "联系施工队" in body and "我要提议" in body


def test_buttons_act_and_refusals_come_back_as_messages(dw, client):
    matter = dw.matter("grid_worker_1")
    client.force_login(dw.users["staff"])
    response = client.post(reverse("deliberation:matter_decline", args=[matter.pk]), {"reason": ""}, follow=True)
    assert "请填写原因" in response.content.decode()
    client.post(reverse("deliberation:matter_accept", args=[matter.pk]))
    matter.refresh_from_db()
    assert matter.status == MatterStatus.HEARING
    response = client.post(reverse("deliberation:matter_move", args=[matter.pk]), {"status": "proposed"}, follow=True)
    assert response.status_code == 200
    matter.refresh_from_db()
    assert matter.status == MatterStatus.HEARING
    client.force_login(dw.users["grid_worker_1"])
    assert client.post(reverse("deliberation:matter_close", args=[matter.pk])).status_code == 403


def test_the_public_board_shows_publications_without_personal_data(dw, client):
    matter = dw.matter()
    pub = services.publish(dw.actor("staff"), matter, "加装扶手公示", "同意加装扶手。")
    services.record_objection(pub, actor=dw.actor("staff"), text="扶手挡路", name="王阿姨", phone="13800001111")
    # Text that reached the row some other way is anonymised on the way out.
    type(pub).objects.filter(pk=pub.pk).update(body="张三说1栋2单元502同意，电话13812345678。")
    client.logout()
    body = client.get(reverse("deliberation:public_board", args=["e1"])).content.decode()
    assert "加装扶手公示" in body
    for secret in ("张三", "502", "13812345678", "王阿姨", "13800001111", "扶手挡路"):
        assert secret not in body
    one = client.get(reverse("deliberation:public_publication", args=["e1", pub.pk]))
    assert one.status_code == 200 and "张三" not in one.content.decode()
    assert client.get(reverse("deliberation:public_publication", args=["w1", pub.pk])).status_code == 404
    services.withdraw_publication(pub, actor=dw.actor("staff"), reason="有误")
    assert "加装扶手公示" not in client.get(reverse("deliberation:public_board", args=["e1"])).content.decode()
    assert client.get(reverse("deliberation:public_publication", args=["e1", pub.pk])).status_code == 404


def test_the_printed_notice_has_a_qr_code_to_the_public_page(dw, client):
    matter = dw.matter()
    pub = services.publish(dw.actor("staff"), matter, "加装扶手公示", "同意加装扶手。")
    body = get(client, dw.users["staff"], "deliberation:publication_print", pub.pk).content.decode()
    assert "<svg" in body and reverse("deliberation:public_publication", args=["e1", pub.pk]) in body


def test_staff_record_an_objection_on_the_publication_page(dw, client):
    matter = dw.matter()
    pub = services.publish(dw.actor("staff"), matter, "加装扶手公示", "同意加装扶手。")
    client.force_login(dw.users["staff"])
    client.post(reverse("deliberation:objection_add", args=[pub.pk]), {"text": "扶手挡路", "name": "王阿姨"})
    body = get(client, dw.users["staff"], "deliberation:publication_detail", pub.pk).content.decode()
    assert "扶手挡路" in body and "王阿姨" in body


def test_turn_into_matter_button_and_view(dw, client):
    from linli.appeals.services import create_appeal
    from linli.testing import SYSTEM

    appeal = create_appeal(
        actor=SYSTEM, building=dw.world.buildings["b1"], text="楼道装灯", channel="phone", reporter_name="王阿姨"
    )
    body = get(client, dw.users["staff"], "appeals:appeal_detail", appeal.pk).content.decode()
    assert "转为议题" in body
    response = client.post(reverse("deliberation:turn_into_matter", args=["appeal", appeal.pk]))
    matter = Matter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "deliberation:matter_detail", args=[matter.pk]
    )
    again = client.post(reverse("deliberation:turn_into_matter", args=["appeal", appeal.pk]))
    assert again["Location"] == response["Location"] and Matter.objects.count() == 1
    assert "已转为议题" in get(client, dw.users["staff"], "appeals:appeal_detail", appeal.pk).content.decode()
    assert client.post(reverse("deliberation:turn_into_matter", args=["nothing", appeal.pk])).status_code == 404
    client.force_login(dw.users["dept_handler"])
    assert client.post(reverse("deliberation:turn_into_matter", args=["appeal", appeal.pk])).status_code == 403


def test_the_list_exports_to_excel_and_logs_it(dw, client):
    from linli.core.models import ExportRecord

    dw.matter(title="加装电梯")
    response = get(client, dw.users["staff"], "deliberation:matter_list", export="xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    b"".join(response.streaming_content)
    assert ExportRecord.objects.filter(kind="matters", row_count=1).exists()


def test_home_and_own_page_blocks(dw):
    from linli.deliberation import home

    assert home.staff_block(dw.users["staff"]) is None
    dw.matter("grid_worker_1")
    assert home.staff_block(dw.users["staff"])["matter_counts"] == {"open": 1, "proposed": 1}
    services.propose_matter(actor=dw.actor("resident"), title="装扶手")
    assert [m.title for m in home.self_block(dw.users["resident"])["my_matters"]] == ["装扶手"]


def test_the_resident_panel_lists_their_matters_within_scope(dw):
    from linli.deliberation import home

    services.propose_matter(actor=dw.actor("resident"), title="装扶手")
    chen = dw.world.residents["chen"]
    assert [m.title for m in home.resident_panel(dw.users["grid_worker_1"], chen)["resident_matters"]] == ["装扶手"]
    assert home.resident_panel(dw.users["w1_staff"], chen) is None
    assert home.resident_panel(dw.users["staff"], dw.world.residents["zhang"]) is None


def test_the_list_page_queries_do_not_grow_with_its_rows(dw, client, django_assert_max_num_queries):
    for n in range(12):
        m = dw.matter(title=f"议题{n}", scope=MatterScope.BUILDING, buildings=[dw.world.buildings["b1"]])
        services.add_task(m, actor=dw.actor("staff"), title="任务", owner=dw.users["staff"], deadline=dw.today)
    client.force_login(dw.users["staff"])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("deliberation:matter_list")).status_code == 200


def test_the_diary_note_and_problem_list_pages_offer_turn_into_matter(dw, client):
    from linli.appeals import services_problems as problems
    from linli.visits.services import create_note

    note = create_note(actor=dw.actor("grid_worker_1"), text="居民说楼下停车乱", grid=dw.world.grids["g1"])
    body = get(client, dw.users["grid_worker_1"], "visits:diary_detail", note.pk).content.decode()
    assert reverse("deliberation:turn_into_matter", args=["diary", note.pk]) in body
    plist = problems.create_list(
        actor=dw.actor("secretary"), name="办实事", year=2026, community=dw.world.communities["e1"]
    )
    item = problems.add_item(plist, actor=dw.actor("secretary"), title="小区路灯不亮")
    body = get(client, dw.users["secretary"], "appeals:problem_list_detail", plist.pk).content.decode()
    assert reverse("deliberation:turn_into_matter", args=["problem", item.pk]) in body
