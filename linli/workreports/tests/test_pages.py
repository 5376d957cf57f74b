"""The pages: list with filters, create, edit a draft, preview, finalise, downloads (a real PDF with the CJK font
embedded, the same bytes every time for a finalised report; an .xlsx with the numbers), scope, and a finalised
report that offers no edit and refuses one."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from linli.core.audit import actor_of
from linli.core.models import ExportRecord
from linli.core.testing_pdf import pdf_objects
from linli.workreports import services
from linli.workreports.models import WorkReport
from linli.workreports.tests.helpers import appeal, draft, finished, months_ago, roll_months, this_month

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_reports_in_scope_filtered_by_node_period_and_status(world, login):
    mine = draft(world)
    e2 = services.create_report(actor=actor_of(world.users["street_admin"]), level="street",
                                node_id=world.streets["east"].pk, period="year", year=this_month().year)  # fmt: skip
    client = login(world.users["street_admin"])
    page = client.get(reverse("workreports:workreport_list"))
    assert page.status_code == 200 and set(page.context["page"].object_list) == {mine, e2}
    filtered = client.get(reverse("workreports:workreport_list"), {"period": "month", "status": "draft"})
    assert list(filtered.context["page"].object_list) == [mine]
    node = client.get(reverse("workreports:workreport_list"), {"node": f"community:{world.communities['e1'].pk}"})
    assert list(node.context["page"].object_list) == [mine]
    bad = client.get(reverse("workreports:workreport_list"), {"year": "明年"})
    assert bad.status_code == 200 and "筛选条件有误" in bad.content.decode()
    # 东一's secretary does not see the street's report
    assert list(
        login(world.users["secretary"]).get(reverse("workreports:workreport_list")).context["page"].object_list
    ) == [mine]


def test_creating_a_report_opens_its_draft_and_a_future_month_is_refused(world, login):
    client = login(world.users["staff"])
    node = f"community:{world.communities['e1'].pk}"
    last = months_ago(1)
    response = client.post(
        reverse("workreports:workreport_add"), {"node": node, "period": "month", "year": last.year, "month": last.month}
    )
    report = WorkReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "workreports:workreport_edit", args=[report.pk]
    )
    nxt = this_month().month % 12 + 1
    year = this_month().year + (1 if nxt == 1 else 0)
    refused = client.post(
        reverse("workreports:workreport_add"), {"node": node, "period": "month", "year": year, "month": nxt}
    )
    assert refused.status_code == 400 and WorkReport.objects.count() == 1
    assert "还没有开始" in refused.content.decode() or "请选择近几年中的一年" in refused.content.decode()
    other = client.post(
        reverse("workreports:workreport_add"),
        {"node": f"community:{world.communities['e2'].pk}", "period": "year", "year": last.year},
    )
    assert other.status_code == 400 and "请选择您负责的街道或社区" in other.content.decode()
    assert WorkReport.objects.count() == 1


def test_another_communitys_report_is_404_and_the_street_reads_but_does_not_edit_it(world, login):
    report = draft(world, node="e1")
    e2 = services.create_report(actor=actor_of(world.users["street_admin"]), level="street",
                                node_id=world.streets["east"].pk, period="month", year=months_ago(1).year,
                                month=months_ago(1).month)  # fmt: skip
    secretary = login(world.users["secretary"])
    assert secretary.get(reverse("workreports:workreport_detail", args=[e2.pk])).status_code == 404
    admin = login(world.users["street_admin"])
    page = admin.get(reverse("workreports:workreport_detail", args=[report.pk]))
    assert page.status_code == 200 and "编辑草稿" not in page.content.decode()
    assert admin.get(reverse("workreports:workreport_edit", args=[report.pk])).status_code == 404
    assert (
        login(world.users["grid_worker_1"]).get(reverse("workreports:workreport_detail", args=[report.pk])).status_code
        == 403
    )


def test_a_draft_is_edited_previewed_and_finalised_after_confirmation(world, login):
    found = finished(world.buildings["b1"], months_ago(1))
    roll_months(months_ago(1))
    report = draft(world)
    client = login(world.users["secretary"])
    edit = reverse("workreports:workreport_edit", args=[report.pk])
    page = client.get(edit).content.decode()
    assert page.count("<form") >= 2 and "保存文字" in page and "加入典型案例" in page
    # the month's finished appeal is offered with a one-tap form that posts its number
    assert "本期办结的诉求" in page and f'name="number" value="{found.number}"' in page
    response = client.post(
        edit, {"foreword": "本月走访全覆盖。", "section_appeals": "诉求办理及时。", "closing": "继续努力。"}
    )
    assert response.status_code == 302
    refused = client.post(edit, {"foreword": "联系电话13812345678"})
    assert refused.status_code == 400 and "身份证号或手机号" in refused.content.decode()
    assert (
        client.post(reverse("workreports:workreport_case_add", args=[report.pk]), {"number": found.number}).status_code
        == 302
    )
    missing = client.post(reverse("workreports:workreport_case_add", args=[report.pk]), {"number": "NOPE1"})
    assert missing.status_code == 400 and "找不到编号" in missing.content.decode()
    preview = client.get(reverse("workreports:workreport_detail", args=[report.pk]))
    text = preview.content.decode()
    for shown in ("本月走访全覆盖。", "诉求办理及时。", found.number, "待解决事项", "data-confirm", "较上月"):
        assert shown in text
    assert "13800001111" not in text and "王阿姨" not in text
    assert client.post(reverse("workreports:workreport_finalise", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.is_final and report.number


def test_a_finalised_report_offers_no_edit_and_refuses_a_posted_change(world, login):
    secretary = actor_of(world.users["secretary"])
    report = draft(world)
    services.save_text(report, actor=secretary, foreword="原来的综述")
    report = services.finalise(report, actor=secretary)
    client = login(world.users["secretary"])
    page = client.get(reverse("workreports:workreport_detail", args=[report.pk])).content.decode()
    assert (
        "编辑草稿" not in page
        and "workreport_finalise" not in page
        and reverse("workreports:workreport_finalise", args=[report.pk]) not in page
    )
    before = WorkReport.objects.filter(pk=report.pk).values().get()
    edit = reverse("workreports:workreport_edit", args=[report.pk])
    assert client.get(edit).status_code == 302
    assert client.post(edit, {"foreword": "改掉"}).status_code == 302
    assert client.post(reverse("workreports:workreport_case_add", args=[report.pk]), {"number": "X"}).status_code == 302
    assert client.post(reverse("workreports:workreport_finalise", args=[report.pk])).status_code == 302
    assert WorkReport.objects.filter(pk=report.pk).values().get() == before


def test_the_pdf_is_a_pdf_with_the_cjk_font_embedded_and_the_same_every_time(world, login):
    report = services.finalise(draft(world), actor=actor_of(world.users["secretary"]))
    client = login(world.users["street_admin"])
    url = reverse("workreports:workreport_pdf", args=[report.pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF") and first.content == second.content
    blob = pdf_objects(first.content)
    assert b"/FontFile" in blob and re.search(rb"/BaseFont\s*/[A-Z]{6}\+Noto-S\w+-CJK-SC", blob)
    assert first["Cache-Control"] == "no-store"
    assert ExportRecord.objects.filter(kind="workreport_pdf", user=world.users["street_admin"]).count() == 2


def test_the_xlsx_opens_and_holds_the_numbers(world, login):
    appeal(world.buildings["b1"], months_ago(1))
    appeal(world.buildings["b2"], months_ago(1))
    roll_months(months_ago(1))
    report = draft(world)
    response = login(world.users["secretary"]).get(reverse("workreports:workreport_xlsx", args=[report.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    received = next(r for r in rows if r[1] == "受理诉求")
    assert received[0] == "诉求" and received[3] == 2
    assert ExportRecord.objects.filter(kind="workreport_xlsx").count() == 1


def test_the_menu_and_the_home_page_show_the_reports(world, login):
    draft(world)
    page = login(world.users["secretary"]).get("/").content.decode()
    assert reverse("workreports:workreport_list") in page and "东一社区" in page
    assert reverse("workreports:workreport_list") not in login(world.users["grid_worker_1"]).get("/").content.decode()


@pytest.mark.parametrize("odd", ["²", "9" * 30, "'<x>" + "二" * 300, ""])
def test_odd_values_get_a_chinese_message_and_change_nothing(world, login, odd):
    report = draft(world)
    client = login(world.users["secretary"])
    node = f"community:{world.communities['e1'].pk}"
    for data in (
        {"node": odd, "period": "month", "year": odd, "month": odd},
        {"node": node, "period": odd, "year": 2026},
    ):
        response = client.post(reverse("workreports:workreport_add"), data)
        assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    listing = client.get(reverse("workreports:workreport_list"), {"node": odd, "year": odd, "month": odd, "page": odd})
    assert listing.status_code == 200
    case = client.post(reverse("workreports:workreport_case_add", args=[report.pk]), {"number": odd})
    assert case.status_code == 400
    assert WorkReport.objects.count() == 1 and not report.cases.exists()


def test_a_drafts_preview_and_edit_page_show_each_reader_the_sections_they_may_read(world, login):
    report = draft(world, persona="staff")
    for persona, shows_party in (("staff", False), ("secretary", True)):
        client = login(world.users[persona])
        preview = client.get(reverse("workreports:workreport_detail", args=[report.pk])).content.decode()
        edit = client.get(reverse("workreports:workreport_edit", args=[report.pk])).content.decode()
        assert ("党建引领" in preview) is shows_party and ('name="section_party"' in edit) is shows_party, persona
