"""A certificate as an A4 PDF: HTML (templates/certificates/certificate_pdf.html, extending core/pdf_base.html)
rendered by linli.core.pdf (WeasyPrint with the Noto CJK fonts), and a QR code (segno, inline SVG) of the public
check page.

WeasyPrint needs Pango at run time: where it or Pango is missing, `render_pdf` raises PdfUnavailable, which the
services turn into a Chinese ValidationError (nothing is issued, no number is taken)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from linli.core import pdf as core_pdf
from linli.core.pdf import PdfUnavailable

__all__ = ["UNAVAILABLE", "PdfUnavailable", "check_url", "html_of", "qr_svg", "render_pdf"]

UNAVAILABLE = (
    "本机未安装生成 PDF 所需的 WeasyPrint 或 Pango 组件，暂时不能开具证明。"
    "请联系系统管理员（见 Makefile 的 DEBIAN_PDF）。"
)


def check_url(certificate, site_url: str = "") -> str:
    """The public check page of `certificate` (absolute with LINLI_SITE_URL or the request's address)."""
    base = (settings.LINLI_SITE_URL or site_url or "").rstrip("/")
    query = urlencode({"number": certificate.number, "code": certificate.check_code})
    return f"{base}{reverse('certificates:check')}?{query}"


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(border=2, omitsize=True, svgclass="cert-qr", title="扫码核验")


def html_of(certificate, *, site_url: str = "") -> str:
    """The HTML that goes into the PDF (tests read it: WeasyPrint stores text as glyphs)."""
    url = check_url(certificate, site_url)
    return render_to_string(
        "certificates/certificate_pdf.html",
        {
            "c": certificate,
            "community": certificate.community,
            "paragraphs": [p for p in certificate.text.split("\n") if p.strip()],
            "issued_on": timezone.localtime(certificate.issued_at).date(),
            "qr": mark_safe(qr_svg(url)),
            "check_url": url,
        },
    )


def render_pdf(html: str) -> bytes:
    """The certificate's PDF (linli.core.pdf), refused with the certificate's own message."""
    return core_pdf.render_pdf(html, unavailable=UNAVAILABLE)
