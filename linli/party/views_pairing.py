"""结对帮扶 pages (list, new pairing, the pairing's diary, its end, 记一笔) and the members' service summary with its
Excel export. Rows come from the querysets' restrict(); every change from services / services_pairing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.core.audit import actor_of
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.figures import cached_report, scope_key
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.views import ScopedMixin, paginate
from linli.party import services, services_pairing
from linli.party.access import may_use
from linli.party.excel_pairing import write_service_xlsx
from linli.party.filtersets_pairing import PairingFilterSet, ServiceSummaryFilterSet, quiet_q
from linli.party.forms_pairing import PairingContactForm, PairingEndForm, PairingForm
from linli.party.models import Pairing, PairingContact, PartyMember
from linli.party.rows import service_rows_html
from linli.party.service import Figures, member_figures, summary
from linli.party.views import PartyMixin
from linli.residents.models import Resident, Tag

#: Care groups whose households are offered first when a pairing is set up (linli/residents/defaults.py).
CARE_TAGS = ("living_alone", "empty_nest", "disabled", "low_income", "dibao", "hardship", "left_behind_child")
CANDIDATES = 30


def is_paired_member(user) -> bool:
    """Whether `user` is a member on a roster with their own account (they keep their own pairings)."""
    return bool(user.is_authenticated and PartyMember.objects.filter(user=user, is_active=True).exists())


def with_last_contact(pairings):
    last = PairingContact.objects.filter(pairing_id=OuterRef("pk")).order_by("-contacted_on", "-id")
    count = (
        PairingContact.objects.filter(pairing_id=OuterRef("pk"))
        .order_by()
        .values("pairing_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return pairings.annotate(
        last_contact=Subquery(last.values("contacted_on")[:1]),
        contact_count=Subquery(count, output_field=IntegerField()),
    )


class PairingGateMixin(PartyMixin):
    """Party-work roles and secretaries (`permission`), and also a member keeping their own pairings
    (`members_too`); 403 for everyone else."""

    model = Pairing
    members_too = False

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not may_use(user, self.permission):
            if not (self.members_too and is_paired_member(user)):
                raise PermissionDenied("您没有党建工作的权限。")
        return super(ScopedMixin, self).dispatch(request, *args, **kwargs)

    def pairing(self, action: str = "kept"):
        rows = Pairing.objects.restrict(self.request.user, action).select_related(
            "member__branch", "household__building", "community"
        )
        return get_object_or_404(rows, pk=self.kwargs["pk"])


class PairingListView(PartyMixin, TemplateView):
    """结对帮扶: the pairings the user keeps or oversees; "30天未联系" is what a secretary looks at first."""

    model = Pairing
    template_name = "party/pairing_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped("kept").select_related("member__branch", "household__building", "community")
        filterset = PairingFilterSet(self.request.GET or None, rows, user=user)
        rows = filterset.qs if filterset.is_valid() else filterset.queryset
        page = paginate(self.request, with_last_contact(rows).order_by("-started_on", "-id"), 30)
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=page,
            quiet=self.scoped("kept").filter(quiet_q()).count(),
            can_add=may_use(user, "party.record"),
            today=timezone.localdate(),
        )
        return ctx


class PairingAddView(PartyMixin, View):
    """新建结对: a member and a household; households with residents in care groups are listed first, a search
    finds any other household (by address or a resident's name)."""

    model = Pairing
    permission = "party.record"
    template_name = "party/pairing_form.html"

    def candidates(self, form, q: str, chosen):
        from linli.residents.search import search_q

        user = self.request.user
        households = form.fields["household"].queryset
        found = search_q(q) if q else None
        if found is not None:
            households = households.filter(pk__in=Resident.objects.filter(found).values("household_id"))
        else:
            care = Tag.objects.visible_to(user).filter(code__in=CARE_TAGS)
            households = households.filter(pk__in=Resident.objects.filter(tags__in=care).values("household_id"))
        people = Resident.objects.restrict(user).prefetch_related("tags").order_by("pk")
        households = households.select_related("building").prefetch_related(Prefetch("residents", people, "people"))
        listed = list(households.order_by("building__number", "entrance", "room", "pk")[:CANDIDATES])
        chosen_id = parse_id(chosen)
        if chosen_id and all(h.pk != chosen_id for h in listed):
            extra = form.fields["household"].queryset.filter(pk=chosen_id).select_related("building")
            listed = list(extra.prefetch_related(Prefetch("residents", people, "people"))) + listed
        sensitive = user.has_role_perm("resident.view_sensitive")
        for household in listed:
            household.care = [t for p in household.people for t in p.tags.all() if sensitive or not t.sensitive]
        return listed

    def render_form(self, form, status=200):
        q = self.request.GET.get("q", "").strip()[:50]
        chosen = form.data.get("household") if form.is_bound else form.initial.get("household")
        ctx = {"form": form, "q": q, "candidates": self.candidates(form, q, chosen), "chosen": parse_id(chosen)}
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request):
        form = PairingForm(user=request.user)
        for name in ("member", "household"):
            value = parse_id(request.GET.get(name))
            if value:
                form.initial[name] = value
        return self.render_form(form)

    def post(self, request):
        form = PairingForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                pairing = services.pair(
                    data["member"],
                    data["household"],
                    actor=actor_of(request.user),
                    started_on=data["started_on"],
                    need=data["need"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已结对：{pairing.member.name} — {pairing.household}")
                return redirect("party:pairing_detail", pairing.pk)
        return self.render_form(form)


class PairingDetailView(PairingGateMixin, TemplateView):
    """One pairing: the household, what it needs, the contacts as a diary (newest first)."""

    permission = "party.view"
    members_too = True
    template_name = "party/pairing_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        pairing = self.pairing()
        from linli.areas.models import Household

        ctx.update(
            pairing=pairing,
            contacts=pairing.contacts.select_related("recorded_by"),
            can_record=pairing.is_live and Pairing.objects.restrict(user, "record").filter(pk=pairing.pk).exists(),
            can_manage=pairing.is_live and Pairing.objects.restrict(user, "manage").filter(pk=pairing.pk).exists(),
            household_link=Household.objects.restrict(user).filter(pk=pairing.household_id).exists(),
            contact_form=PairingContactForm(),
            end_form=PairingEndForm(),
        )
        return ctx


class PairingEndView(PairingGateMixin, View):
    """结束结对 (POST: date and reason)."""

    permission = "party.record"

    def post(self, request, pk):
        pairing = self.pairing("manage")
        form = PairingEndForm(request.POST)
        if form.is_valid():
            try:
                services_pairing.end_pairing(
                    pairing,
                    actor=actor_of(request.user),
                    ended_on=form.cleaned_data["ended_on"],
                    reason=form.cleaned_data["end_reason"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已结束结对。")
                return redirect("party:pairing_detail", pairing.pk)
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, "未能结束结对：" + "；".join(errors))
        return redirect("party:pairing_detail", pairing.pk)


class PairingContactAddView(PairingGateMixin, View):
    """记一笔: a contact note on a live pairing, phone-first. The paired member themself, their branch secretary and
    party-work roles."""

    permission = "party.record"
    members_too = True
    template_name = "party/pairing_contact.html"

    def get(self, request, pk):
        pairing = self.pairing("record")
        return render(request, self.template_name, {"pairing": pairing, "form": PairingContactForm()})

    def post(self, request, pk):
        pairing = self.pairing("record")
        form = PairingContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_contact(
                    pairing,
                    actor=actor_of(request.user),
                    contacted_on=data["contacted_on"],
                    note=data["note"],
                    kind=data["kind"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已记下这次联系。")
                return redirect("party:pairing_detail", pairing.pk)
        return render(request, self.template_name, {"pairing": pairing, "form": form})


# -- members' service summary ------------------------------------------------------------------------------------

SORT_KEYS = {
    "hours": lambda pair: (-pair[1].volunteer_hours, -pair[1].activities, pair[0].name, pair[0].pk),
    "contacts": lambda pair: (-pair[1].contacts, -pair[1].pairings, pair[0].name, pair[0].pk),
    "name": lambda pair: (pair[0].name, pair[0].pk),
}


def service_rows(filterset, *related: str) -> tuple[list, Figures, int]:
    """[(member, Figures)] of the filterset's members in its year and order, and their totals."""
    year = filterset.chosen_year()
    members = filterset.qs if filterset.is_valid() else filterset.queryset
    members = list(members.select_related("community", "branch", "work_unit", *related))
    figures = member_figures(members, year)
    rows = sorted(((m, figures[m.pk]) for m in members), key=SORT_KEYS[filterset.chosen_sort()])
    total = Figures(members=0)
    for _, f in rows:
        total.add(f)
        total.members += 1
    return rows, total, year


class ServiceSummaryView(PartyMixin, TemplateView):
    """党员服务汇总: one row per member with the year's figures (volunteer hours, wishes, pairings, contacts,
    三会一课 attendance), totals at the top. Secretaries see their branch's members.

    At street scale (1,600 members) the order is decided over everyone from the one source it needs
    and the totals in aggregate queries (service.summary, reading the roster and the volunteer hours once for both),
    and the full figures only for the page shown (service.member_figures)."""

    model = PartyMember
    template_name = "party/service_summary.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = ServiceSummaryFilterSet(self.request.GET or None, self.scoped().active(), user=user)
        year = filterset.chosen_year()
        members = filterset.qs if filterset.is_valid() else filterset.queryset
        sort = filterset.chosen_sort()
        # reused for LINLI_FIGURES_CACHE_SECONDS per scope, filter and order, as 诉求统计 is: a street's order and
        # totals read every member's year (1,600 members); the page says when they were computed
        computed = cached_report(
            "party.service", scope_key(members), {"year": year, "sort": sort}, lambda: summary(members, year, sort)
        )
        order, total = computed.value
        page = Paginator(order, 50).get_page(self.request.GET.get("page"))
        shown = PartyMember.objects.filter(pk__in=list(page.object_list))
        shown = {m.pk: m for m in shown.select_related("community", "branch", "work_unit")}
        figures = member_figures(shown.values(), year)
        page.object_list = [(shown[pk], figures[pk]) for pk in page.object_list]
        street_wide = filterset.filters["community"].queryset.count() > 1
        ctx.update(
            rows_html=service_rows_html(page.object_list, street_wide=street_wide),  # linli/party/rows.py
            filterset=filterset,
            errors=error_list(filterset),
            page=page,
            total=total,
            computed_at=computed.computed_at,
            year=year,
            can_export=user.has_role_perm("party.export"),
            street_wide=street_wide,
        )
        return ctx


class ServiceExportView(PartyMixin, View):
    """The summary as .xlsx (the page's filter; phones masked; the export log records it)."""

    model = PartyMember
    permission = "party.export"

    def get(self, request):
        user = request.user
        filterset = ServiceSummaryFilterSet(request.GET, self.scoped("export").active(), user=user)
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect(reverse("party:service_summary"))
        rows, total, year = service_rows(filterset, "resident")  # the masked phone of a resident member
        filters = cleaned_filters(filterset) | {"year": year}
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_service_xlsx(rows, total, year, user=user, out=out, filters=filters),
            f"党员服务汇总_{year}_{stamp}.xlsx",
            f"party_service_{year}_{stamp}.xlsx",
        )
