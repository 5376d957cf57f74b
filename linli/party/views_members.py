"""The member roster: the list with its queue of self-registrations, a member's page (with their service this
year), add and edit, leaving, the review of a registration, the Excel export and the roster import.

Party membership is personal data: the roster is read by party-work roles and by organisation secretaries over
their branches (querysets.PartyMemberQuerySet); a member opens their own page; nobody else sees these pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.scope import communities_for
from linli.core import jobs
from linli.core.audit import actor_of, history_of
from linli.core.excel.download import cleaned_filters, formula_like, safe_workbook, xlsx_download
from linli.core.excel.exports import record_export
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.views import ScopedMixin, paginate
from linli.core.views_jobs import ImportJobDetailMixin, ImportRunMixin
from linli.party import importer, services_members
from linli.party.access import may_use
from linli.party.choices import ExportKind, MemberStatus, Review
from linli.party.filtersets import PartyMemberFilterSet
from linli.party.forms_members import LeaveForm, MemberUploadForm, PartyMemberForm, ReviewForm
from linli.party.models import MeetingAttendance, MemberImportJob, PartyHousehold, PartyMember
from linli.party.service import member_figures
from linli.party.views import PartyMixin

LIST_RELATED = ("community", "branch", "group", "work_unit", "resident")


def chosen_year(request) -> int:
    """?year= within reason, else this year."""
    this_year = timezone.localdate().year
    year = parse_id(request.GET.get("year"))
    return year if year and 2000 <= year <= this_year + 1 else this_year


class MemberMixin(PartyMixin):
    model = PartyMember


class PartyMemberListView(MemberMixin, TemplateView):
    """党员名册: the members in scope, filtered; counts by status; the queue of registrations waiting (待确认)."""

    template_name = "party/member_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        scoped = self.scoped()
        filterset = PartyMemberFilterSet(self.request.GET, scoped.select_related(*LIST_RELATED), user=user)
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.filter(is_active=True)
        page = paginate(self.request, rows.order_by("community_id", "branch_id", "name", "id"), 50)
        centres = set(
            PartyHousehold.objects.filter(member__in=[m.pk for m in page], is_active=True).values_list(
                "member_id", flat=True
            )
        )
        for m in page:
            m.is_centre = m.pk in centres
        counts = dict(
            scoped.filter(is_active=True, review=Review.CONFIRMED)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        waiting = scoped.filter(is_active=True, review=Review.PENDING)
        pending = list(waiting.select_related("community", "work_unit").order_by("created_at", "id")[:20])
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=page,
            status_counts=[(label, counts.get(value, 0)) for value, label in MemberStatus.choices],
            total=sum(counts.values()),
            pending=pending,
            pending_count=len(pending) if len(pending) < 20 else waiting.count(),
            can_manage=user.has_role_perm("party.manage"),
            can_export=user.has_role_perm("party.export"),
            query=self.request.GET.urlencode(),
            poster_communities=list(communities_for(user, "party.manage").order_by("code")[:20])
            if user.has_role_perm("party.manage")
            else [],
        )
        return ctx


class PartyMemberDetailView(MemberMixin, TemplateView):
    """A member's page: profile, 中心户, pairings, this year's service and meetings, history. The member opens their
    own page too (PartyMember.user), without a party-work role."""

    template_name = "party/member_detail.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and PartyMember.objects.filter(pk=kwargs.get("pk"), user=user).exists():
            return super(ScopedMixin, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        member = self.get_scoped_object(
            self.scoped().select_related(*LIST_RELATED, "resident__household__building", "volunteer", "claimer", "user")
        )
        year = chosen_year(self.request)
        can_manage = PartyMember.objects.restrict(user, "manage").filter(pk=member.pk).exists()
        staff = may_use(user, "party.view")
        resident_url = None
        if member.resident_id and user.has_role_perm("resident.view"):
            from linli.residents.models import Resident

            if Resident.objects.restrict(user).filter(pk=member.resident_id).exists():
                resident_url = reverse("residents:resident_detail", args=[member.resident_id])
        centres = list(
            PartyHousehold.objects.filter(member=member, is_active=True)
            .select_related("household__building")
            .annotate(covered_count=Count("links"))
        )
        pairings = list(
            member.pairings.select_related("household__building")
            .annotate(last_contact=Max("contacts__contacted_on"), contact_count=Count("contacts"))
            .order_by("ended_on", "-started_on")
        )
        attended = list(
            MeetingAttendance.objects.filter(member=member, meeting__held_on__year=year)
            .select_related("meeting__org")
            .order_by("-meeting__held_on", "-meeting_id")
        )
        ctx.update(
            member=member,
            year=year,
            years=list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            figures=member_figures([member], year)[member.pk],
            phone=member.contact_phone if can_manage else member.masked_phone,
            can_manage=can_manage,
            staff=staff,
            resident_url=resident_url,
            centres=centres,
            pairings=pairings,
            attended=attended,
            history=history_of(member).order_by("-at")[:50] if staff else [],
            leave_form=LeaveForm() if can_manage and member.is_active else None,
            review_form=ReviewForm(member=member) if can_manage and member.review == Review.PENDING else None,
        )
        return ctx


def _form_residents(request, communities):
    """Residents the member form offers: those the search box (?rq=) finds in the user's communities."""
    from linli.residents.models import Resident
    from linli.residents.search import search_q

    q = search_q(request.GET.get("rq", ""))
    if q is None:
        return []
    return list(
        Resident.objects.filter(q, community__in=communities, status="active")
        .select_related("household__building")
        .order_by("name", "id")[:20]
    )


class _MemberFormView(MemberMixin, View):
    permission = "party.manage"
    template_name = "party/member_form.html"

    def member(self):
        return None

    def render_form(self, form, member):
        return render(
            self.request,
            self.template_name,
            {"form": form, "member": member, "rq": self.request.GET.get("rq", "")},
        )

    def make_form(self, data=None, member=None):
        communities = communities_for(self.request.user, "party.manage")
        return PartyMemberForm(
            data,
            instance=member,
            user=self.request.user,
            communities=communities,
            residents=_form_residents(self.request, communities),
        )

    def get(self, request, *args, **kwargs):
        member = self.member()
        return self.render_form(self.make_form(member=member), member)

    def post(self, request, *args, **kwargs):
        member = self.member()
        form = self.make_form(request.POST, member)
        if form.is_valid():
            record = form.save(commit=False)
            try:
                record = services_members.save_member_record(record, actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存{record.name}的党员信息。")
                return redirect(record)
        return self.render_form(form, member)


class PartyMemberCreateView(_MemberFormView):
    pass


class PartyMemberEditView(_MemberFormView):
    def member(self):
        return self.get_scoped_object(self.scoped("manage").select_related("resident__household", "user"))


class PartyMemberLeaveView(MemberMixin, View):
    """POST: the member leaves the roster (date and reason)."""

    permission = "party.manage"

    def post(self, request, pk):
        member = self.get_scoped_object(self.scoped("manage"))
        form = LeaveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
            return redirect(member)
        try:
            data = form.cleaned_data
            services_members.leave_member(
                member,
                actor=actor_of(request.user),
                left_on=data["left_on"],
                reason=data["left_reason"],
                note=data["note"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"{member.name}已离开名册（记录保留）。")
        return redirect(member)


class PartyMemberReviewView(MemberMixin, View):
    """POST: confirm a self-registration into a branch, or reject it with the reason."""

    permission = "party.manage"

    def post(self, request, pk):
        member = self.get_scoped_object(self.scoped("manage"))
        form = ReviewForm(request.POST, member=member)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
            return redirect(member)
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            services_members.review_member(
                member,
                actor=actor_of(request.user),
                confirm=confirm,
                branch=form.cleaned_data.get("branch"),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(member)
        messages.success(request, f"已确认{member.name}的报到。" if confirm else f"{member.name}的报到未通过。")
        return redirect("party:member_list")


EXPORT_COLUMNS = (
    ("社区", 10),
    ("姓名", 10),
    ("所在支部", 20),
    ("党小组", 16),
    ("党员类别", 10),
    ("党员状态", 16),
    ("入党日期", 12),
    ("工作单位", 20),
    ("联系电话", 14),
    ("特长", 16),
    ("可服务时间", 16),
    ("登记方式", 10),
    ("确认状态", 10),
    ("在册", 6),
)


def write_members_xlsx(rows, *, user, out, filters) -> int:
    """The roster as the filter gives it; phones masked, ID numbers never. Recorded in the export log."""
    workbook = safe_workbook(out, constant_memory=True)
    workbook.set_properties({"title": "党员名册", "comments": "由邻里导出，内含党员个人信息，请妥善保管。"})
    sheet = workbook.add_worksheet("党员名册")
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    quoted = workbook.add_format({"quote_prefix": True})
    for col, (title, width) in enumerate(EXPORT_COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, header)
    sheet.freeze_panes(1, 0)
    count = 0
    for m in rows.select_related(*LIST_RELATED).order_by("community_id", "branch_id", "name", "id").iterator(500):
        count += 1
        values = (
            m.community.name,
            m.name,
            m.branch.name if m.branch_id else "",
            m.group.name if m.group_id else "",
            m.get_kind_display(),
            m.get_status_display(),
            m.joined_on.isoformat() if m.joined_on else "",
            m.work_unit.name if m.work_unit_id else m.work_unit_name,
            m.masked_phone,
            m.skills,
            m.availability,
            m.get_source_display(),
            m.get_review_display(),
            "是" if m.is_active else "否",
        )
        for col, value in enumerate(values):
            sheet.write_string(count, col, value, quoted if formula_like(value) else None)
    workbook.close()
    record_export(user, ExportKind.MEMBERS, row_count=count, filters=filters, masked=True)
    return count


class PartyMemberExportView(MemberMixin, View):
    """The filtered roster as Excel (party.export): phones masked, never an ID number; logged."""

    permission = "party.export"

    def get(self, request):
        user = request.user
        filterset = PartyMemberFilterSet(request.GET, PartyMember.objects.restrict(user, "export"), user=user)
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect("party:member_list")
        stamp = timezone.localdate().strftime("%Y%m%d")
        filters = cleaned_filters(filterset)
        return xlsx_download(
            lambda out: write_members_xlsx(filterset.qs, user=user, out=out, filters=filters),
            f"党员名册_{stamp}.xlsx",
            f"party_members_{stamp}.xlsx",
        )


# --------------------------------------------------------------------------- import


class MemberImportView(MemberMixin, View):
    """导入党员名册: the upload (GET shows the form and the recent imports)."""

    permission = "party.manage"
    template_name = "party/import_upload.html"

    def communities(self):
        return communities_for(self.request.user, "party.manage")

    def page(self, form):
        recent = (
            MemberImportJob.objects.restrict(self.request.user, "manage")
            .select_related("community", "created_by")
            .order_by("-created_at")[:10]
        )
        return render(self.request, self.template_name, {"form": form, "recent": recent})

    def get(self, request):
        return self.page(MemberUploadForm(communities=self.communities()))

    def post(self, request):
        form = MemberUploadForm(request.POST, request.FILES, communities=self.communities())
        if not form.is_valid():
            return self.page(form)
        upload, community = form.cleaned_data["file"], form.cleaned_data["community"]
        try:
            table = importer.read_roster(upload, upload.name)
        except importer.MemberFileError as exc:
            form.add_error("file", str(exc))
            return self.page(form)
        job = jobs.upload(
            MemberImportJob,
            file=upload,
            table=table,
            mapping=importer.detect(table.headers),
            actor=actor_of(request.user),
            community=community,
        )
        return redirect("party:import_detail", job.pk)


class ImportMixin(PartyMixin):
    model = MemberImportJob
    action = "manage"
    permission = "party.manage"


class ImportDetailView(ImportMixin, ImportJobDetailMixin, TemplateView):
    template_name = "party/import_detail.html"
    run_url_name = "party:import_run"
    fields = importer.FIELDS
    file_errors = (importer.MemberFileError,)
    read_file = staticmethod(importer.read_roster)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if "mapping_form" in ctx:
            ctx["missing"] = importer.missing_columns({int(k): v for k, v in ctx["job"].mapping.items()})
        return ctx


class ImportRunView(ImportMixin, ImportRunMixin, View):
    """POST: save the mapping and check (nothing written), or commit a checked roster: all rows or none
    (linli.core.views_jobs)."""

    detail_url_name = "party:import_detail"
    detail_view = ImportDetailView
    fields = importer.FIELDS
    file_errors = (importer.MemberFileError,)
    related = ("community",)
    nothing_changed = "名册没有任何改变"

    def read_file(self, handle, name):
        return importer.read_roster(handle, name)

    def check(self, job, table, mapping, user):
        return importer.check(table, mapping, job.community, user=user)[0]

    def commit(self, job, table, mapping, actor):
        return services_members.commit_import(table, mapping, job.community, actor=actor)

    def commit_refusal(self, job):
        if (job.report or {}).get("errors"):
            return "名册还有问题行：请改正后重新上传，再检查导入。"
        return None

    def committed(self, job, report):
        if report.errors:
            return f"名册有{report.rejected}行需要改正（导入时重新检查发现），没有加入任何党员。", ""
        return None, f"已加入党员名册{report.created}人。"
