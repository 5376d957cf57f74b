"""The project's PDFs (certificates, work reports): HTML rendered by WeasyPrint on A4 with the Noto CJK fonts
fontconfig finds (Debian's fonts-noto-cjk; WeasyPrint embeds the glyphs it uses).

A document's template extends ``core/pdf_base.html`` (the page size, the CJK font stacks and the base type: blocks
``title``, ``head``, ``page`` for the @page rule's margins and margin boxes, ``style`` and ``body``) and its app calls
`render_pdf`. Nothing here depends on the time of rendering, so the same HTML gives the same bytes.

WeasyPrint needs Pango at run time: where it or Pango is missing, `render_pdf` raises PdfUnavailable with a Chinese
message (the caller's own, or the generic one) that the caller shows or turns into a ValidationError."""

from __future__ import annotations

import contextlib
import threading

UNAVAILABLE = (
    "本机未安装生成 PDF 所需的 WeasyPrint 或 Pango 组件，暂时不能生成 PDF。"
    "请联系系统管理员（见 Makefile 的 DEBIAN_PDF）。"
)

#: the CJK font stacks of the project's PDFs (also in core/pdf_base.html)
SERIF = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'
SANS = '"Noto Sans CJK SC", sans-serif'


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the Pango libraries it needs are not installed; the message says so in Chinese."""


_shared = threading.local()


@contextlib.contextmanager
def shared_fonts():
    """Inside the block, this thread's PDFs share one WeasyPrint FontConfiguration (the fonts found and loaded
    once, not per document): for a run of many PDFs, e.g. the demo's certificates. The bytes are the same."""
    if getattr(_shared, "font_config", None) is not None:
        yield
        return
    _shared.font_config = False  # made by the first render_pdf inside the block (WeasyPrint may be missing)
    try:
        yield
    finally:
        _shared.font_config = None


def render_pdf(html: str, *, unavailable: str = UNAVAILABLE) -> bytes:
    """`html` as PDF bytes; PdfUnavailable(`unavailable`) when WeasyPrint cannot run here."""
    from PIL import ImageFile

    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango/GObject libraries are missing
        raise PdfUnavailable(unavailable) from exc
    finally:
        # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES: a worker that had made one PDF
        # would then accept truncated photos (linli.attachments refuses them). Our PDFs embed no broken image.
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    font_config = getattr(_shared, "font_config", None)
    if font_config is False:
        from weasyprint.text.fonts import FontConfiguration

        font_config = _shared.font_config = FontConfiguration()
    try:
        return weasyprint.HTML(string=html).write_pdf(font_config=font_config)
    except OSError as exc:
        raise PdfUnavailable(unavailable) from exc
