"""A work report as .docx (Word), for a street that edits the text before sending it on: rendered from the same
view as the PDF (a finalised report's snapshot, a draft's live figures) — the title, the number, the 综述, each
section's figures as a table with the staff's paragraph under it, the 待解决事项, the notable cases and the 下一步工作.
It carries nothing the PDF does not show.

Fonts: 宋体 for the text and 黑体 for headings and tables, set as the east-Asian font of the styles (w:eastAsia), so
Word on a street office's Windows shows Chinese in the fonts official documents use; the Latin digits follow.
One export-log row per file (kind 工作报告 Word)."""

from __future__ import annotations

import io

from django.utils import timezone

from linli.core.excel.exports import record_export
from linli.workreports.choices import ExportKind
from linli.workreports.figures import AUTHOR
from linli.workreports.render import report_view

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
CHINESE_NUMBERS = "一二三四五六七八九十"
NOTE = (
    "说明：流量指标（如受理诉求、走访次数）为报告期内合计，存量指标（如在册居民、当前超期）为报告期末的数字；"
    "“—”表示当期没有统计数据。"
)


def _set_font(style, name: str, size=None, bold=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = name
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would win over the named one
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _value(row, value) -> str:
    if value is None:
        return "—"
    return f"{value}%" if row.get("rate") else f"{value} {row.get('unit') or ''}".rstrip()


def _change(row, change) -> str:
    if change is None:
        return "—"
    text = f"+{change}" if change > 0 else f"{change}"
    return f"{text}个百分点" if row.get("rate") else text


def _paragraphs(doc, text: str):
    from docx.shared import Pt

    for line in (text or "").splitlines():
        if line.strip():
            p = doc.add_paragraph(line.strip())
            p.paragraph_format.first_line_indent = Pt(24)


def _table(doc, header: list[str], rows: list[list[str]]):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    return table


def build_document(report, *, user=AUTHOR):
    """The python-docx Document of `report` (tests open it)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    v = report_view(report, user=user)
    f = v.figures
    doc = Document()
    styles = doc.styles
    _set_font(styles["Normal"], BODY_FONT, size=12)
    _set_font(styles["Title"], HEADING_FONT, size=20, bold=True)
    for name in ("Heading 1", "Heading 2"):
        _set_font(styles[name], HEADING_FONT, size=14 if name == "Heading 1" else 12, bold=True)
    _set_font(styles["Table Grid"], HEADING_FONT, size=10)
    props = doc.core_properties
    props.title = report.number or f"{report}（草稿）"
    props.author = report.node_name
    props.comments = ""
    if report.finalised_at:
        props.created = props.modified = report.finalised_at

    org = doc.add_paragraph(report.street.name + (f" {report.community.name}" if report.community_id else ""))
    org.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph(f"{report.node_name}{report.period_label}工作报告", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = doc.add_paragraph(report.number if report.is_final else "草稿（未定稿，数字会随每日统计更新）")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = f"报告期：{f['period']}" + ("（含本月实时数字）" if f.get("live") else "")
    if f.get("as_of"):
        meta += f"　统计截至：{f['as_of']}"
    if report.is_final:
        when = timezone.localtime(report.finalised_at)
        meta += f"　定稿：{when.year}年{when.month}月{when.day}日 {report.finalised_by_label}"
    doc.add_paragraph(meta).alignment = WD_ALIGN_PARAGRAPH.CENTER

    chapter = 0
    if report.foreword:
        doc.add_heading(f"{CHINESE_NUMBERS[chapter]}、综述", level=1)
        chapter += 1
        _paragraphs(doc, report.foreword)
    doc.add_heading(f"{CHINESE_NUMBERS[chapter]}、主要工作数据", level=1)
    header = ["指标", f["period"]]
    for c in f["compare"]:
        header += [f"{c['label']}\n{c['period']}", "较去年同期" if c["label"] == "去年同期" else f"较{c['label']}"]
    for i, s in enumerate(v.sections, start=1):
        doc.add_heading(f"（{i}）{s['label']}", level=2)
        rows = []
        for r in s["rows"]:
            label = r["label"] + (f"（目标{r['goal']}%）" if r.get("goal") else "")
            cells = [label, _value(r, r["value"])]
            for c in r["compare"]:
                cells += [_value(r, c["value"]) if r.get("rate") else ("—" if c["value"] is None else str(c["value"]))]
                cells += [_change(r, c["change"])]
            rows.append(cells)
        _table(doc, header, rows)
        _paragraphs(doc, s["paragraph"])
    if not v.sections:
        doc.add_paragraph("撰写人可查看的统计指标为空。")
    note = doc.add_paragraph(NOTE + ("本报告的数字为定稿时的统计，之后不再变化。" if report.is_final else ""))
    for run in note.runs:
        run.font.size = Pt(9)

    doc.add_heading("待解决事项", level=1)
    if v.unresolved:
        for family, item in v.unresolved:
            doc.add_paragraph(f"{family}：{item['label']} {item['value']}{item['unit'] or ''}", style="List Bullet")
    else:
        _paragraphs(doc, "报告期末没有超期、逾期等待解决事项。")
    doc.add_heading("典型案例", level=1)
    if v.cases:
        rows = [[c.number, c.title + (f"\n{c.note}" if c.note else ""), c.outcome] for c in v.cases]
        _table(doc, ["编号", "事项", "办理结果"], rows)
    else:
        _paragraphs(doc, "未选典型案例。")
    if report.closing:
        doc.add_heading("下一步工作", level=1)
        _paragraphs(doc, report.closing)
    for text in (report.node_name, "" if report.is_final else "（草稿）"):
        if text:
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if report.is_final:
        when = timezone.localtime(report.finalised_at)
        doc.add_paragraph(f"{when.year}年{when.month}月{when.day}日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc, sum(len(s["rows"]) for s in v.sections)


def docx_of(report, *, user) -> bytes:
    """The .docx bytes of `report`, logged as an export of `user`."""
    doc, count = build_document(report, user=user)
    out = io.BytesIO()
    doc.save(out)
    record_export(user, ExportKind.DOCX, filters={"sheet": str(report)}, row_count=count, masked=True)
    return out.getvalue()
