"""Print pages of a notice, for staff and grid workers with notice.view in its community (404 outside it):

- the A4 poster for building entrances (楼道张贴): the community, the title, the text, the date and a QR code to the
  notice's short public address (扫码查看/收听), the address in text for those who type it;
- the household checklist for hand delivery (入户告知清单), one A4 sheet (or more) per building, the notice's
  households by entrance, floor and room. Each user gets the households of their own area: a grid worker prints
  their grid's buildings only; asking for another grid's building (?building=<id>) is a 404.

The checklist names a household by its surname and 先生/女士 (王先生), not by full name: the sheet goes from door to
door and may be left on a stairway or lost, so it carries no more than the worker needs at the door — the room to
knock at and the name to greet (and to confirm they have the right family); the registry has the rest.
"""

from __future__ import annotations

import re
from itertools import groupby

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from linli.core.views import ScopedMixin
from linli.notices.choices import NoticeStatus
from linli.notices.models import Notice, NoticeHousehold
from linli.notices.public import public_text
from linli.notices.services import public_url

#: Compound surnames (复姓) common enough to meet at a door; anything else is the first character.
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐",
    "端木", "南宫", "西门", "独孤", "轩辕", "呼延", "澹台", "公冶", "太史", "申屠", "钟离", "闻人", "万俟", "赫连",
)  # fmt: skip

#: Past this many characters of text the poster's type steps down, so that the notice stays on one A4 sheet.
#: How much text a sheet holds, in lines of the smallest type (10 pt: 52 characters across the sheet), measured in
#: chromium (linli/notices/tests/test_print_public_browser.py); a longer notice is cut there and points to the QR code.
#: A paragraph takes whole lines and a fifth of a line after it. Shorter texts print larger.
LINE_CHARS = 52
POSTER_MAX_LINES = 27
PARAGRAPH_GAP = 0.2
POSTER_SIZES = ((4, "large"), (9, "medium"), (16, "small"))
CUT = "……（全文请扫码查看）"


def qr_svg(url: str) -> str:
    """An inline SVG QR code (segno, as linli.tracking makes its posters'): a viewBox and no fixed size, so the CSS
    size scales it; error correction M (readable with part of it soiled on a stairway wall)."""
    import segno

    return segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="notice-qr-code", title="扫码查看/收听通知", dark="#000", light="#fff"
    )


def surname(name: str) -> str:
    name = (name or "").strip()
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    return name[:1]


def door_name(name: str, sex: str) -> str:
    """王先生 / 李女士, or 王家 when the registry has no sex; "" for a household without residents on record."""
    family = surname(name)
    if not family:
        return ""
    return family + {"M": "先生", "F": "女士"}.get(sex, "家")


def detail_url(notice: Notice) -> str | None:
    """The notice's staff page (notices:notice_detail), for the 返回 link; None while that page does not exist."""
    try:
        return notice.get_absolute_url()
    except NoReverseMatch:
        return None


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def poster_weight(text: str) -> float:
    """How many lines of the smallest type the text takes."""
    return sum(-(-len(line) // LINE_CHARS) + PARAGRAPH_GAP for line in _lines(text))


def poster_paragraphs(text: str) -> list[str]:
    """The paragraphs the poster prints: all of them, or as many as fit and a pointer to the full text."""
    paragraphs, left = [], float(POSTER_MAX_LINES)
    for line in _lines(text):
        lines = -(-len(line) // LINE_CHARS) + PARAGRAPH_GAP
        if lines > left:
            room = int(left - PARAGRAPH_GAP) * LINE_CHARS - len(CUT)
            if room > 0:
                paragraphs.append(line[:room] + CUT)
            elif paragraphs:
                paragraphs[-1] = paragraphs[-1][: -len(CUT)] + CUT if len(paragraphs[-1]) > len(CUT) else CUT
            break
        paragraphs.append(line)
        left -= lines
    return paragraphs


def poster_size(text: str) -> str:
    weight = poster_weight(text)
    for limit, size in POSTER_SIZES:
        if weight <= limit:
            return size
    return "tiny"


class NoticePosterView(ScopedMixin, TemplateView):
    """The A4 poster of a notice (one sheet), with the QR code to its public page."""

    model = Notice
    template_name = "notices/print_poster.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        notice = self.get_scoped_object(self.scoped().select_related("community"))
        url = self.request.build_absolute_uri(public_url(notice))
        # A poster on a stairway wall is as public as the board: the same anonymised text as the page it links to.
        body = public_text(notice.community_id, notice.body)
        title = public_text(notice.community_id, notice.title)
        ctx.update(
            notice=notice,
            community=notice.community,
            title=title,
            paragraphs=poster_paragraphs(body),
            cut=poster_weight(body) > POSTER_MAX_LINES,
            size=poster_size(body),
            qr=mark_safe(qr_svg(url)),  # segno's own SVG markup, built from our URL
            public_url=url,
            dated=timezone.localdate(notice.sent_at) if notice.sent_at else timezone.localdate(),
            draft=notice.status == NoticeStatus.DRAFT,
            withdrawn=notice.status == NoticeStatus.WITHDRAWN,
            back_url=detail_url(notice),
        )
        return ctx


class NoticeChecklistView(ScopedMixin, TemplateView):
    """The hand-delivery checklist: the notice's households in the user's area, one sheet per building."""

    model = Notice
    template_name = "notices/print_checklist.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        notice = self.get_scoped_object(self.scoped().select_related("community"))
        rows = NoticeHousehold.objects.restrict(self.request.user, "view").filter(notice=notice)
        buildings = list(
            rows.order_by("building__number", "building_id")
            .values_list("building_id", "building__name", "building__compound", "grid__name")
            .distinct()
        )
        chosen = self.request.GET.get("building", "").strip()
        if chosen:
            # ASCII digits only: "²".isdigit() is true and int("²") fails
            if not re.fullmatch(r"[0-9]{1,12}", chosen) or int(chosen) not in {b[0] for b in buildings}:
                raise Http404("这栋楼不在您的范围内，或者这条通知没有发到这栋楼。")
            rows = rows.filter(building_id=int(chosen))
        rows = list(
            rows.select_related("household", "building").order_by(
                "building__number", "building_id", "household__entrance", "household__floor", "household__room", "id"
            )
        )
        heads = _heads([r.household_id for r in rows])
        sheets = []
        for _building, in_building in groupby(rows, key=lambda r: r.building_id):
            in_building = list(in_building)
            entrances = [
                (entrance, [(r, heads.get(r.household_id, "")) for r in households])
                for entrance, households in groupby(in_building, key=lambda r: r.household.entrance)
            ]
            sheets.append(
                {
                    "building": in_building[0].building,
                    "entrances": entrances,
                    "total": len(in_building),
                    "door": sum(1 for r in in_building if r.needs_door),
                    "told": sum(1 for r in in_building if r.confirmed_via),
                }
            )
        ctx.update(
            notice=notice,
            community=notice.community,
            sheets=sheets,
            buildings=buildings,
            chosen=int(chosen) if chosen else None,
            printed_on=timezone.localdate(),
            sent_on=timezone.localdate(notice.sent_at) if notice.sent_at else None,
            withdrawn=notice.status == NoticeStatus.WITHDRAWN,
            draft=notice.status == NoticeStatus.DRAFT,
            list_url=reverse("notices:notice_checklist", args=[notice.pk]),
            back_url=detail_url(notice),
        )
        return ctx


def _heads(household_ids: list[int]) -> dict[int, str]:
    """Each household's name at the door: its head's (户主) surname, else its first active resident's."""
    from linli.residents.choices import Relation, ResidentStatus
    from linli.residents.models import Resident

    found: dict[int, str] = {}
    residents = (
        Resident.objects.filter(household_id__in=household_ids, status=ResidentStatus.ACTIVE)
        .order_by("household_id", "id")
        .values_list("household_id", "name", "sex", "relation")
    )
    heads = {}
    for household_id, name, sex, relation in residents:
        if relation == Relation.HEAD and household_id not in heads:
            heads[household_id] = door_name(name, sex)
        found.setdefault(household_id, door_name(name, sex))
    found.update(heads)
    return found
