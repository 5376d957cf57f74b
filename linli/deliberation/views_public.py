"""公示 (publicity): the staff page of a publication (objections recorded and answered, withdrawal), the printable
A4 notice with a QR code to the public page, and a community's public board (公示栏, no login).

Public pages show the publication's title, body (run through the anonymiser once more with the community's
registry names), dates and counts tables: never a name, a phone, a room or who voted how. Objections are
recorded by staff (the project has no rate-limited public form yet)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.core.audit import actor_of
from linli.core.views import ScopedMixin
from linli.deliberation import services
from linli.deliberation.forms import ObjectionForm, ReasonForm, ResponseForm
from linli.deliberation.models import Objection, Publication
from linli.deliberation.panels import public_sections


def qr_svg(url: str) -> str:
    """An inline SVG QR code (segno, as linli.tracking and linli.volunteers make theirs)."""
    import segno

    return segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="delib-qr-code", title="扫码查看公示", dark="#000", light="#fff"
    )


def _public_row(publication: Publication) -> dict:
    community = publication.matter.community
    return {
        "pk": publication.pk,
        "title": services.public_text(community, publication.title),
        "body": services.public_text(community, publication.body),
        "starts_on": publication.starts_on,
        "ends_on": publication.ends_on,
        "tables": _tables(publication.snapshot),
    }


def _tables(snapshot) -> list[dict]:
    """Counts tables from the snapshot ({"tables": [{"title", "columns", "rows"}]}); anything else is ignored."""
    tables = snapshot.get("tables") if isinstance(snapshot, dict) else None
    shown = []
    for t in tables if isinstance(tables, list) else []:
        if isinstance(t, dict) and isinstance(t.get("columns"), list) and isinstance(t.get("rows"), list):
            shown.append({"title": str(t.get("title", "")), "columns": t["columns"], "rows": t["rows"]})
    return shown


class PublicationDetailView(ScopedMixin, TemplateView):
    """Staff page of one publication: what the public reads, the objections received, and the actions."""

    model = Publication
    template_name = "deliberation/publication_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        publication = self.get_scoped_object(self.scoped().select_related("matter__community", "published_by"))
        manage = services.can_manage(self.request.user, publication.matter)
        ctx.update(
            publication=publication,
            matter=publication.matter,
            row=_public_row(publication),
            objections=list(publication.objections.select_related("resident", "received_by")),
            manage=manage,
            current=publication.is_current(),
            public_url=self.request.build_absolute_uri(services.public_url(publication)),
        )
        if manage:
            ctx.update(objection_form=ObjectionForm(), withdraw_form=ReasonForm(), response_form=ResponseForm())
        return ctx


class PublicationPrintView(ScopedMixin, TemplateView):
    """The A4 notice to put on the board, with a QR code to the public page."""

    model = Publication
    template_name = "deliberation/publication_print.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        publication = self.get_scoped_object(self.scoped().select_related("matter__community"))
        url = self.request.build_absolute_uri(services.public_url(publication))
        ctx.update(
            publication=publication,
            community=publication.matter.community,
            row=_public_row(publication),
            qr=mark_safe(qr_svg(url)),  # segno's own SVG markup, built from our URL
            public_url=url,
            printed_on=timezone.localdate(),
        )
        return ctx


class _PublicationActionView(ScopedMixin, View):
    model = Publication
    action = "manage"
    form_class = ReasonForm
    done = ""

    def run(self, publication, form, actor):  # pragma: no cover - each subclass says what it does
        raise NotImplementedError

    def post(self, request, pk):
        publication = self.get_scoped_object()
        form = self.form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
        else:
            try:
                self.run(publication, form, actor_of(request.user))
            except ValidationError as exc:
                for e in exc.messages:
                    messages.error(request, e)
            else:
                messages.success(request, self.done)
        return redirect("deliberation:publication_detail", publication.pk)


class PublicationWithdrawView(_PublicationActionView):
    done = "公示已撤回，公示栏不再显示。"

    def run(self, publication, form, actor):
        services.withdraw_publication(publication, actor=actor, reason=form.cleaned_data["reason"])


class ObjectionAddView(_PublicationActionView):
    form_class = ObjectionForm
    done = "异议已登记。"

    def run(self, publication, form, actor):
        d = form.cleaned_data
        services.record_objection(publication, actor=actor, text=d["text"], name=d["name"], phone=d["phone"])


class ObjectionRespondView(ScopedMixin, View):
    model = Objection
    action = "manage"

    def post(self, request, pk):
        objection = self.get_scoped_object()
        form = ResponseForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写答复。")
        else:
            try:
                services.respond_objection(
                    objection, actor=actor_of(request.user), response=form.cleaned_data["response"]
                )
            except ValidationError as exc:
                for e in exc.messages:
                    messages.error(request, e)
            else:
                messages.success(request, "答复已保存。")
        return redirect("deliberation:publication_detail", objection.publication_id)


def _community(code: str) -> Community:
    return get_object_or_404(Community, code=code)


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class PublicBoardView(View):
    """A community's 公示栏 for anyone: current publications, then the sections other apps register."""

    def get(self, request, code):
        community = _community(code)
        today = timezone.localdate()
        publications = Publication.objects.public_board(community, today).select_related("matter__community")
        rows = [_public_row(p) for p in publications[:50]]
        sections = public_sections(community, today)
        return render(
            request,
            "deliberation/public_board.html",
            {"community": community, "rows": rows, "sections": sections, "today": today},
        )


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class PublicPublicationView(View):
    """One publication for anyone (the QR code leads here); also after it ended, marked as ended."""

    def get(self, request, code, pk):
        community = _community(code)
        today = timezone.localdate()
        publication = get_object_or_404(
            Publication.objects.public(community, today).select_related("matter__community"), pk=pk
        )
        return render(
            request,
            "deliberation/public_publication.html",
            {"community": community, "row": _public_row(publication), "ended": publication.ends_on < today},
        )
