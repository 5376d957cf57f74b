"""A work report as an A4 PDF: templates/workreports/workreport_pdf.html (the preview page's body) rendered by
linli.core.pdf (WeasyPrint with the Noto CJK fonts fontconfig finds; the template extends core/pdf_base.html).
A finalised report is rendered from its snapshot, and nothing in it depends on the time of the download: the same
bytes every time."""

from __future__ import annotations

from django.template.loader import render_to_string

from linli.core.pdf import PdfUnavailable, render_pdf
from linli.workreports.figures import AUTHOR
from linli.workreports.render import report_view

__all__ = ["PdfUnavailable", "html_of", "pdf_of"]


def html_of(report, *, user=AUTHOR, today=None) -> str:
    view = report_view(report, user=user, today=today)
    return render_to_string("workreports/workreport_pdf.html", {"v": view, "pdf": True})


def pdf_of(report, *, user=AUTHOR, today=None) -> bytes:
    return render_pdf(html_of(report, user=user, today=today))
