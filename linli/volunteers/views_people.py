"""Volunteer and team pages: the roll, one volunteer's record and certificate, teams and their members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.core.audit import actor_of, history_of
from linli.core.excel.download import xlsx_download
from linli.core.excel.exports import record_export
from linli.core.forms import attach_errors
from linli.core.params import parse_int
from linli.core.views import ScopedMixin, paginate
from linli.volunteers import services
from linli.volunteers.choices import AttendanceStatus, ExportKind
from linli.volunteers.forms import HoursPeriodForm, MembershipForm, TeamForm, VolunteerForm
from linli.volunteers.models import Team, TeamMembership, Volunteer
from linli.volunteers.views import AnyPermMixin, EditView


class SelfOrManagerMixin(AnyPermMixin):
    """Managers (volunteer.view) open any record in scope; a volunteer's account opens its own (else 404)."""

    model = Volunteer
    perms = ("volunteer.view", "volunteer.view_self")


def _hours_total():
    return Sum("attendances__hours", filter=Q(attendances__status=AttendanceStatus.CONFIRMED))


class VolunteerListView(ScopedMixin, TemplateView):
    model = Volunteer
    template_name = "volunteers/volunteer_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        q = self.request.GET.get("q", "").strip()
        rows = self.scoped().select_related("resident", "community").annotate(total_hours=_hours_total())
        if q:
            rows = rows.filter(Q(name__contains=q) | Q(skills__contains=q))
        if self.request.GET.get("all") != "1":
            rows = rows.filter(is_active=True)
        page = paginate(self.request, rows.order_by("name", "id"), 50)
        for v in page:
            v.phone_shown = v.phone_for(user)
        ctx.update(page=page, q=q, can_add=user.has_role_perm("volunteer.manage"))
        return ctx


class VolunteerDetailView(SelfOrManagerMixin, TemplateView):
    """The record: hours by year and type, activities, teams; the certificate link."""

    template_name = "volunteers/volunteer_detail.html"

    def get_context_data(self, **kwargs):
        from linli.bigscreen.consent import has_consent

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        volunteer = self.get_scoped_object(self.scoped().select_related("resident", "community", "user"))
        ctx.update(
            volunteer=volunteer,
            phone=volunteer.phone_for(user),
            summary=services.hours_summary(volunteer),
            attendances=volunteer.attendances.select_related("activity").order_by("-activity__starts_at")[:200],
            signups=volunteer.signups.live()
            .filter(activity__ends_at__gte=timezone.now())
            .select_related("activity")
            .order_by("activity__starts_at"),
            memberships=volunteer.memberships.select_related("team"),
            can_edit=user.has_role_perm("volunteer.manage"),
            wall_consent=has_consent(volunteer),
        )
        if user.has_role_perm("history.view"):
            ctx["history"], ctx["show_history"] = history_of(volunteer)[:30], True
        return ctx


class HoursReportView(ScopedMixin, TemplateView):
    """服务时长统计: per volunteer, a year's or a date range's hours by activity type; ?export=xlsx downloads it
    (recorded as an export: period and number of volunteers)."""

    model = Volunteer
    template_name = "volunteers/hours_report.html"

    def get(self, request, *args, **kwargs):
        from linli.volunteers.report import build_hours_report, hours_xlsx

        form = HoursPeriodForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        report = build_hours_report(request.user, form.cleaned_data["start"], form.cleaned_data["end"])
        if request.GET.get("export") == "xlsx":
            name = f"volunteer-hours-{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx"
            response = xlsx_download(lambda out: hours_xlsx(report, out), name)
            record_export(
                request.user,
                ExportKind.VOLUNTEER_HOURS_XLSX,
                filters={"start": report.start, "end": report.end},
                row_count=len(report.rows),
            )
            return response
        query = request.GET.copy()
        query["export"] = "xlsx"
        ctx = self.get_context_data(form=form, report=report, export_query=query.urlencode())
        return self.render_to_response(ctx)


class MyRecordView(LoginRequiredMixin, View):
    """志愿服务记录 for the volunteer's own account: their record, or a note that they are not registered."""

    def get(self, request):
        if not request.user.has_role_perm("volunteer.view_self"):
            raise PermissionDenied("您的角色没有这项权限。")
        mine = Volunteer.objects.filter(user=request.user).order_by("-is_active", "id").first()
        if mine is not None:
            return redirect("volunteers:volunteer_detail", mine.pk)
        return render(request, "volunteers/my_record_empty.html")


class CertificateView(SelfOrManagerMixin, TemplateView):
    """志愿服务时长证明: an A4 page to print, for one year or all years."""

    template_name = "volunteers/certificate.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        volunteer = self.get_scoped_object(self.scoped().select_related("community__street"))
        year = self.request.GET.get("year", "")
        year = parse_int(year, minimum=1, maximum=9999)
        ctx.update(
            volunteer=volunteer,
            year=year,
            summary=services.hours_summary(volunteer, year),
            issued=timezone.localdate(),
        )
        return ctx


class VolunteerEditView(EditView):
    model = Volunteer
    form_class = VolunteerForm
    template_name = "volunteers/volunteer_form.html"
    titles = ("登记志愿者", "修改志愿者信息")
    saved = "志愿者信息已保存。"
    detail, list_url = "volunteers:volunteer_detail", "volunteers:volunteer_list"

    def get_initial(self):
        resident = self.request.GET.get("resident")
        return {"resident": resident} if resident and "pk" not in self.kwargs else None

    @transaction.atomic
    def save(self, instance, actor):
        from linli.bigscreen.consent import has_consent
        from linli.bigscreen.services import set_wall_consent

        volunteer = services.save_volunteer(instance, actor=actor)
        wanted = bool(self.form.cleaned_data.get("wall_name_consent"))
        if wanted != has_consent(volunteer):
            set_wall_consent(volunteer, wanted, actor=actor)
        return volunteer


class ResidentSearchView(ScopedMixin, TemplateView):
    """The volunteer form's resident picker (htmx): active residents in the user's scope, as radios."""

    model = Volunteer
    action = "manage"
    template_name = "volunteers/_resident_results.html"

    def get_context_data(self, **kwargs):
        from linli.residents.models import Resident
        from linli.residents.search import search_order
        from linli.volunteers.forms import resident_phone_for

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        text = self.request.GET.get("resident_q", "").strip()
        qs = Resident.objects.restrict(user).active().search(text)
        results = list(qs.select_related("household__building", "community").order_by(*search_order(text))[:10])
        for r in results if text else []:
            r.phone_shown = resident_phone_for(user, r)
        ctx.update(results=results if text else [], q=text)
        return ctx


class TeamListView(ScopedMixin, TemplateView):
    model = Team
    template_name = "volunteers/team_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        teams = (
            self.scoped()
            .select_related("community")
            .annotate(n_members=Count("memberships", distinct=True), n_activities=Count("activities", distinct=True))
        )
        ctx.update(teams=teams, can_add=self.request.user.has_role_perm("volunteer.manage"))
        return ctx


class TeamDetailView(ScopedMixin, View):
    """Members with their leaders; managers add members and name leaders (POST)."""

    model = Team
    template_name = "volunteers/team_detail.html"

    def render_page(self, team, form, status=200):
        user = self.request.user
        members = list(team.memberships.select_related("volunteer__resident"))
        for m in members:
            m.phone_shown = m.volunteer.phone_for(user)
        can_edit = user.has_role_perm("volunteer.manage")
        ctx = {
            "team": team,
            "members": members,
            "form": form if can_edit else None,
            "can_edit": can_edit,
            "activities": team.activities.order_by("-starts_at")[:20],
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, pk):
        team = self.get_scoped_object()
        return self.render_page(team, MembershipForm(team=team))

    def post(self, request, pk):
        team = self.get_scoped_object(action="manage")
        actor = actor_of(request.user)
        if "remove" in request.POST:
            membership = get_object_or_404(TeamMembership, team=team, pk=request.POST["remove"])
            services.remove_membership(membership, actor=actor)
            messages.success(request, f"已将{membership.volunteer.name}移出服务队。")
            return redirect("volunteers:team_detail", team.pk)
        form = MembershipForm(request.POST, team=team)
        if form.is_valid():
            try:
                services.set_membership(
                    team, form.cleaned_data["volunteer"], actor=actor, is_leader=form.cleaned_data["is_leader"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "队员已保存。")
                return redirect("volunteers:team_detail", team.pk)
        return self.render_page(team, form, status=400)


class TeamEditView(EditView):
    model = Team
    form_class = TeamForm
    titles = ("新建志愿服务队", "修改服务队")
    saved = "服务队已保存。"
    detail, list_url = "volunteers:team_detail", "volunteers:team_list"

    def save(self, instance, actor):
        return services.save_team(instance, actor=actor)
