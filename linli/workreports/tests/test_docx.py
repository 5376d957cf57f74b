"""The .docx of a work report: python-docx opens it; the title, the number, the section headings and their figures
as tables, the staff's paragraphs, the notable cases and 待解决事项 are there, in Chinese fonts; it shows nothing the
PDF does not; a user without the right gets 403 or 404; each download is logged."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags
from docx import Document
from docx.oxml.ns import qn

from linli.core.audit import actor_of
from linli.core.models import ExportRecord
from linli.workreports import pdf, services
from linli.workreports.tests.helpers import appeal, draft, finished, months_ago, roll_months

pytestmark = pytest.mark.django_db


def texts(doc) -> list[str]:
    """Every paragraph's and every table cell's text, in order."""
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        out += [cell.text for row in table.rows for cell in row.cells]
    return [t for t in out if t.strip()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def finalised(world):
    last = months_ago(1)
    found = finished(world.buildings["b1"], last + datetime.timedelta(days=2), text="3号楼楼道灯坏了，联系13812345678")
    appeal(world.buildings["b2"], last + datetime.timedelta(days=3))
    roll_months(last)
    secretary = actor_of(world.users["secretary"])
    report = draft(world)
    services.save_text(
        report, actor=secretary, foreword="本月工作平稳。\n重点抓了楼道照明。", closing="下月开展消防检查。",
        paragraphs={"appeals": "诉求均已按时派单。"},
    )  # fmt: skip
    services.add_case(report, actor=secretary, number=found.number, note="居民很满意")
    return services.finalise(report, actor=secretary)


def download(client, report):
    response = client.get(reverse("workreports:workreport_docx", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    return Document(io.BytesIO(response.content))


def test_the_docx_holds_the_title_number_sections_tables_paragraphs_and_cases(world, login, finalised):
    doc = download(login(world.users["street_admin"]), finalised)
    paragraphs = [p.text for p in doc.paragraphs]
    assert f"{finalised.node_name}{finalised.period_label}工作报告" in paragraphs
    assert finalised.number in paragraphs and finalised.number == f"东一报〔{finalised.number_year}〕1号"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["一、综述", "二、主要工作数据"]
    assert "待解决事项" in headings and "典型案例" in headings and "下一步工作" in headings
    sections = finalised.snapshot["sections"]
    assert [h for h in headings if h.startswith("（")] == [f"（{i}）{s['label']}" for i, s in enumerate(sections, 1)]
    assert "本月工作平稳。" in paragraphs and "重点抓了楼道照明。" in paragraphs
    assert "诉求均已按时派单。" in paragraphs and "下月开展消防检查。" in paragraphs
    # the figures: one table per section, the appeals received as in the snapshot
    received = next(r for s in sections for r in s["rows"] if r["key"] == "appeals.received")
    appeals_table = doc.tables[[s["name"] for s in sections].index("appeals")]
    row = next(r for r in appeals_table.rows if r.cells[0].text == "受理诉求")
    assert received["value"] == 2 and row.cells[1].text == f"2 {received['unit']}"
    assert appeals_table.rows[0].cells[0].text == "指标"
    cases = doc.tables[-1]
    assert [c.text for c in cases.rows[0].cells] == ["编号", "事项", "办理结果"]
    assert cases.rows[1].cells[0].text == finalised.cases.get().number and "居民很满意" in cases.rows[1].cells[1].text
    # Chinese fonts on the styles
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert ExportRecord.objects.filter(kind="workreport_docx", user=world.users["street_admin"]).count() == 1


def test_the_docx_shows_nothing_the_pdf_does_not(world, login, finalised):
    doc = download(login(world.users["secretary"]), finalised)
    shown = squeeze(strip_tags(pdf.html_of(finalised)))
    for text in texts(doc):
        assert squeeze(text) in shown, text
    body = "".join(texts(doc))
    assert "13812345678" not in body and "王阿姨" not in body and "13800001111" not in body


def test_a_draft_says_it_is_a_draft(world, login):
    report = draft(world)
    doc = download(login(world.users["secretary"]), report)
    assert "草稿（未定稿，数字会随每日统计更新）" in [p.text for p in doc.paragraphs]


def test_without_the_right_it_is_403_or_404(world, login, finalised):
    url = reverse("workreports:workreport_docx", args=[finalised.pk])
    assert login(world.users["grid_worker_1"]).get(url).status_code == 403
    assert login(world.users["nobody"]).get(url).status_code == 404  # staff of no community
    assert not ExportRecord.objects.filter(kind="workreport_docx").exists()
