"""What a report shows, the same on the preview page, in the PDF and in the .xlsx: the header, the figures (a
finalised report's snapshot, a draft's read now), the staff's paragraphs and the notable cases."""

from __future__ import annotations

from dataclasses import dataclass

from linli.workreports.figures import AUTHOR, figures_of


@dataclass
class ReportView:
    report: object
    figures: dict
    paragraphs: dict  # section name -> text
    cases: list

    @property
    def sections(self) -> list[dict]:
        return [s | {"paragraph": self.paragraphs.get(s["name"], "")} for s in self.figures["sections"]]

    @property
    def unresolved(self) -> list[tuple[str, dict]]:
        return [(s["label"], item) for s in self.figures["sections"] for item in s["unresolved"]]


def report_view(report, *, user=AUTHOR, today=None) -> ReportView:
    """What `user` sees of the report (a draft's sections are the families they may read; figures_of)."""
    return ReportView(
        report=report,
        figures=figures_of(report, user=user, today=today),
        paragraphs=dict(report.paragraphs.values_list("section", "text")),
        cases=list(report.cases.order_by("order", "id")),
    )
