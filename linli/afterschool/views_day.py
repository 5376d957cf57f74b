"""The day at the door, on a phone: a session's board (one big button per child: 签到, then 签退), the sign-out that
asks 谁来接？ (the child's authorised guardians; anyone else → the override form naming the secretary who
approved), and the session's volunteer tutors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.afterschool import services
from linli.afterschool.access import scoped
from linli.afterschool.forms import OverrideForm, PickUpForm, SignInForm, TutorForm, TutorHoursForm
from linli.afterschool.models import Attendance, Enrolment, School, Session
from linli.afterschool.views import day_of
from linli.core.audit import actor_of


def community_volunteers(school):
    from linli.volunteers.models import Volunteer

    return Volunteer.objects.filter(community_id=school.community_id, is_active=True).order_by("name", "id")


class SessionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "afterschool/session_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        session = scoped(self.request, Session, self.kwargs["pk"], related=("school", "term", "activity"))
        manage = School.objects.restrict(user, "manage").filter(pk=session.school_id).exists()
        by_enrolment = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
        board = [(e, by_enrolment.get(e.pk)) for e in Enrolment.objects.filter(term=session.term).enrolled()
                 .select_related("child").order_by("child__name", "id")]  # fmt: skip
        tutors = list(session.tutors.order_by("name"))
        hours = {}
        if session.activity_id:
            hours = dict(session.activity.attendances.filter(status="confirmed").values_list("volunteer_id", "hours"))
        for tutor in tutors:
            tutor.served = hours.get(tutor.pk)
        volunteers = community_volunteers(session.school)
        ctx.update(
            session=session,
            school=session.school,
            board=board,
            day=day_of(session.school, session.date),
            is_today=session.date == timezone.localdate(),
            tutors=tutors,
            manage=manage,
            tutor_form=TutorForm(volunteers=volunteers.exclude(pk__in=[t.pk for t in tutors])) if manage else None,
            hours_form=TutorHoursForm(volunteers=session.tutors.all()) if manage and tutors else None,
        )
        return ctx


class SignInView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = scoped(request, Session, pk, "manage", related=("school",))
        form = SignInForm(request.POST)
        if form.is_valid():
            enrolment = Enrolment.objects.filter(term_id=session.term_id, pk=form.cleaned_data["enrolment"]).first()
            try:
                if enrolment is None:
                    raise ValidationError("这个孩子不在本学期的名单上。")
                services.sign_in(session, enrolment, actor=actor_of(request.user))
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, text)
            else:
                messages.success(request, f"{enrolment.child.name}已签到。")
        else:
            messages.error(request, "请选择要签到的孩子。")
        return redirect("afterschool:session_detail", session.pk)


class SignOutView(LoginRequiredMixin, View):
    """谁来接？ The child's authorised guardians as buttons; anyone else through the override form."""

    template_name = "afterschool/sign_out.html"

    def attendance(self):
        return scoped(self.request, Attendance, self.kwargs["pk"], "manage",
                      related=("session__school", "enrolment__child"))  # fmt: skip

    def render_page(self, attendance, override_form=None, status=200):
        school = attendance.session.school
        guardians = attendance.enrolment.guardians.filter(is_active=True).order_by("-authorised", "id")
        approvers = services.override_approvers(school)
        return render(
            self.request,
            self.template_name,
            {
                "attendance": attendance,
                "child": attendance.enrolment.child,
                "guardians": guardians,
                "override_form": override_form or OverrideForm(approvers=approvers),
                "approvers": approvers,
            },
            status=status,
        )

    def get(self, request, pk):
        return self.render_page(self.attendance())

    def post(self, request, pk):
        attendance = self.attendance()
        actor = actor_of(request.user)
        done = redirect("afterschool:session_detail", attendance.session_id)
        if "guardian" in request.POST:
            form = PickUpForm(request.POST)
            guardian = None
            if form.is_valid():
                guardian = attendance.enrolment.guardians.filter(pk=form.cleaned_data["guardian"]).first()
            if guardian is None:
                messages.error(request, "请在名单里选择来接的监护人。")
                return self.render_page(attendance, status=400)
            try:
                services.sign_out(attendance, actor=actor, guardian=guardian)
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, text)
                return self.render_page(attendance, status=400)
            messages.success(request, f"{attendance.enrolment.child.name}已由{guardian.name}接走。")
            return done
        form = OverrideForm(request.POST, approvers=services.override_approvers(attendance.session.school))
        if not form.is_valid():
            return self.render_page(attendance, form, status=400)
        try:
            services.sign_out(attendance, actor=actor, override=form.cleaned_data)
        except ValidationError as exc:
            from linli.core.forms import attach_errors

            attach_errors(form, exc)
            return self.render_page(attendance, form, status=400)
        messages.success(
            request, f"{attendance.enrolment.child.name}已特批由{form.cleaned_data['name']}接走，已通知批准人。"
        )
        return done


class TutorAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = scoped(request, Session, pk, "manage", related=("school",))
        form = TutorForm(request.POST, volunteers=community_volunteers(session.school))
        if form.is_valid():
            try:
                services.schedule_tutor(session, form.cleaned_data["volunteer"], actor=actor_of(request.user))
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, text)
            else:
                messages.success(request, f"已安排{form.cleaned_data['volunteer'].name}辅导。")
        else:
            messages.error(request, "请选择志愿者。")
        return redirect("afterschool:session_detail", session.pk)


class TutorHoursView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = scoped(request, Session, pk, "manage", related=("school",))
        form = TutorHoursForm(request.POST, volunteers=session.tutors.all())
        if form.is_valid():
            data = form.cleaned_data
            try:
                attendance = services.record_tutor_hours(session, data["volunteer"], actor=actor_of(request.user),
                                                         hours=data["hours"])  # fmt: skip
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, text)
            else:
                messages.success(
                    request, f"已记{data['volunteer'].name}服务{attendance.hours}小时，计入志愿记录和爱心银行。"
                )
        else:
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
        return redirect("afterschool:session_detail", session.pk)
