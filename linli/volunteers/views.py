"""Activity pages: the list, the notice with sign-up, the leader's check-in code, scanning it, attendance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from linli.core.audit import actor_of, history_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.volunteers import services
from linli.volunteers.choices import ScanKind, SignUpStatus
from linli.volunteers.filtersets import ActivityFilterSet
from linli.volunteers.forms import ActivityCancelForm, ActivityForm, CorrectionForm, MarkForm, SignUpForVolunteerForm
from linli.volunteers.models import Activity, Attendance, SignUp
from linli.volunteers.tokens import REFRESH_SECONDS, TOKEN_SECONDS, TokenError, make_token, read_token


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class AnyPermMixin(ScopedMixin):
    """ScopedMixin for pages that either of two roles open: 403 when the role holds none of `perms`;
    which rows each sees is the queryset's restrict (a manager's area, a volunteer's own)."""

    perms: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not any(user.has_role_perm(p) for p in self.perms):
            raise PermissionDenied("您的角色没有这项权限。")
        return super(ScopedMixin, self).dispatch(request, *args, **kwargs)


class ActivityAccessMixin(AnyPermMixin):
    """Managers (activity.view) and volunteers (activity.signup, their communities' activities) open these."""

    model = Activity
    perms = ("activity.view", "activity.signup")


class ActivityListView(ActivityAccessMixin, TemplateView):
    """Activities in scope through ActivityFilterSet (as the API): the coming and running ones, then the past."""

    template_name = "volunteers/activity_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        data = self.request.GET.copy()
        data.pop("page", None)
        filterset = ActivityFilterSet(data, self.scoped(), request=self.request, now=now)
        rows = filterset.qs.select_related("team", "community").annotate(
            n_confirmed=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED))
        )
        ctx.update(
            upcoming=list(rows.filter(ends_at__gte=now).order_by("starts_at", "id")[:100]),
            page=paginate(self.request, rows.filter(ends_at__lt=now).order_by("-starts_at", "-id"), 30),
            filter=filterset,
            filter_errors=error_list(filterset),
            many_communities=filterset.filters["community"].queryset.count() > 1,
            can_add=self.request.user.has_role_perm("activity.manage"),
        )
        return ctx


class ActivityDetailView(ActivityAccessMixin, TemplateView):
    """The notice and sign-up for everyone who sees the activity; the roster for its leaders and managers."""

    template_name = "volunteers/activity_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        activity = self.get_scoped_object(self.scoped().select_related("team", "community"))
        mine = services.own_volunteer(user, activity.community_id)
        my_signup = None
        if mine:
            my_signup = activity.signups.live().filter(volunteer=mine).first()
        signups = activity.signups.select_related("volunteer__resident")
        confirmed = [s for s in signups if s.status == SignUpStatus.CONFIRMED]
        waiting = [s for s in signups if s.status == SignUpStatus.WAITING]
        lead = services.can_lead(user, activity)
        manage = services.can_manage(user, activity)
        ctx.update(
            activity=activity,
            mine=mine,
            my_signup=my_signup,
            my_position=services.waiting_position(my_signup) if my_signup else None,
            my_attendance=Attendance.objects.filter(activity=activity, volunteer=mine).first() if mine else None,
            n_confirmed=len(confirmed),
            n_waiting=len(waiting),
            can_lead=lead,
            can_manage=manage,
            open=timezone.now() < activity.ends_at and not activity.is_cancelled,
        )
        if lead:
            for s in confirmed + waiting:
                s.phone_shown = s.volunteer.phone_for(user)
            ctx.update(confirmed=confirmed, waiting=waiting)
        if activity.is_cancelled:
            ctx["n_cancelled_with"] = activity.signups.filter(cancelled_at=activity.cancelled_at).count()
        if manage:
            ctx["signup_form"] = SignUpForVolunteerForm(activity=activity)
            ctx["cancel_form"] = ActivityCancelForm()
            if user.has_role_perm("history.view"):
                ctx["history"], ctx["show_history"] = history_of(activity)[:30], True
        return ctx


class EditView(ScopedMixin, View):
    """Create (no pk) or change one row through its service; the three edit pages share it."""

    action = "manage"
    template_name = "volunteers/form.html"
    form_class = None
    titles = ("", "")  # (new, change)
    saved = ""
    detail = list_url = ""

    def save(self, instance, actor):
        raise NotImplementedError

    def render_form(self, form, obj):
        back = reverse(self.detail, args=[obj.pk]) if obj else reverse(self.list_url)
        ctx = {"form": form, "title": self.titles[1 if obj else 0], "back": back}
        return render(self.request, self.template_name, ctx)

    def get_initial(self):
        return None

    def get(self, request, pk=None):
        obj = self.get_scoped_object() if pk else None
        return self.render_form(self.form_class(instance=obj, user=request.user, initial=self.get_initial()), obj)

    def post(self, request, pk=None):
        obj = self.get_scoped_object() if pk else None
        form = self.form = self.form_class(request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                obj = self.save(form.instance, actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, self.saved)
                return redirect(self.detail, obj.pk)
        return self.render_form(form, obj)


class ActivityEditView(EditView):
    model = Activity
    form_class = ActivityForm
    titles = ("发布志愿活动", "修改活动")
    saved = "活动已保存。"
    detail, list_url = "volunteers:activity_detail", "volunteers:activity_list"

    def save(self, instance, actor):
        return services.save_activity(instance, actor=actor)


class ActivityCancelView(ScopedMixin, View):
    """取消活动: GET the confirm form, POST cancels through services.cancel_activity (managers only)."""

    model = Activity
    action = "manage"
    template_name = "volunteers/activity_cancel.html"

    def render_page(self, activity, form, status=200):
        return render(self.request, self.template_name, {"activity": activity, "form": form}, status=status)

    def get(self, request, pk):
        return self.render_page(self.get_scoped_object(), ActivityCancelForm())

    def post(self, request, pk):
        activity = self.get_scoped_object()
        form = ActivityCancelForm(request.POST)
        if form.is_valid():
            try:
                cancelled = services.cancel_activity(
                    activity, actor=actor_of(request.user), reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"活动已取消，已通知{len(cancelled)}位报名和候补的志愿者。")
                return redirect("volunteers:activity_detail", activity.pk)
        return self.render_page(activity, form, status=400)


class SignUpView(ActivityAccessMixin, View):
    """POST: sign myself up, or (a manager) the volunteer chosen in the form."""

    def post(self, request, pk):
        activity = self.get_scoped_object()
        user = request.user
        volunteer = services.own_volunteer(user, activity.community_id)
        if request.POST.get("volunteer"):
            form = SignUpForVolunteerForm(request.POST, activity=activity)
            volunteer = form.cleaned_data["volunteer"] if form.is_valid() else None
        if volunteer is None:
            messages.error(request, "您还不是本社区登记的志愿者，请联系社区登记。")
            return redirect("volunteers:activity_detail", activity.pk)
        try:
            signup = services.sign_up(activity, volunteer, actor=actor_of(user))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            if signup.status == SignUpStatus.CONFIRMED:
                messages.success(request, f"{volunteer.name}报名成功。")
            else:
                messages.info(request, f"名额已满，{volunteer.name}已进入候补，有人取消时按顺序递补。")
        return redirect("volunteers:activity_detail", activity.pk)


class SignUpCancelView(LoginRequiredMixin, View):
    def post(self, request, pk):
        signup = get_object_or_404(SignUp.objects.restrict(request.user).select_related("activity"), pk=pk)
        try:
            promoted = services.cancel_sign_up(signup, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            note = f"，{promoted[0].volunteer.name}已从候补递补" if promoted else ""
            messages.success(request, f"已取消报名{note}。")
        return redirect("volunteers:activity_detail", signup.activity_id)


def qr_svg(url: str, title: str) -> str:
    """An inline SVG QR code that scales to its box: a viewBox and no width/height (CSS sizes it), and the
    standard quiet zone of 4 modules, drawn white, so a phone finds the three corner squares on any background."""
    import segno

    return segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="scan-qr-code", title=title, dark="#000", light="#fff"
    )


@method_decorator(never_cache, name="dispatch")
class ActivityCodeView(ActivityAccessMixin, TemplateView):
    """The leader's phone: a check-in (or check-out) QR code that renews itself every REFRESH_SECONDS (htmx)."""

    template_name = "volunteers/activity_code.html"

    def get_template_names(self):
        return ["volunteers/_code.html"] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        activity = self.get_scoped_object()
        if not services.can_lead(self.request.user, activity):
            raise PermissionDenied("只有本次活动的队长或社区工作人员可以出示签到码。")
        kind = self.request.GET.get("kind", ScanKind.CHECK_IN)
        kind = kind if kind in ScanKind.values else ScanKind.CHECK_IN
        token = make_token(activity.pk, kind)
        url = self.request.build_absolute_uri(reverse("volunteers:activity_scan", args=[activity.pk])) + f"?t={token}"
        ctx.update(
            activity=activity,
            kind=kind,
            kind_label=ScanKind(kind).label,
            qr="" if activity.is_cancelled else mark_safe(qr_svg(url, f"扫码{ScanKind(kind).label}")),
            refresh=REFRESH_SECONDS,
            valid=TOKEN_SECONDS,
            counts={
                "in": activity.attendances.count(),
                "confirmed": activity.signups.filter(status=SignUpStatus.CONFIRMED).count(),
            },
        )
        return ctx


@method_decorator(never_cache, name="dispatch")
class ActivityScanView(ActivityAccessMixin, View):
    """Opened by scanning the leader's code: GET shows what will happen, POST checks in or out."""

    template_name = "volunteers/scan.html"

    def _context(self, request, pk):
        activity = self.get_scoped_object()
        token = request.GET.get("t") or request.POST.get("t") or ""
        ctx = {
            "activity": activity,
            "token": token,
            "volunteer": services.own_volunteer(request.user, activity.community_id),
        }
        try:
            ctx["kind_label"] = ScanKind(read_token(token, activity.pk).kind).label
        except TokenError as exc:
            ctx["error"] = str(exc)
        if activity.is_cancelled:
            ctx["error"] = f"活动已取消（{activity.cancel_reason}），不能签到签退。"
        if ctx["volunteer"] is None and "error" not in ctx:
            ctx["error"] = "您还不是本社区登记的志愿者，请联系队长或社区登记。"
        return activity, ctx

    def get(self, request, pk):
        _, ctx = self._context(request, pk)
        return render(request, self.template_name, ctx, status=200 if "error" not in ctx else 400)

    def post(self, request, pk):
        activity, ctx = self._context(request, pk)
        if "error" in ctx:
            return render(request, self.template_name, ctx, status=400)
        try:
            attendance = services.scan(ctx["token"], activity, ctx["volunteer"], actor=actor_of(request.user))
        except ValidationError as exc:
            ctx["error"] = _errors(exc)
            return render(request, self.template_name, ctx, status=400)
        ctx["attendance"] = attendance
        return render(request, self.template_name, ctx)


class LeaderMixin(ActivityAccessMixin):
    def activity(self):
        activity = self.get_scoped_object()
        if not services.can_lead(self.request.user, activity):
            raise PermissionDenied("只有本次活动的队长或社区工作人员可以登记考勤。")
        return activity


class ActivityAttendanceView(LeaderMixin, View):
    """The leader's roster: who signed up, who checked in, hours; mark attendance or check out by hand."""

    template_name = "volunteers/attendance.html"

    def render_page(self, activity, form, status=200):
        user = self.request.user
        rows = {a.volunteer_id: a for a in activity.attendances.select_related("volunteer")}
        signed = [
            s.volunteer for s in activity.signups.filter(status=SignUpStatus.CONFIRMED).select_related("volunteer")
        ]
        walk_ins = [a.volunteer for a in rows.values() if a.volunteer not in signed]
        people = [(v, rows.get(v.pk), v.phone_for(user)) for v in signed + walk_ins]
        ctx = {"activity": activity, "people": people, "form": form, "started": timezone.now() >= activity.starts_at}
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, pk):
        activity = self.activity()
        return self.render_page(activity, MarkForm(activity=activity))

    def post(self, request, pk):
        activity = self.activity()
        form = MarkForm(request.POST, activity=activity)
        if form.is_valid():
            try:
                a = services.mark_attendance(
                    activity,
                    form.cleaned_data["volunteer"],
                    actor=actor_of(request.user),
                    hours=form.cleaned_data["hours"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记{a.volunteer.name}：{a.hours}小时。")
                return redirect("volunteers:activity_attendance", activity.pk)
        return self.render_page(activity, form, status=400)


class AttendanceCorrectView(LoginRequiredMixin, View):
    template_name = "volunteers/attendance_correct.html"

    def attendance(self):
        qs = Attendance.objects.select_related("activity", "volunteer")
        attendance = get_object_or_404(qs, pk=self.kwargs["pk"])
        # 404 outside the user's activities, 403 for those who may see but not lead it.
        if not Activity.objects.restrict(self.request.user).filter(pk=attendance.activity_id).exists():
            from django.http import Http404

            raise Http404
        if not services.can_lead(self.request.user, attendance.activity):
            raise PermissionDenied("只有本次活动的队长或社区工作人员可以更正时长。")
        return attendance

    def render_page(self, attendance, form, status=200):
        ctx = {
            "attendance": attendance,
            "form": form,
            "corrections": attendance.corrections.select_related("corrected_by"),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, pk):
        attendance = self.attendance()
        return self.render_page(attendance, CorrectionForm(initial={"hours": attendance.hours}))

    def post(self, request, pk):
        attendance = self.attendance()
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                services.correct_hours(
                    attendance,
                    form.cleaned_data["hours"],
                    reason=form.cleaned_data["reason"],
                    actor=actor_of(request.user),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "服务时长已更正，更正记录已保存。")
                return redirect("volunteers:activity_attendance", attendance.activity_id)
        return self.render_page(attendance, form, status=400)
