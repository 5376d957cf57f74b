"""Case pages: the list, the quick intake, a case (full for its mediators and supervisors, limited for the
person who referred or received it), and the buttons that assign, add parties and sessions, settle, fail,
withdraw, attach the signed scan and record a follow-up. The printable 人民调解协议书 is here too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.views import View
from django.views.generic import TemplateView

from linli.areas.scope import communities_for
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.views import paginate
from linli.mediation import services
from linli.mediation.choices import CaseStatus
from linli.mediation.filtersets import CaseFilterSet
from linli.mediation.forms import (
    AssignForm,
    CaseEditForm,
    CaseIntakeForm,
    FailForm,
    FollowUpForm,
    PartyForm,
    ScanForm,
    SessionForm,
    SettleForm,
    WithdrawForm,
)
from linli.mediation.models import Case, FollowUp


def _deny_unless(user, allowed: bool):
    if not allowed:
        raise PermissionDenied("您的角色没有这项权限。")


class CaseListView(LoginRequiredMixin, TemplateView):
    """Cases the user may know of (restrict "limited"); details only on those they may read in full."""

    template_name = "mediation/case_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _deny_unless(request.user, services.may_list_cases(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        data = self.request.GET.copy()
        data.pop("page", None)
        filterset = CaseFilterSet(data, Case.objects.restrict(user, "limited"), request=self.request)
        cases = filterset.qs.select_related("community").order_by("-received_on", "-id")
        page = paginate(self.request, cases, 30)
        full = set(Case.objects.restrict(user).filter(pk__in=[c.pk for c in page]).values_list("pk", flat=True))
        for case in page:
            case.full = case.pk in full
        ctx.update(
            page=page,
            filter=filterset,
            filter_errors=error_list(filterset),
            can_add=user.is_superuser
            or any(user.has_role_perm(p) for p in ("mediation.receive", "mediation.refer", "mediation.supervise")),
            can_export=user.is_superuser or user.has_role_perm("mediation.supervise") or services.is_mediator(user),
            # The figures page is for roles with mediation.view; a mediator with a volunteer account has no link to it.
            can_see_figures=user.is_superuser or user.has_role_perm("mediation.view"),
            many_communities=filterset.filters["community"].queryset[:2].count() > 1,
        )
        return ctx


def intake_communities(user):
    perms = ("mediation.receive", "mediation.supervise", "mediation.refer")
    from linli.areas.models import Community

    if user.is_superuser:
        return Community.objects.order_by("street_id", "code")
    ids = set()
    for perm in perms:
        if user.has_role_perm(perm):
            ids.update(communities_for(user, perm).values_list("pk", flat=True))
    return Community.objects.filter(pk__in=ids).order_by("street_id", "code")


class CaseAddView(LoginRequiredMixin, View):
    """The quick intake on a phone: type, applicant, a sentence. `?resident=` fills the applicant from the
    registry (the resident page's link)."""

    template_name = "mediation/case_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            user = request.user
            _deny_unless(
                user, user.is_superuser or any(user.has_role_perm(p) for p in ("mediation.receive", "mediation.refer"))
            )
        return super().dispatch(request, *args, **kwargs)

    def resident(self):
        from linli.residents.models import Resident

        pk = parse_id(self.request.GET.get("resident") or self.request.POST.get("resident"))
        if pk is None:
            return None
        return Resident.objects.restrict(self.request.user).select_related("household__building").filter(pk=pk).first()

    def render_form(self, form, resident):
        user = self.request.user
        receiving = user.is_superuser or user.has_role_perm("mediation.receive")
        return render(self.request, self.template_name, {"form": form, "resident": resident, "receiving": receiving})

    def get(self, request):
        resident = self.resident()
        initial = {"applicant_name": resident.name} if resident else {}
        if resident:
            initial["community"] = resident.household.building.community_id
        return self.render_form(CaseIntakeForm(communities=intake_communities(request.user), initial=initial), resident)

    def post(self, request):
        resident = self.resident()
        form = CaseIntakeForm(request.POST, communities=intake_communities(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.open_case(
                    actor=actor_of(request.user),
                    community=data["community"],
                    case_type=data["case_type"],
                    account=data["account"],
                    applicant_name=data["applicant_name"],
                    applicant_resident=resident,
                    applicant_phone=data["applicant_phone"],
                    respondent_name=data["respondent_name"],
                    urgency=data["urgency"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记调解案件 {case.number}。")
                if Case.objects.restrict(request.user).filter(pk=case.pk).exists():
                    return redirect("mediation:case_detail", case.pk)
                return redirect("mediation:case_list")
        return self.render_form(form, resident)


def _case(request, pk, action="view"):
    return get_object_or_404(Case.objects.restrict(request.user, action).select_related("community", "room"), pk=pk)


class CaseDetailView(LoginRequiredMixin, TemplateView):
    """The whole case for its mediators and supervisors; number, type and status for its referrer."""

    template_name = "mediation/case_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        case = _case(self.request, self.kwargs["pk"], "limited")
        full = Case.objects.restrict(user).filter(pk=case.pk).exists()
        ctx.update(case=case, full=full)
        if not full:
            return ctx
        agreement = getattr(case, "agreement", None)
        ctx.update(
            parties=case.parties.select_related("resident"),
            sessions=case.sessions.select_related("created_by"),
            mediators=case.mediators.all(),
            agreement=agreement,
            follow_ups=agreement.follow_ups.select_related("done_by") if agreement else [],
            history=services.timeline(case),
            assign_form=AssignForm(
                case=case, initial={"mediators": [m.pk for m in case.mediators.all()], "room": case.room_id}
            ),
            edit_form=CaseEditForm(
                initial={"case_type": case.case_type, "account": case.account, "urgency": case.urgency}
            ),
            party_form=PartyForm(),
            session_form=SessionForm(),
            settle_form=SettleForm(initial={"facts": case.account}),
            fail_form=FailForm(),
            withdraw_form=WithdrawForm(),
            scan_form=ScanForm(),
            follow_form=FollowUpForm(),
            is_open=case.is_open,
            referral_appeal=case.referral_appeal_id,
        )
        return ctx


class _CaseActionView(LoginRequiredMixin, View):
    """POST a form on the case page; the service decides, refusals come back as messages on the page."""

    form_class = None
    done = ""

    def form(self, case):
        return self.form_class(self.request.POST, self.request.FILES)

    def run(self, case, data, actor):  # pragma: no cover - each subclass says what it does
        raise NotImplementedError

    def post(self, request, pk):
        case = _case(request, pk, "manage")
        form = self.form(case)
        if not form.is_valid():
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
            return redirect("mediation:case_detail", case.pk)
        try:
            self.run(case, form.cleaned_data, actor_of(request.user))
        except ValidationError as exc:
            for e in exc.messages:
                messages.error(request, e)
        else:
            messages.success(request, self.done)
        return redirect("mediation:case_detail", case.pk)


class CaseEditView(_CaseActionView):
    form_class = CaseEditForm
    done = "案件信息已修改。"

    def run(self, case, data, actor):
        services.update_case(case, actor=actor, **data)


class CaseAssignView(_CaseActionView):
    done = "调解员已更新。"

    def form(self, case):
        return AssignForm(self.request.POST, case=case)

    def run(self, case, data, actor):
        services.assign(case, actor=actor, mediators=data["mediators"], room=data["room"])


class PartyAddView(_CaseActionView):
    form_class = PartyForm
    done = "当事人已添加。"

    def run(self, case, data, actor):
        services.add_party(case, actor=actor, **data)


class SessionAddView(_CaseActionView):
    form_class = SessionForm
    done = "调解会已记录。"

    def run(self, case, data, actor):
        services.add_session(case, actor=actor, **data)


class CaseSettleView(_CaseActionView):
    form_class = SettleForm
    done = "已记录调解成功。书面协议可打印后请双方签字。"

    def run(self, case, data, actor):
        services.settle(case, actor=actor, **data)


class CaseFailView(_CaseActionView):
    form_class = FailForm
    done = "已记录调解不成。"

    def run(self, case, data, actor):
        services.fail(case, actor=actor, referral=data["referral"], note=data["note"])


class CaseWithdrawView(_CaseActionView):
    form_class = WithdrawForm
    done = "已记录当事人撤回。"

    def run(self, case, data, actor):
        services.withdraw(case, actor=actor, note=data["note"])


class AgreementScanView(_CaseActionView):
    form_class = ScanForm
    done = "签字协议已上传。"

    def run(self, case, data, actor):
        agreement = getattr(case, "agreement", None)
        if agreement is None:
            raise ValidationError(services.NOT_SETTLED)
        services.attach_scan(agreement, actor=actor, scan=data["scan"], signed_on=data["signed_on"])


class FollowUpRecordView(LoginRequiredMixin, View):
    def post(self, request, pk):
        follow = get_object_or_404(FollowUp.objects.restrict(request.user, "manage").select_related("agreement"), pk=pk)
        case_pk = follow.agreement.case_id
        form = FollowUpForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
            return redirect("mediation:case_detail", case_pk)
        try:
            services.record_follow_up(follow, actor=actor_of(request.user), **form.cleaned_data)
        except ValidationError as exc:
            for e in exc.messages:
                messages.error(request, e)
        else:
            messages.success(request, "回访已记录。")
        return redirect("mediation:case_detail", case_pk)


class AgreementPrintView(LoginRequiredMixin, TemplateView):
    """The standard 人民调解协议书 on A4, for the parties' and mediators' signatures."""

    template_name = "mediation/agreement_print.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = _case(self.request, self.kwargs["pk"])
        agreement = getattr(case, "agreement", None)
        if agreement is None:
            raise Http404("这个案件还没有调解协议。")
        ctx.update(
            case=case,
            agreement=agreement,
            parties=case.parties.select_related("resident"),
            mediators=case.mediators.all(),
        )
        return ctx


class CaseFromAppealView(LoginRequiredMixin, View):
    """The “转为调解案件” button on an appeal whose unit is 人民调解."""

    def post(self, request, pk):
        from linli.appeals.models import Appeal

        user = request.user
        if not (user.is_superuser or user.has_role_perm("mediation.receive") or user.has_role_perm("mediation.refer")):
            raise PermissionDenied("您的角色没有这项权限。")
        appeal = get_object_or_404(Appeal.objects.restrict(request.user).select_related("unit", "community"), pk=pk)
        try:
            case = services.case_from_appeal(appeal, actor=actor_of(request.user))
        except ValidationError as exc:
            for e in exc.messages:
                messages.error(request, e)
            return redirect("appeals:appeal_detail", appeal.pk)
        messages.success(request, f"已转为调解案件 {case.number}。")
        return redirect("mediation:case_detail", case.pk)


STATUS_TABS = CaseStatus.choices


class AgreementScanFileView(LoginRequiredMixin, View):
    """The signed scan, served only to those who read the case in full (never a public media URL)."""

    def get(self, request, pk):
        from linli.core.storage import file_response

        case = _case(request, pk)
        agreement = getattr(case, "agreement", None)
        if agreement is None or not agreement.scan:
            raise Http404("没有上传签字协议。")
        response = file_response(
            agreement.scan, filename=agreement.scan.name.rsplit("/", 1)[-1], missing="签字协议文件已不存在。"
        )
        response["Cache-Control"] = "no-store"
        return response


class _CaseFromRecordView(LoginRequiredMixin, View):
    """“转为调解案件” from another app's record (a diary note, a matter): the record must be in the user's scope;
    the type is chosen on the button's form."""

    back = ""

    def record(self, request, pk):  # pragma: no cover - each subclass says which record
        raise NotImplementedError

    def convert(self, record, actor, case_type):  # pragma: no cover
        raise NotImplementedError

    def post(self, request, pk):
        user = request.user
        if not (user.is_superuser or user.has_role_perm("mediation.receive") or user.has_role_perm("mediation.refer")):
            raise PermissionDenied("您的角色没有这项权限。")
        record = self.record(request, pk)
        case_type = request.POST.get("case_type") or "neighbour"
        try:
            case = self.convert(record, actor_of(user), case_type)
        except ValidationError as exc:
            for e in exc.messages:
                messages.error(request, e)
            return self.go_back(record)
        messages.success(request, f"已转为调解案件 {case.number}。")
        if Case.objects.restrict(user).filter(pk=case.pk).exists():
            return redirect("mediation:case_detail", case.pk)
        return self.go_back(record)

    def go_back(self, record):
        try:
            return redirect(self.back, record.pk)
        except NoReverseMatch:  # the record's page is not installed (yet): the case list
            return redirect("mediation:case_list")


class CaseFromNoteView(_CaseFromRecordView):
    back = "visits:diary_detail"

    def record(self, request, pk):
        from linli.visits.models import FieldNote

        return get_object_or_404(FieldNote.objects.restrict(request.user).select_related("community"), pk=pk)

    def convert(self, record, actor, case_type):
        return services.case_from_note(record, actor=actor, case_type=case_type)


class CaseFromMatterView(_CaseFromRecordView):
    back = "deliberation:matter_detail"

    def record(self, request, pk):
        from linli.deliberation.models import Matter

        return get_object_or_404(Matter.objects.restrict(request.user).select_related("community"), pk=pk)

    def convert(self, record, actor, case_type):
        return services.case_from_matter(record, actor=actor, case_type=case_type)
