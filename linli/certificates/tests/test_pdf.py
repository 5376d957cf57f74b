"""The PDF: what goes into it (the HTML WeasyPrint renders: WeasyPrint stores text as glyph ids, so the text itself
is checked there), that it is a PDF with the Noto CJK font embedded and the number as its title, and what happens
when WeasyPrint or Pango is missing."""

import re

import pytest
from django.urls import reverse

from linli.certificates import pdf, services
from linli.certificates.models import Certificate
from linli.certificates.testing import certificate_templates
from linli.core.audit import actor_of
from linli.core.models import DocumentCounter
from linli.core.testing_pdf import pdf_objects, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(world):
    world.templates = certificate_templates(world)
    return world


def test_the_html_of_the_pdf_holds_the_number_the_wording_the_purpose_the_seal_area_and_the_qr_code(cw):
    c = services.issue(
        cw.templates["east"], cw.residents["zhang"], actor=actor_of(cw.users["staff"]), purpose="办理入学手续"
    )
    html = pdf.html_of(c, site_url="https://linli.example")
    for text in (
        c.number,
        "居住证明",
        "张三",
        "用途：办理入学手续",
        "（盖章）",
        "东一社区居民委员会",
        c.check_code,
        "有效期至",
    ):
        assert text in html
    assert "<svg" in html and "cert-qr" in html
    assert "https://linli.example/certificates/check/?number=" in pdf.check_url(c, "https://linli.example")


def test_the_stored_pdf_is_a_pdf_with_an_embedded_chinese_font_and_the_number_as_its_title(cw):
    c = services.issue(cw.templates["east"], cw.residents["zhang"], actor=actor_of(cw.users["staff"]), purpose="入学")
    with c.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    blob = pdf_objects(data)
    assert b"/FontFile" in blob  # glyphs embedded, not left to the reader's machine
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+Noto-Serif-CJK-SC", blob)
    assert c.number in titles(blob)


def test_without_weasyprint_the_issue_page_says_so_in_chinese_and_takes_no_number(cw, client, monkeypatch):
    def missing(html):
        raise pdf.PdfUnavailable(pdf.UNAVAILABLE)

    monkeypatch.setattr(pdf, "render_pdf", missing)
    client.force_login(cw.users["staff"])
    zhang = cw.residents["zhang"]
    response = client.post(
        reverse("certificates:certificate_issue") + f"?resident={zhang.pk}",
        {"resident": zhang.pk, "template": cw.templates["east"].pk, "purpose": "入学"},
    )
    assert response.status_code == 400
    assert "WeasyPrint" in response.content.decode() and "暂时不能开具证明" in response.content.decode()
    assert not Certificate.objects.exists() and not DocumentCounter.objects.filter(last__gt=0).exists()
