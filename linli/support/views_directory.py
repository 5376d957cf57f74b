"""驻区单位名录 pages: the list (OrganisationFilterSet) with its Excel export, an organisation's page (contacts,
共建项目, what it did where it already appears in Linli, its pairings), add/edit, 好商家 for staff and the public
好商家 page of a community (names, offers, addresses: no personal data, no login)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.core.audit import actor_of
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.support import services
from linli.support.choices import OrganisationKind
from linli.support.excel import write_organisations
from linli.support.filtersets import OrganisationFilterSet
from linli.support.forms import ContributionForm, OrganisationForm
from linli.support.models import Contribution, HelpPairing, Organisation


class OrganisationMixin(ScopedMixin):
    model = Organisation
    permission = "directory.view"


def filtered(filterset):
    return filterset.qs if filterset.is_valid() else filterset.queryset


class OrganisationListView(OrganisationMixin, TemplateView):
    template_name = "support/organisation_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped().select_related("community").annotate(projects=Count("contributions"))
        filterset = OrganisationFilterSet(self.request.GET or None, rows, user=user)
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=paginate(self.request, filtered(filterset).order_by("community_id", "kind", "name", "pk"), 50),
            can_manage=user.has_role_perm("directory.manage"),
            can_export=user.has_role_perm("support.export"),
        )
        return ctx


class OrganisationExportView(OrganisationMixin, View):
    permission = "support.export"

    def get(self, request):
        user = request.user
        filterset = OrganisationFilterSet(request.GET, self.scoped(), user=user)
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect("support:organisation_list")
        orgs = (
            filterset.qs.select_related("community")
            .prefetch_related("contributions")
            .order_by("community_id", "kind", "name")
        )
        filters = cleaned_filters(filterset)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_organisations(orgs, user=user, out=out, filters=filters),
            f"驻区单位名录_{stamp}.xlsx",
            f"support_orgs_{stamp}.xlsx",
        )


def linked_activity(org: Organisation) -> list[tuple[str, str]]:
    """What the organisation did where it already appears in Linli, as (where, what) lines: counts only."""
    lines = []
    if org.team_id:
        from linli.volunteers.models import Activity

        done = Activity.objects.filter(team_id=org.team_id).count()
        lines.append(("志愿服务队", f"{org.team.name}：组织活动 {done} 次"))
    if org.claimer_id:
        from linli.wishes.models import Wish

        claimed = Wish.objects.filter(claims__claimer_id=org.claimer_id).distinct().count()
        lines.append(("微心愿", f"{org.claimer.name}：认领心愿 {claimed} 个"))
    if org.handling_org_id:
        from linli.appeals.models import Appeal

        handled = Appeal.objects.filter(assigned_org_id=org.handling_org_id, community_id=org.community_id).count()
        lines.append(("诉求承办", f"{org.handling_org.name}：承办诉求 {handled} 件"))
    if org.partner_unit_id:
        unit = org.partner_unit
        dual = "双报到单位" if unit.dual_registered else "共建单位"
        lines.append(("党建共建", f"{unit.name}：{dual}{'，大党委成员单位' if unit.in_committee else ''}"))
    return lines


class OrganisationDetailView(OrganisationMixin, TemplateView):
    template_name = "support/organisation_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org = self.get_scoped_object(
            self.scoped().select_related("community", "team", "claimer", "handling_org", "partner_unit")
        )
        pairings = HelpPairing.objects.restrict(user).filter(organisation=org).select_related("household__building")
        ctx.update(
            org=org,
            phone=org.phone_for(user),
            contributions=Contribution.objects.filter(organisation=org).order_by("-started_on", "-id"),
            links=linked_activity(org),
            pairings=pairings.order_by("ended_on", "-started_on"),
            can_manage=self.scoped("manage").filter(pk=org.pk).exists(),
            contribution_form=ContributionForm(),
        )
        return ctx


class OrganisationEditView(OrganisationMixin, View):
    """Add (no pk) or edit an organisation (directory.manage)."""

    permission = "directory.manage"
    template_name = "support/organisation_form.html"

    def get_org(self, pk):
        return self.get_scoped_object(action="manage") if pk else Organisation()

    def get(self, request, pk=None):
        org = self.get_org(pk)
        form = OrganisationForm(instance=org, user=request.user)
        return render(request, self.template_name, {"form": form, "org": org if pk else None})

    def post(self, request, pk=None):
        org = self.get_org(pk)
        form = OrganisationForm(request.POST, instance=org, user=request.user)
        if form.is_valid():
            org = form.save(commit=False)
            try:
                services.save_organisation(org, actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存“{org.name}”。")
                return redirect(org)
        return render(request, self.template_name, {"form": form, "org": org if pk else None})


class ContributionAddView(OrganisationMixin, View):
    """共建项目 (POST from the organisation's page)."""

    permission = "directory.manage"

    def post(self, request, pk):
        org = self.get_scoped_object(action="manage")
        form = ContributionForm(request.POST)
        if form.is_valid():
            try:
                services.add_contribution(org, actor=actor_of(request.user), **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已登记共建项目。")
                return redirect(org)
        messages.error(request, "未能登记共建项目：" + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(org)


class MerchantListView(OrganisationMixin, TemplateView):
    """好商家 of the user's communities, with a link to each community's public page."""

    template_name = "support/merchant_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        merchants = self.scoped().active().filter(kind=OrganisationKind.MERCHANT).select_related("community")
        communities = Community.objects.filter(pk__in=merchants.values("community_id")).order_by("name")
        ctx.update(merchants=merchants.order_by("community_id", "name"), communities=communities)
        return ctx


def merchant_public(request, code: str):
    """好商家: a community's public page (no login): names, offers, addresses and badges; no contacts."""
    community = get_object_or_404(Community, code=code[:32])
    merchants = Organisation.objects.filter(community=community, kind=OrganisationKind.MERCHANT, is_active=True)
    merchants = merchants.prefetch_related(
        Prefetch(
            "contributions",
            Contribution.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())),
        )
    )
    return render(
        request, "support/merchant_public.html", {"community": community, "merchants": merchants.order_by("name")}
    )
