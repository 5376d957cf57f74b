"""Organisational life pages: 三会一课 meetings (list, record, page, edit), the compliance table and its export,
民主评议党员 (list, open, record, finalise). Rows come from restrict(user, action); writes go to services_life."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.core import audit
from linli.core.audit import actor_of
from linli.core.excel.download import xlsx_download
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id, parse_int
from linli.core.views import paginate
from linli.party import compliance, services_life
from linli.party.choices import BRANCH_KINDS, Attendance, MeetingKind, OrgKind
from linli.party.compliance_html import CellRenderer
from linli.party.excel_life import write_compliance_xlsx
from linli.party.filtersets_life import AppraisalFilterSet, PartyMeetingFilterSet
from linli.party.forms_life import RATING_CHOICES, AppraisalEntriesForm, AppraisalStartForm, PartyMeetingForm
from linli.party.models import Appraisal, PartyMeeting, PartyOrg
from linli.party.views import PartyMixin

LIFE_KINDS = [*BRANCH_KINDS, OrgKind.GROUP]


def recordable_orgs(user):
    """The organisations whose meetings `user` may record (branches, community organisations, 党小组)."""
    return PartyOrg.objects.restrict(user, "record").filter(kind__in=LIFE_KINDS, is_active=True)


def meeting_fields(form) -> dict:
    """What a valid meeting form gives services_life.create_meeting / update_meeting."""
    data = form.cleaned_data
    fields = {k: data[k] for k in ("kind", "held_on", "topic", "photos", "place", "host", "minutes")}
    return fields | {"attendance": form.attendance}


class PartyMeetingListView(PartyMixin, TemplateView):
    """三会一课: the meetings in scope, by organisation, kind and month."""

    model = PartyMeeting
    template_name = "party/meeting_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = (
            self.scoped()
            .select_related("org", "community")
            .annotate(
                present=Count("attendance", filter=Q(attendance__status=Attendance.PRESENT)),
                expected=Count("attendance"),
            )
            .order_by("-held_on", "-id")
        )
        filterset = PartyMeetingFilterSet(self.request.GET or None, rows, user=user)
        ctx["filterset"] = filterset
        ctx["errors"] = error_list(filterset) if filterset.is_bound and not filterset.is_valid() else []
        ctx["page"] = paginate(self.request, filterset.qs)
        ctx["can_record"] = recordable_orgs(user).exists()
        return ctx


def _org_from(request, orgs):
    """The organisation named by ?org= (or the form's hidden org), None when not given; 404 outside `orgs`."""
    raw = request.POST.get("org") if request.method == "POST" else request.GET.get("org")
    if raw in (None, ""):
        return None
    pk = parse_id(raw)
    if pk is None:
        raise Http404("找不到这个党组织。")
    return get_object_or_404(orgs, pk=pk)


class PartyMeetingAddView(PartyMixin, View):
    """记录会议: first the organisation (from a compliance cell it comes chosen, with the kind), then the meeting
    with every member of the organisation listed (出席 by default)."""

    model = PartyMeeting
    permission = "party.record"
    template_name = "party/meeting_form.html"

    def get(self, request):
        orgs = recordable_orgs(request.user)
        org = _org_from(request, PartyOrg.objects.restrict(request.user, "view"))
        kind = request.GET.get("kind") or ""
        if org is not None and not orgs.filter(pk=org.pk).exists():
            raise Http404(services_life.NOT_IN_SCOPE)
        if org is not None and kind == MeetingKind.GROUP and org.kind != OrgKind.GROUP:
            # 党小组会 of a branch: its groups record it
            return self.pick(orgs.filter(parent=org, kind=OrgKind.GROUP), kind, org)
        if org is None:
            return self.pick(orgs, kind)
        initial = {"kind": kind} if kind in compliance.allowed_kinds(org) else {}
        form = PartyMeetingForm(initial=initial, org=org, members=services_life.org_members(org))
        return self.show(form, org)

    def pick(self, orgs, kind, branch=None):
        return render(
            self.request,
            "party/meeting_pick.html",
            {
                "orgs": orgs.select_related("community"),
                "kind": kind if kind in MeetingKind.values else "",
                "branch": branch,
            },
        )

    def show(self, form, org, meeting=None):
        return render(self.request, self.template_name, {"form": form, "org": org, "meeting": meeting})

    def post(self, request):
        org = _org_from(request, recordable_orgs(request.user))
        if org is None:
            return redirect("party:meeting_add")
        form = PartyMeetingForm(request.POST, request.FILES, org=org, members=services_life.org_members(org))
        if form.is_valid():
            try:
                meeting = services_life.create_meeting(org, actor=actor_of(request.user), **meeting_fields(form))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已记录{meeting.get_kind_display()}：{meeting.topic}")
                return redirect(meeting)
        return self.show(form, org)


class PartyMeetingDetailView(PartyMixin, TemplateView):
    model = PartyMeeting
    template_name = "party/meeting_detail.html"

    def get_context_data(self, **kwargs):
        from linli.attachments.services import photos_of

        ctx = super().get_context_data(**kwargs)
        meeting = self.get_scoped_object(self.scoped().select_related("org", "community", "recorded_by"))
        rows = list(meeting.attendance.select_related("member").order_by("member__name", "member_id"))
        ctx.update(
            meeting=meeting,
            rows=rows,
            counts={label: sum(r.status == value for r in rows) for value, label in Attendance.choices},
            photos=list(photos_of(meeting)),
            history=audit.history_of(meeting)[:20],
            can_record=PartyMeeting.objects.restrict(self.request.user, "record").filter(pk=meeting.pk).exists(),
        )
        return ctx


class PartyMeetingEditView(PartyMixin, View):
    model = PartyMeeting
    permission = "party.record"

    def meeting(self):
        return self.get_scoped_object(self.scoped("record").select_related("org"))

    def get(self, request, pk):
        meeting = self.meeting()
        form = PartyMeetingForm(
            initial={
                "kind": meeting.kind,
                "held_on": meeting.held_on,
                "topic": meeting.topic,
                "place": meeting.place,
                "host": meeting.host,
                "minutes": meeting.minutes,
            },
            org=meeting.org,
            members=self.members(meeting),
            attendance={r.member_id: (r.status, r.reason) for r in meeting.attendance.all()},
        )
        return render(request, "party/meeting_form.html", {"form": form, "org": meeting.org, "meeting": meeting})

    def members(self, meeting):
        """The organisation's members now, and anyone recorded at the meeting who has left since."""
        from linli.party.models import PartyMember

        now = services_life.org_members(meeting.org)
        return (
            PartyMember.objects.filter(Q(pk__in=now.values("pk")) | Q(attendance__meeting=meeting))
            .distinct()
            .order_by("name", "pk")
        )

    def post(self, request, pk):
        meeting = self.meeting()
        form = PartyMeetingForm(request.POST, request.FILES, org=meeting.org, members=self.members(meeting))
        if form.is_valid():
            try:
                services_life.update_meeting(meeting, actor=actor_of(request.user), **meeting_fields(form))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect(meeting)
        return render(request, "party/meeting_form.html", {"form": form, "org": meeting.org, "meeting": meeting})


# The compliance table ----------------------------------------------------------------------------------------


def year_month(request) -> tuple[int, int | None, list[str]]:
    """?year= and ?month= (month blank or absent with a year: the year view); bad values fall back, with a message."""
    today = timezone.localdate()
    errors = []
    raw_year, raw_month = request.GET.get("year"), request.GET.get("month")
    year = parse_int(raw_year, minimum=2000, maximum=2100) if raw_year not in (None, "") else today.year
    if year is None:
        errors.append("年度应为2000至2100之间的数字，已显示今年。")
        year = today.year
    if raw_month in (None, ""):
        month = None if raw_year not in (None, "") else today.month
    else:
        month = parse_int(raw_month, minimum=1, maximum=12)
        if month is None:
            errors.append("月份应为1至12之间的数字，已显示全年。")
    return year, month, errors


class ComplianceMixin(PartyMixin):
    model = PartyOrg

    def branches(self, action="view"):
        return (
            self.scoped(action)
            .branches()
            .select_related("community", "grid", "secretary")
            .order_by("community__name", "community_id", "kind", "sort_order", "name", "pk")
        )


class ComplianceView(ComplianceMixin, TemplateView):
    """三会一课落实情况: the user's branches by community, a month (per kind) or a whole year (per month)."""

    template_name = "party/compliance.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        year, month, errors = year_month(self.request)
        rows = compliance.table(self.branches(), year, today, months=[month] if month else range(1, 13))
        shown = month or (today.month if year == today.year else 12)
        recordable = set(recordable_orgs(user).values_list("pk", flat=True))
        CellRenderer(recordable).decorate(rows, month)
        ctx.update(
            year=year,
            month=month,
            errors=errors,
            groups=compliance.grouped(rows, shown),
            totals=compliance.month_totals(rows, shown),
            shown_month=shown,
            kinds=[(k, MeetingKind(k).label, compliance.SHORT[k]) for k in compliance.KINDS],
            months=range(1, 13),
            recordable=recordable,
            statuses=[(code, label, symbol) for code, (label, symbol) in compliance.STATUS.items()],
            years=range(today.year - 3, today.year + 1),
            can_export=user.is_superuser or user.has_role_perm("party.export"),
        )
        return ctx


class ComplianceExportView(ComplianceMixin, View):
    """The table as Excel (the same branches the page shows; logged)."""

    permission = "party.export"

    def get(self, request):
        today = timezone.localdate()
        year, month, _ = year_month(request)
        rows = compliance.table(self.branches("export"), year, today)
        name = f"三会一课落实情况_{year}{f'年{month}月' if month else '年'}.xlsx"
        return xlsx_download(
            lambda out: write_compliance_xlsx(rows, year, month, user=request.user, out=out),
            name,
            f"party_compliance_{year}{month or ''}.xlsx",
        )


# 民主评议党员 ------------------------------------------------------------------------------------------------


class AppraisalListView(PartyMixin, TemplateView):
    model = Appraisal
    template_name = "party/appraisal_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = (
            self.scoped().select_related("org", "community").annotate(n=Count("entries")).order_by("-year", "org__name")
        )
        filterset = AppraisalFilterSet(self.request.GET or None, rows, user=user)
        ctx["filterset"] = filterset
        ctx["errors"] = error_list(filterset) if filterset.is_bound and not filterset.is_valid() else []
        ctx["page"] = paginate(self.request, filterset.qs)
        orgs = recordable_orgs(user).filter(kind__in=BRANCH_KINDS)
        ctx["start_form"] = AppraisalStartForm(orgs=orgs) if orgs.exists() else None
        return ctx


class AppraisalAddView(PartyMixin, View):
    """Open a branch's 民主评议 for a year (?org=&year= preset the form)."""

    model = Appraisal
    permission = "party.record"

    def orgs(self):
        return recordable_orgs(self.request.user).filter(kind__in=BRANCH_KINDS)

    def get(self, request):
        initial = {}
        org = parse_id(request.GET.get("org"))
        if org:
            initial["org"] = org
        year = parse_int(request.GET.get("year"), minimum=2000, maximum=2100)
        if year:
            initial["year"] = year
        form = AppraisalStartForm(initial=initial, orgs=self.orgs())
        return render(request, "party/appraisal_form.html", {"form": form})

    def post(self, request):
        form = AppraisalStartForm(request.POST, orgs=self.orgs())
        if form.is_valid():
            data = form.cleaned_data
            try:
                appraisal = services_life.start_appraisal(
                    data["org"], actor=actor_of(request.user), year=data["year"], held_on=data["held_on"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已建立{appraisal}。")
                return redirect("party:appraisal_edit", appraisal.pk)
        return render(request, "party/appraisal_form.html", {"form": form})


class AppraisalDetailView(PartyMixin, TemplateView):
    model = Appraisal
    template_name = "party/appraisal_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        appraisal = self.get_scoped_object(self.scoped().select_related("org", "community"))
        ctx.update(
            appraisal=appraisal,
            entries=appraisal.entries.select_related("member").order_by("member__name", "member_id"),
            counts=services_life.rating_counts(appraisal),
            can_record=Appraisal.objects.restrict(self.request.user, "record").filter(pk=appraisal.pk).exists(),
            history=audit.history_of(appraisal)[:20],
        )
        return ctx


class AppraisalEditView(PartyMixin, View):
    """Every member's self-assessment and rating on one page (phone: one card per member)."""

    model = Appraisal
    permission = "party.record"

    def appraisal(self):
        appraisal = self.get_scoped_object(self.scoped("record").select_related("org"))
        if appraisal.finalised:
            messages.info(self.request, "评议已定稿，不能再修改。")
        return appraisal

    def entries(self, appraisal):
        return appraisal.entries.select_related("member").order_by("member__name", "member_id")

    def show(self, appraisal, form):
        ctx = {"appraisal": appraisal, "form": form, "rating_choices": RATING_CHOICES}
        return render(self.request, "party/appraisal_edit.html", ctx)

    def get(self, request, pk):
        appraisal = self.appraisal()
        if appraisal.finalised:
            return redirect("party:appraisal_detail", appraisal.pk)
        form = AppraisalEntriesForm(initial={"held_on": appraisal.held_on}, entries=self.entries(appraisal))
        return self.show(appraisal, form)

    def post(self, request, pk):
        appraisal = self.appraisal()
        if appraisal.finalised:
            return redirect("party:appraisal_detail", appraisal.pk)
        form = AppraisalEntriesForm(request.POST, entries=self.entries(appraisal))
        if form.is_valid():
            try:
                services_life.save_entries(
                    appraisal, actor=actor_of(request.user), entries=form.values, held_on=form.cleaned_data["held_on"]
                )
                if request.POST.get("finalise") == "1":
                    services_life.finalise_appraisal(appraisal, actor=actor_of(request.user))
                    messages.success(request, "评议已定稿。")
                else:
                    messages.success(request, "已保存。")
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return redirect("party:appraisal_detail", appraisal.pk)
        return self.show(appraisal, form)


class AppraisalFinaliseView(PartyMixin, View):
    model = Appraisal
    permission = "party.record"

    def post(self, request, pk):
        appraisal = self.get_scoped_object(self.scoped("record"))
        try:
            services_life.finalise_appraisal(appraisal, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "评议已定稿。")
        return redirect("party:appraisal_detail", appraisal.pk)


def compliance_url(year: int, month: int | None = None) -> str:
    query = f"?year={year}" + (f"&month={month}" if month else "")
    return reverse("party:compliance") + query
