"""四点半学校 pages: the schools, a school's day (who is here, who is not collected), terms with the roster and the
waiting list, a child's page (guardians, attendance). Sign-in and sign-out: views_day.py."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.afterschool import services
from linli.afterschool.access import require_use, scoped
from linli.afterschool.choices import EnrolmentStatus
from linli.afterschool.filtersets import EnrolmentFilterSet
from linli.afterschool.forms import (
    EnrolForm,
    GuardianChangeForm,
    GuardianForm,
    SchoolForm,
    SessionsForm,
    TermForm,
    WithdrawForm,
)
from linli.afterschool.models import Attendance, Enrolment, Guardian, School, Session, Term
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.querysets import require_perm


def _errors_to_messages(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


class SchoolListView(LoginRequiredMixin, TemplateView):
    template_name = "afterschool/school_list.html"

    def get_context_data(self, **kwargs):
        require_use(self.request.user)
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        schools = list(
            School.objects.restrict(user).select_related("community", "room").order_by("community_id", "name")
        )
        for school in schools:
            school.today = Session.objects.filter(school=school, date=today).first()
            school.enrolled = Enrolment.objects.filter(school=school, status=EnrolmentStatus.ENROLLED,
                                                       term__ends_on__gte=today).count()  # fmt: skip
        ctx.update(schools=schools, can_add=user.is_superuser or user.has_role_perm("afterschool.manage"))
        return ctx


def _school_form(request, data=None, instance=None):
    from linli.accounts.models import User
    from linli.areas.scope import communities_for
    from linli.places.models import Room

    user = request.user
    communities = communities_for(user, "afterschool.manage").order_by("street_id", "code")
    ids = list(communities.values_list("pk", flat=True))
    from linli.accounts.models import AreaAssignment

    staff_ids = AreaAssignment.objects.filter(community_id__in=ids).values("user_id")
    grid_staff = AreaAssignment.objects.filter(grid__community_id__in=ids).values("user_id")
    users = (
        User.objects.filter(is_active=True).filter(pk__in=staff_ids.union(grid_staff)) if ids else User.objects.none()
    )
    if instance is not None and instance.pk:
        users = users | User.objects.filter(pk__in=instance.staff.values("pk"))
    users = users.distinct().order_by("full_name", "id")
    return SchoolForm(data, instance=instance, communities=communities, users=users,
                      rooms=Room.objects.filter(community_id__in=ids).order_by("community_id", "name"))  # fmt: skip


class SchoolEditView(LoginRequiredMixin, View):
    template_name = "afterschool/school_form.html"

    def school(self):
        require_perm(self.request.user, "afterschool.manage")
        pk = self.kwargs.get("pk")
        return scoped(self.request, School, pk, "manage") if pk else School()

    def get(self, request, pk=None):
        school = self.school()
        return render(request, self.template_name, {"form": _school_form(request, instance=school), "school": school})

    def post(self, request, pk=None):
        school = self.school()
        form = _school_form(request, request.POST, instance=school)
        if form.is_valid():
            try:
                school = services.save_school(
                    form.instance, actor=actor_of(request.user), staff=form.cleaned_data["staff"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存{school.name}。")
                return redirect("afterschool:school_detail", school.pk)
        return render(request, self.template_name, {"form": form, "school": school})


def day_of(school, day: datetime.date, now=None) -> dict:
    """A school's day: its session, who is here, who has gone, who is enrolled and not come, and (after the pick-up
    time) the children not collected with their guardians' phones."""
    session = Session.objects.filter(school=school, date=day).select_related("term", "school").first()
    if session is None:
        return {"session": None}
    rows = list(Attendance.objects.filter(session=session).select_related("enrolment__child", "collected_by"))
    here = [a for a in rows if a.is_here]
    gone = [a for a in rows if not a.is_here]
    came = {a.enrolment_id for a in rows}
    absent = [
        e for e in Enrolment.objects.filter(term=session.term).enrolled().select_related("child") if e.pk not in came
    ]
    return {"session": session, "here": here, "gone": gone, "absent": absent,
            "uncollected": services.uncollected(session, now),
            "past_pickup": services.is_past_pickup(session, now)}  # fmt: skip


class SchoolDetailView(LoginRequiredMixin, TemplateView):
    template_name = "afterschool/school_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        school = scoped(self.request, School, self.kwargs["pk"], related=("community", "room", "head_teacher"))
        manage = School.objects.restrict(user, "manage").filter(pk=school.pk).exists()
        from linli.volunteers.models import Team

        ctx.update(
            school=school,
            day=day_of(school, timezone.localdate()),
            terms=school.terms.order_by("-starts_on"),
            staff=school.staff.order_by("full_name"),
            manage=manage,
            can_edit=user.is_superuser or user.has_role_perm("afterschool.manage"),
            term_form=TermForm(teams=Team.objects.filter(community_id=school.community_id)) if manage else None,
        )
        return ctx


class TermAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        from linli.volunteers.models import Team

        school = scoped(request, School, pk, "manage")
        form = TermForm(
            request.POST, instance=Term(school=school), teams=Team.objects.filter(community_id=school.community_id)
        )
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("afterschool:school_detail", school.pk)
        try:
            term = services.save_term(form.instance, actor=actor_of(request.user))
        except ValidationError as exc:
            _errors_to_messages(request, exc)
            return redirect("afterschool:school_detail", school.pk)
        messages.success(request, f"已新建{term.name}。")
        return redirect("afterschool:term_detail", term.pk)


def eligible_children(term: Term):
    """Residents of the school's community in the registry, under the term's age limit, not already in the term."""
    from linli.residents.choices import ResidentStatus
    from linli.residents.models import Resident, birth_date_cutoff

    today = timezone.localdate()
    taken = Enrolment.objects.filter(term=term).exclude(status=EnrolmentStatus.WITHDRAWN).values("child_id")
    return (
        Resident.objects.filter(
            community_id=term.school.community_id,
            status=ResidentStatus.ACTIVE,
            birth_date__gt=birth_date_cutoff(term.age_limit, today),
        )  # fmt: skip
        .exclude(pk__in=taken)
        .order_by("name", "id")
    )


class TermDetailView(LoginRequiredMixin, TemplateView):
    """The roster (在读), the waiting list in order, the withdrawn; enrol a child; add sessions; the exports."""

    template_name = "afterschool/term_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        term = scoped(self.request, Term, self.kwargs["pk"], related=("school__community", "team"))
        data = self.request.GET.copy()
        filterset = EnrolmentFilterSet(data, Enrolment.objects.restrict(user).filter(term=term), request=self.request)
        rows = list(filterset.qs.select_related("child").order_by("status", "priority_rank", "applied_at", "id"))
        waiting_ids = list(Enrolment.objects.filter(term=term).waiting().values_list("pk", flat=True))
        for row in rows:
            row.position = waiting_ids.index(row.pk) + 1 if row.pk in waiting_ids else None
        manage = School.objects.restrict(user, "manage").filter(pk=term.school_id).exists()
        today = timezone.localdate()
        ctx.update(
            term=term,
            school=term.school,
            rows=rows,
            filter=filterset,
            filter_errors=error_list(filterset),
            enrolled=Enrolment.objects.filter(term=term).enrolled().count(),
            waiting=len(waiting_ids),
            sessions=term.sessions.filter(date__gte=today - datetime.timedelta(days=7)).order_by("date")[:20],
            manage=manage,
            can_export=School.objects.restrict(user, "export").filter(pk=term.school_id).exists(),
            enrol_form=EnrolForm(children=eligible_children(term)) if manage else None,
            sessions_form=SessionsForm(initial={"first": max(today, term.starts_on), "last": term.ends_on})
            if manage
            else None,
        )
        return ctx


class EnrolmentAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        term = scoped(request, Term, pk, "manage", related=("school",))
        form = EnrolForm(request.POST, children=eligible_children(term))
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("afterschool:term_detail", term.pk)
        data = form.cleaned_data
        try:
            enrolment = services.enrol(term, data["child"], actor=actor_of(request.user),
                                       priority=data["priority"] or None, notes=data["notes"])  # fmt: skip
        except ValidationError as exc:
            _errors_to_messages(request, exc)
            return redirect("afterschool:term_detail", term.pk)
        if enrolment.is_enrolled:
            messages.success(request, f"{enrolment.child.name}已入读。请核对监护人。")
        else:
            messages.info(
                request, f"名额已满，{enrolment.child.name}排在候补第{services.waiting_position(enrolment)}位。"
            )
        return redirect("afterschool:child_detail", enrolment.pk)


class SessionAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        term = scoped(request, Term, pk, "manage", related=("school",))
        form = SessionsForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("afterschool:term_detail", term.pk)
        data = form.cleaned_data
        try:
            made = services.add_sessions(term, actor=actor_of(request.user), first=data["first"], last=data["last"],
                                         topic=data["topic"])  # fmt: skip
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, f"已排{len(made)}次课。")
        return redirect("afterschool:term_detail", term.pk)


class ChildDetailView(LoginRequiredMixin, TemplateView):
    """A child in a term: guardians (who may collect), attendance, overrides; add a guardian, withdraw."""

    template_name = "afterschool/child_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        enrolment = scoped(self.request, Enrolment, self.kwargs["pk"], related=("child", "term", "school"))
        manage = School.objects.restrict(user, "manage").filter(pk=enrolment.school_id).exists()
        child = enrolment.child
        ctx.update(
            enrolment=enrolment,
            child=child,
            age=services.child_age(child, timezone.localdate()),
            position=services.waiting_position(enrolment),
            guardians=enrolment.guardians.order_by("-is_active", "-authorised", "id"),
            attendances=enrolment.attendances.select_related(
                "session", "collected_by", "override__approved_by"
            ).order_by("-session__date")[:60],
            manage=manage,
            guardian_form=GuardianForm(members=self.members(child)) if manage else None,
            withdraw_form=WithdrawForm() if manage and enrolment.status != EnrolmentStatus.WITHDRAWN else None,
        )
        return ctx

    @staticmethod
    def members(child):
        from linli.residents.models import Resident

        return Resident.objects.filter(household_id=child.household_id).exclude(pk=child.pk).order_by("id")


class GuardianAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        enrolment = scoped(request, Enrolment, pk, "manage", related=("child",))
        form = GuardianForm(request.POST, members=ChildDetailView.members(enrolment.child))
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("afterschool:child_detail", enrolment.pk)
        try:
            guardian = services.add_guardian(enrolment, actor=actor_of(request.user), **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, f"已登记监护人{guardian.name}。")
        return redirect("afterschool:child_detail", enrolment.pk)


class GuardianEditView(LoginRequiredMixin, View):
    def post(self, request, pk):
        guardian = scoped(request, Guardian, pk, "manage")
        form = GuardianChangeForm(request.POST)
        if form.is_valid():
            change = form.cleaned_data["change"]
            args = {"authorise": {"authorised": True}, "stop": {"authorised": False}, "remove": {"active": False}}[
                change
            ]
            services.set_guardian(guardian, actor=actor_of(request.user), **args)
            messages.success(request, f"已更新监护人{guardian.name}。")
        else:
            _form_errors(request, form)
        return redirect("afterschool:child_detail", guardian.enrolment_id)


class EnrolmentWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        enrolment = scoped(request, Enrolment, pk, "manage", related=("child",))
        form = WithdrawForm(request.POST)
        form.is_valid()
        try:
            promoted = services.withdraw(
                enrolment, actor=actor_of(request.user), reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as exc:
            _errors_to_messages(request, exc)
            return redirect("afterschool:child_detail", enrolment.pk)
        text = f"{enrolment.child.name}已退出。"
        if promoted:
            text += "候补转为在读：" + "、".join(e.child.name for e in promoted) + "。"
        messages.success(request, text)
        return redirect("afterschool:term_detail", enrolment.term_id)
