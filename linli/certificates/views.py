"""社区证明 pages: the register (登记簿) and its export, issuing (from a resident's page or by search), a certificate's
page with its PDF, void and reissue, the templates with a preview, and the public check page. Rows come from
restrict(); every change from linli.certificates.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from linli.certificates import services, wording
from linli.certificates.filtersets import CertificateFilterSet
from linli.certificates.forms import (
    CertificateIssueForm,
    CertificateReissueForm,
    CertificateTemplateForm,
    CertificateVoidForm,
)
from linli.certificates.models import Certificate, CertificateTemplate
from linli.core.audit import actor_of
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.net import client_ip
from linli.core.params import parse_id
from linli.core.storage import file_response
from linli.core.views import ScopedMixin, paginate
from linli.residents.choices import ResidentStatus
from linli.residents.models import Resident

SEARCH_LIMIT = 20


def site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def register_rows(request, queryset):
    """The register's filterset and rows: the chosen year's numbers in order (this year by default)."""
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    filterset = CertificateFilterSet(data, queryset, user=request.user)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset
    rows = rows.select_related("community", "resident", "replaces").order_by("community_id", "year", "serial")
    return filterset, rows


class CertificateListView(ScopedMixin, TemplateView):
    """证明登记簿: every number of a year in order, voids in place (the number is never reused)."""

    model = Certificate
    template_name = "certificates/certificate_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        filterset, rows = register_rows(self.request, self.scoped())
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=paginate(self.request, rows, 50),
            can_issue=user.has_role_perm("certificate.issue"),
            can_manage=user.has_role_perm("certificate.manage"),
        )
        return ctx


class CertificateExportView(ScopedMixin, View):
    """The register as .xlsx (the page's filter; the export log records it)."""

    model = Certificate

    def get(self, request):
        filterset, rows = register_rows(request, self.scoped())
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect("certificates:certificate_list")
        from linli.certificates.excel import write_register_xlsx

        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_register_xlsx(rows, user=request.user, out=out, filters=cleaned_filters(filterset)),
            f"证明登记簿_{stamp}.xlsx",
            f"certificates_{stamp}.xlsx",
        )


class CertificateIssueView(ScopedMixin, View):
    """开具证明: a resident found by name (or opened from their page, ?resident=), a template, the purpose."""

    model = Certificate
    permission = "certificate.issue"
    template_name = "certificates/certificate_issue.html"

    def resident(self):
        resident_id = parse_id(self.request.GET.get("resident") or self.request.POST.get("resident"))
        if resident_id is None:
            return None
        rows = Resident.objects.restrict(self.request.user).select_related("household__building", "community")
        return get_object_or_404(rows, pk=resident_id)

    def found(self, q: str):
        from linli.residents.search import search_q

        found = search_q(q) if q else None
        if found is None:
            return []
        rows = Resident.objects.restrict(self.request.user).filter(found, status=ResidentStatus.ACTIVE)
        return list(rows.select_related("household__building", "community").order_by("name", "pk")[:SEARCH_LIMIT])

    def render_page(self, resident, form, status=200):
        q = self.request.GET.get("q", "").strip()[:40]
        ctx = {"resident": resident, "form": form, "q": q, "found": self.found(q) if resident is None else []}
        if resident is not None and resident.status != ResidentStatus.ACTIVE:
            ctx["left"] = True
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request):
        resident = self.resident()
        form = None
        if resident is not None:
            form = CertificateIssueForm(user=request.user, resident=resident)
            chosen = parse_id(request.GET.get("template"))
            first = form.fields["template"].queryset.filter(pk=chosen).first() if chosen else None
            first = first or form.fields["template"].queryset.first()
            if first is not None:
                form.initial.update(template=first.pk, purpose=first.default_purpose)
        return self.render_page(resident, form)

    def post(self, request):
        resident = self.resident()
        if resident is None:
            return redirect("certificates:certificate_issue")
        form = CertificateIssueForm(request.POST, user=request.user, resident=resident)
        if form.is_valid():
            data = form.cleaned_data
            try:
                certificate = services.issue(
                    data["template"],
                    resident,
                    actor=actor_of(request.user),
                    purpose=data["purpose"],
                    note=data["note"],
                    site_url=site_url(request),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已开具 {certificate.number}。")
                return redirect("certificates:certificate_detail", certificate.pk)
        return self.render_page(resident, form, status=400)


class CertificateDetailView(ScopedMixin, TemplateView):
    """A certificate: what it says, its number and check code, the PDF; void and reissue for certificate.manage."""

    model = Certificate
    template_name = "certificates/certificate_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped().select_related("community", "resident", "template", "replaces", "voided_by")
        certificate = self.get_scoped_object(rows)
        manage = Certificate.objects.restrict(user, "manage").filter(pk=certificate.pk).exists()
        ctx.update(
            c=certificate,
            replaced_by=Certificate.objects.filter(replaces=certificate).first(),
            resident_link=Resident.objects.restrict(user).filter(pk=certificate.resident_id).exists(),
            can_manage=manage and certificate.is_valid,
            can_reissue=manage and certificate.is_valid and user.has_role_perm("certificate.issue"),
            void_form=CertificateVoidForm(),
            reissue_form=CertificateReissueForm(initial={"purpose": certificate.purpose}),
        )
        return ctx


class CertificatePdfView(ScopedMixin, View):
    """The PDF, to those who read the certificate (never from MEDIA_URL)."""

    model = Certificate

    def get(self, request, pk):
        certificate = self.get_scoped_object()
        if not certificate.pdf:
            raise Http404("这份证明没有 PDF 文件。")
        response = file_response(
            certificate.pdf,
            content_type="application/pdf",
            filename=f"certificate-{certificate.year}-{certificate.serial:04d}.pdf",
            missing="PDF 文件已不存在。",
        )
        response["Cache-Control"] = "no-store"
        return response


class CertificateActionView(ScopedMixin, View):
    """A button of the certificate's page for certificate.manage (POST): `act` returns the certificate to show next
    and the message; a refusal goes back to the page with the reason."""

    model = Certificate
    action = "manage"
    form_class = CertificateVoidForm
    what = ""
    missing = ""

    def act(self, certificate, data) -> tuple[Certificate, str]:  # pragma: no cover - each subclass acts
        raise NotImplementedError

    def post(self, request, pk):
        certificate = self.get_scoped_object()
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, f"未能{self.what}：{self.missing}")
            return redirect("certificates:certificate_detail", certificate.pk)
        try:
            shown, message = self.act(certificate, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, f"未能{self.what}：" + "；".join(exc.messages))
            return redirect("certificates:certificate_detail", certificate.pk)
        messages.success(request, message)
        return redirect("certificates:certificate_detail", shown.pk)


class CertificateVoidView(CertificateActionView):
    """作废 (POST: the reason)."""

    what, missing = "作废", "请写明作废原因。"

    def act(self, certificate, data):
        services.void(certificate, actor=actor_of(self.request.user), reason=data["reason"])
        return certificate, f"{certificate.number} 已作废，编号保留在登记簿中。"


class CertificateReissueView(CertificateActionView):
    """重开 (POST: reason and purpose): the old one is voided, the new one takes the next number."""

    form_class = CertificateReissueForm
    what, missing = "重开", "请写明原因和用途。"

    def act(self, certificate, data):
        new = services.reissue(
            certificate,
            actor=actor_of(self.request.user),
            reason=data["reason"],
            purpose=data["purpose"],
            site_url=site_url(self.request),
        )
        return new, f"已重开为 {new.number}，原证明 {certificate.number} 已作废。"


# -- templates -----------------------------------------------------------------------------------------------------


class CertificateTemplateListView(ScopedMixin, TemplateView):
    """证明模板: the community's own and the street's defaults; changes for certificate.manage."""

    model = CertificateTemplate
    template_name = "certificates/template_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped().select_related("community", "street").order_by("street_id", "community_id", "kind", "id")
        keep = set(CertificateTemplate.objects.restrict(user, "manage").values_list("pk", flat=True))
        ctx.update(rows=rows, keep=keep, can_manage=user.has_role_perm("certificate.manage"))
        return ctx


def street_of(user):
    """The street a street-office user keeps the defaults of (their first street assignment), or None."""
    from linli.areas.models import Street

    for level, node_id in user.assigned_nodes():
        if level == "street":
            return Street.objects.filter(pk=node_id).first()
    return None


class CertificateTemplateEditView(ScopedMixin, View):
    """New template (no pk) or a change to one the user keeps; a preview with sample data beside the form."""

    model = CertificateTemplate
    action = "manage"
    template_name = "certificates/template_form.html"

    def instance(self):
        if "pk" in self.kwargs:
            return self.get_scoped_object()
        return CertificateTemplate(street=street_of(self.request.user), valid_days=90)

    def form(self, instance, data=None):
        user = self.request.user
        street_wide = instance.street_id is not None and services.may_keep_street_templates(user, instance.street_id)
        return CertificateTemplateForm(data, instance=instance, user=user, street_wide=street_wide)

    def render_page(self, form, instance, status=200):
        preview, preview_error = "", ""
        body = form["body"].value() or ""
        if body:
            try:
                wording.check(body)
                preview = wording.render(body, wording.SAMPLE)
            except ValidationError as exc:
                preview_error = "；".join(exc.messages)
        ctx = {
            "form": form,
            "t": instance,
            "preview": preview,
            "preview_error": preview_error,
            "fields": wording.FIELDS,
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, pk=None):
        instance = self.instance()
        return self.render_page(self.form(instance), instance)

    def post(self, request, pk=None):
        instance = self.instance()
        form = self.form(instance, request.POST)
        if request.POST.get("preview"):
            return self.render_page(form, instance)
        if form.is_valid():
            try:
                template = services.save_template(form.save(commit=False), actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存模板“{template.title}”。")
                return redirect("certificates:template_list")
        return self.render_page(form, instance, status=400)


# -- public check ----------------------------------------------------------------------------------------------------

#: (count, seconds) per client address: an office checking a pile of papers is fine, guessing codes is not.
CHECK_RATES = ((30, 60), (300, 86400))


@method_decorator(never_cache, name="dispatch")
class CertificateCheckView(View):
    """证明核验 (public, no login): number + check code → 有效 / 已作废 and the issue date; nothing about the person."""

    template_name = "certificates/check.html"

    def get(self, request):
        from linli.tracking import limits

        number = (request.GET.get("number") or "").strip()[:40]
        code = (request.GET.get("code") or "").strip().upper()[:8]
        ctx = {"number": number, "code": code, "asked": bool(number or code)}
        if number and code:
            ip = client_ip(request) or "-"
            if limits.blocked("cert-check", ip, CHECK_RATES):
                ctx["too_many"] = True
                return render(request, self.template_name, ctx, status=429)
            limits.hit("cert-check", ip, CHECK_RATES)
            import hmac

            same = Certificate.objects.filter(number=number).order_by("pk")[:5]
            found = next((c for c in same if hmac.compare_digest(c.check_code, code)), None)
            if found is not None:
                ctx["c"] = found
                ctx["issued_on"] = timezone.localtime(found.issued_at).date()
                ctx["expired"] = bool(found.valid_until and found.valid_until < timezone.localdate())
        return render(request, self.template_name, ctx)
