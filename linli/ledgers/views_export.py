"""Ledgers out: the filtered resident list as .xlsx, the printable door-knocking ledger, the import template."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Building, Grid
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.excel.exports import record_export
from linli.core.models import ExportRecord
from linli.core.views import ScopedMixin, paginate
from linli.ledgers.choices import ExportKind
from linli.ledgers.exporter import LIST_ORDERING, write_residents_xlsx
from linli.ledgers.template import build_import_template
from linli.residents.choices import Relation
from linli.residents.filtersets import ResidentFilterSet
from linli.residents.models import Resident, Tag


class ResidentExportView(ScopedMixin, View):
    """The resident list page's rows (same query string, scope and masking) as an .xlsx attachment.

    `reveal=1` writes full ID numbers: only for roles with resident.reveal_id, recorded as unmasked.
    """

    model = Resident
    permission = "export.residents"

    def get(self, request):
        user = request.user
        data = request.GET.copy()
        data.setdefault("status", "active")
        reveal = data.get("reveal") == "1"
        if reveal and not user.has_role_perm("resident.reveal_id"):
            raise PermissionDenied("您的角色不能导出完整的身份证号码。")
        filterset = ResidentFilterSet(data, self.scoped(), request=request)
        queryset = filterset.qs.order_by(*LIST_ORDERING)
        filters = cleaned_filters(filterset)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_residents_xlsx(queryset, user=user, out=out, reveal_ids=reveal, filters=filters),
            f"居民台账_{stamp}.xlsx",
            f"residents_{stamp}.xlsx",
        )


class PrintLedgerView(ScopedMixin, TemplateView):
    """A building's (or a grid's) residents as A4 pages, one building per page, for a door-knocking folder.

    Rows follow entrances, floors and rooms; phones and care groups are shown as the role may see
    them; ID numbers are never printed. A blank column takes hand-written visit notes.
    """

    model = Building
    permission = "resident.view"
    level = "building"  # or "grid"
    template_name = "ledgers/print_ledger.html"

    def get_buildings(self):
        user = self.request.user
        buildings = Building.objects.restrict(user).select_related("community", "grid")
        if self.level == "grid":
            grid = self.get_scoped_object(Grid.objects.restrict(user).select_related("community"))
            return grid, list(buildings.filter(grid=grid).order_by("number"))
        building = self.get_scoped_object(buildings)
        return building, [building]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        subject, buildings = self.get_buildings()
        residents = list(
            Resident.objects.restrict(user)
            .active()
            .filter(building__in=buildings)
            .select_related("household")
            .order_by(*LIST_ORDERING)
        )
        visible = Tag.objects.visible_to(user)  # sensitive groups only for roles that may see them
        tags = {t.pk: t for t in visible}
        tags_of: dict[int, list[Tag]] = defaultdict(list)
        for resident_id, tag_id in Resident.tags.through.objects.filter(
            resident__in=residents, tag_id__in=tags
        ).values_list("resident_id", "tag_id"):
            tags_of[resident_id].append(tags[tag_id])
        full_phones = user.has_role_perm("resident.reveal_phone")
        relation_rank = {value: i for i, value in enumerate(Relation.values)}
        today = timezone.localdate()

        by_building: dict[int, list[Resident]] = defaultdict(list)
        for r in residents:
            r.shown_phone = r.phone if full_phones or r.pk == user.resident_id else r.phone_masked
            r.shown_tags = sorted(tags_of.get(r.pk, ()), key=lambda t: (t.order, t.pk))
            by_building[r.building_id].append(r)
        pages = [self.page(b, by_building.get(b.pk, []), tags, relation_rank) for b in buildings]
        record_export(user, ExportKind.PRINT_LEDGER, filters={self.level: subject}, row_count=len(residents))
        ctx.update(subject=subject, level=self.level, pages=pages, printed_on=today)
        return ctx

    @staticmethod
    def page(building, residents, tags, relation_rank) -> dict:
        """One building: counts, then entrances > rooms > people (head of household first)."""
        rooms: dict[tuple[int, int, str], list[Resident]] = defaultdict(list)
        for r in residents:
            h = r.household
            rooms[(h.entrance, h.floor, h.room)].append(r)
        entrances: dict[int, list[dict]] = defaultdict(list)
        for (entrance, floor, room), people in rooms.items():
            people.sort(key=lambda r: (relation_rank.get(r.relation, 99), r.pk))
            entrances[entrance].append({"room": room, "floor": floor, "people": people})
        # Households per care group, as on the building page ("独居老人2户").
        households = Counter(pk for people in rooms.values() for pk in {t.pk for r in people for t in r.shown_tags})
        ranked = sorted(households.items(), key=lambda x: (tags[x[0]].order, x[0]))
        return {
            "building": building,
            "title": f"{building.community.name} {building.name} 居民台账",
            "people": len(residents),
            "households": len(rooms),
            "tag_counts": [f"{tags[pk].name}{n}户" for pk, n in ranked],
            "entrances": [{"number": e, "rooms": rs} for e, rs in sorted(entrances.items())],
        }


class ImportTemplateView(ScopedMixin, View):
    """The blank ledger to fill in for an import (headers, example row, drop-down lists, rules)."""

    model = Resident
    permission = "ledger.import"

    def get(self, request):
        response = xlsx_download(build_import_template, "居民信息台账导入模板.xlsx", "linli_import_template.xlsx")
        record_export(request.user, ExportKind.TEMPLATE, row_count=0)
        return response


class ExportRecordListView(ScopedMixin, TemplateView):
    """导出记录: who exported what, when, how many rows, by the accounts of the user's area (export.log)."""

    model = ExportRecord
    action = "log"
    template_name = "ledgers/export_log.html"

    def get_context_data(self, **kwargs):
        from linli.ledgers.filtersets import ExportRecordFilterSet

        ctx = super().get_context_data(**kwargs)
        data = self.request.GET.copy()
        data.pop("page", None)
        filterset = ExportRecordFilterSet(data, self.scoped().select_related("user"))
        ctx["filter"] = filterset
        ctx["filter_errors"] = [e for errors in filterset.errors.values() for e in errors]
        ctx["page"] = paginate(self.request, filterset.qs.order_by("-at", "-id"), 50)
        return ctx
