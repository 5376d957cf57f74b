"""Pages of the three ways of hearing residents on a matter: meetings (集中议), the door-to-door questionnaire
(当面议: building → households → one screen per household, phone first) and building table talks (座谈议).

Rows come from restrict(): a matter from Matter.objects.restrict(user, "view"), a hearing row from its model's
restrict(user, "view" | "add"), households from Household.objects.restrict(user, "view") (a grid worker reaches
the households of their own grid only). Missing permission 403, outside the scope 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Building, Household
from linli.areas.querysets import room_order
from linli.attachments.services import photos_of
from linli.core.audit import actor_of
from linli.core.excel.exports import record_export
from linli.core.forms import attach_errors
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin
from linli.deliberation import services_hearings as services
from linli.deliberation.choices_hearings import NOT_ASKED, DoorOutcome, HearingExportKind
from linli.deliberation.forms_hearings import DoorVisitForm, MeetingForm, QuestionnaireForm, TableTalkForm
from linli.deliberation.hearings_panel import panel_context
from linli.deliberation.models import DoorAnswer, Matter, Meeting, Questionnaire, TableTalk
from linli.residents.models import Resident
from linli.residents.search import search_order


def matter_url(matter) -> str:
    return reverse("deliberation:matter_hearings", args=[matter.pk])


class _MatterMixin(ScopedMixin):
    """A page under one matter (URL argument `matter`), for users with `permission` in the matter's scope."""

    model = Matter
    permission = "hearing.add"

    def get_matter(self) -> Matter:
        queryset = Matter.objects.restrict(self.request.user, "view").select_related("community")
        return get_object_or_404(queryset, pk=self.kwargs["matter"])


class MatterHearingsView(_MatterMixin, TemplateView):
    """The hearings of one matter (the panel of the matter's page, as a page of its own)."""

    permission = "matter.view"
    template_name = "deliberation/hearings/matter_hearings.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        matter = self.get_matter()
        ctx.update(matter=matter, panel=panel_context(self.request.user, matter))
        return ctx


class ResidentSearchView(_MatterMixin, TemplateView):
    """The participant picker (htmx): residents of the matter's community in the user's scope, as checkboxes."""

    template_name = "deliberation/hearings/_picker_results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        matter = self.get_matter()
        text = self.request.GET.get("resident_q", "").strip()[:50]
        results = []
        if text:
            qs = Resident.objects.restrict(self.request.user, "view").active().filter(community_id=matter.community_id)
            results = list(qs.search(text).select_related("household__building").order_by(*search_order(text))[:10])
        ctx.update(results=results, q=text)
        return ctx


# --------------------------------------------------------------------------- meetings


class MeetingDetailView(ScopedMixin, TemplateView):
    model = Meeting
    template_name = "deliberation/hearings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meeting = self.get_scoped_object(self.scoped().select_related("matter", "matter__community", "recorded_by"))
        participants, others = services.visible_participants(meeting, self.request.user)
        ctx.update(
            meeting=meeting,
            matter=meeting.matter,
            participants=participants,
            other_residents=others,
            photos=list(photos_of(meeting)),
            can_edit=services.can_record(self.request.user, meeting.matter),
            upcoming=meeting.held_at > timezone.now(),
        )
        return ctx


class MeetingMinutesView(ScopedMixin, View):
    """The minutes on one A4 page, to print and sign (in the export log: it carries participants' names)."""

    model = Meeting

    def get(self, request, pk):
        meeting = self.get_scoped_object(self.scoped().select_related("matter", "matter__community", "recorded_by"))
        participants, others = services.visible_participants(meeting, request.user)
        record_export(
            request.user,
            HearingExportKind.MINUTES,
            row_count=1,
            filters={"meeting": f"#{meeting.pk}", "matter": meeting.matter.title},
        )
        ctx = {
            "meeting": meeting,
            "matter": meeting.matter,
            "participants": participants,
            "other_residents": others,
            "printed_on": timezone.localdate(),
        }
        return render(request, "deliberation/hearings/meeting_minutes.html", ctx)


class _EditView(View):
    """Add (under a matter) or edit (pk) a hearing row through its service; refusals land on the form."""

    template_name = ""
    form_class = None
    row_model = None
    saved = "已保存。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, "hearing.add")
        return super().dispatch(request, *args, **kwargs)

    def get_row(self):
        if "pk" not in self.kwargs:
            return None
        queryset = self.row_model.objects.restrict(self.request.user, "add").select_related("matter")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_matter(self, row):
        if row is not None:
            return row.matter
        queryset = Matter.objects.restrict(self.request.user, "view").select_related("community")
        return get_object_or_404(queryset, pk=self.kwargs["matter"])

    def make_form(self, matter, row, data=None, files=None):  # pragma: no cover - each subclass
        raise NotImplementedError

    def save(self, matter, row, form, actor):  # pragma: no cover - each subclass
        raise NotImplementedError

    def render_form(self, form, matter, row):
        return render(self.request, self.template_name, {"form": form, "matter": matter, "row": row})

    def get(self, request, **kwargs):
        row = self.get_row()
        matter = self.get_matter(row)
        return self.render_form(self.make_form(matter, row), matter, row)

    def post(self, request, **kwargs):
        row = self.get_row()
        matter = self.get_matter(row)
        form = self.make_form(matter, row, request.POST, request.FILES)
        if form.is_valid():
            try:
                row = self.save(matter, row, form, actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, self.saved)
                return redirect(row.get_absolute_url())
        return self.render_form(form, matter, row)


class MeetingEditView(LoginRequiredMixin, _EditView):
    template_name = "deliberation/hearings/meeting_form.html"
    row_model = Meeting
    saved = "会议已保存。"

    def make_form(self, matter, row, data=None, files=None):
        initial = MeetingForm.initial_for(row) if row else None
        return MeetingForm(data, files, matter=matter, user=self.request.user, initial=initial)

    def save(self, matter, row, form, actor):
        if row is None:
            return services.schedule_meeting(matter, actor=actor, **form.service_kwargs())
        return services.update_meeting(row, actor=actor, **form.service_kwargs())


class TableTalkEditView(LoginRequiredMixin, _EditView):
    template_name = "deliberation/hearings/talk_form.html"
    row_model = TableTalk
    saved = "座谈记录已保存。"

    def make_form(self, matter, row, data=None, files=None):
        initial = TableTalkForm.initial_for(row) if row else {"held_on": timezone.localdate()}
        buildings = services.talk_buildings(matter, self.request.user).order_by("number", "name")
        return TableTalkForm(data, matter=matter, user=self.request.user, buildings=buildings, initial=initial)

    def save(self, matter, row, form, actor):
        if row is None:
            return services.record_table_talk(matter, actor=actor, **form.service_kwargs())
        return services.update_table_talk(row, actor=actor, **form.service_kwargs())


class QuestionnaireEditView(LoginRequiredMixin, _EditView):
    template_name = "deliberation/hearings/questionnaire_form.html"
    row_model = Questionnaire
    saved = "问卷已保存。"

    def make_form(self, matter, row, data=None, files=None):
        initial = QuestionnaireForm.initial_for(row) if row else None
        locked = row is not None and row.answers.exists()
        return QuestionnaireForm(data, initial=initial, locked=locked)

    def save(self, matter, row, form, actor):
        kwargs = {"title": form.cleaned_data["title"], "intro": form.cleaned_data["intro"]}
        if row is None:
            return services.create_questionnaire(matter, actor=actor, questions=form.questions(), **kwargs)
        return services.update_questionnaire(row, actor=actor, questions=form.questions(), **kwargs)


class TableTalkDetailView(ScopedMixin, TemplateView):
    model = TableTalk
    template_name = "deliberation/hearings/talk_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        talk = self.get_scoped_object(self.scoped().select_related("matter", "building", "recorded_by"))
        people = list(talk.residents.all())
        shown = set(
            Resident.objects.restrict(user, "view").filter(pk__in=[r.pk for r in people]).values_list("pk", flat=True)
        )
        ctx.update(
            talk=talk,
            matter=talk.matter,
            residents=[r for r in people if r.pk in shown],
            other_residents=len([r for r in people if r.pk not in shown]),
            can_edit=services.can_record(user, talk.matter),
        )
        return ctx


# --------------------------------------------------------------------------- questionnaires


class QuestionnaireDetailView(ScopedMixin, TemplateView):
    """Progress per building (over the households the user reaches), tallies per question, open/close."""

    model = Questionnaire
    template_name = "deliberation/hearings/questionnaire_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        questionnaire = self.get_scoped_object(self.scoped().select_related("matter", "matter__community"))
        rows, total = services.progress(questionnaire, services.households_for(questionnaire, user))
        ctx.update(
            questionnaire=questionnaire,
            matter=questionnaire.matter,
            questions=list(questionnaire.questions.all()),
            rows=rows,
            total=total,
            tallies=services.tallies(questionnaire),
            can_record=services.can_record(user, questionnaire.matter),
        )
        return ctx


class QuestionnaireStatusView(ScopedMixin, View):
    """POST: end the asking, or take it up again."""

    model = Questionnaire
    permission = "hearing.add"

    def post(self, request, pk):
        questionnaire = self.get_scoped_object(Questionnaire.objects.restrict(request.user, "add"))
        want_open = request.POST.get("open") == "1"
        try:
            services.set_questionnaire_open(questionnaire, actor=actor_of(request.user), open=want_open)
        except ValidationError as exc:
            for e in exc.messages:
                messages.error(request, e)
        else:
            messages.success(request, "问卷已重新开始。" if want_open else "问卷已结束。")
        return redirect("deliberation:questionnaire_detail", questionnaire.pk)


class _DoorMixin(ScopedMixin):
    model = Questionnaire
    permission = "hearing.add"

    def get_questionnaire(self) -> Questionnaire:
        queryset = Questionnaire.objects.restrict(self.request.user, "add").select_related("matter")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


class QuestionnaireBuildingView(_DoorMixin, TemplateView):
    """A building's households (in the matter's scope and the user's) with 已问 / 不在家 / 未问, in walking order."""

    template_name = "deliberation/hearings/questionnaire_building.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        questionnaire = self.get_questionnaire()
        building = get_object_or_404(Building.objects.restrict(self.request.user, "view"), pk=self.kwargs["building"])
        households = services.households_for(questionnaire, self.request.user).filter(building=building)
        households = list(households.order_by(*room_order()))
        if not households:
            raise Http404("这栋楼不在这个议题的范围内。")
        answers = {
            a.household_id: a
            for a in DoorAnswer.objects.filter(questionnaire=questionnaire, household__building=building)
        }
        for h in households:
            h.door = answers.get(h.pk)
            h.door_label = h.door.get_outcome_display() if h.door else NOT_ASKED
        rows, total = services.progress(questionnaire, Household.objects.filter(pk__in=[h.pk for h in households]))
        todo = self.request.GET.get("todo") == "1"
        if todo:  # still to knock at: not asked yet, or nobody was at home
            households = [h for h in households if h.door is None or h.door.outcome == DoorOutcome.NOT_HOME]
        ctx.update(questionnaire=questionnaire, building=building, households=households, total=total, todo=todo)
        return ctx


class DoorVisitView(_DoorMixin, View):
    """One screen per household: the answers, or 不在家; the last visit wins and every visit is kept."""

    template_name = "deliberation/hearings/door_visit.html"

    def get_household(self, questionnaire) -> Household:
        queryset = Household.objects.restrict(self.request.user, "view").select_related("building")
        household = get_object_or_404(queryset, pk=self.kwargs["household"])
        if not questionnaire.matter.households_in_scope().filter(pk=household.pk).exists():
            raise Http404("这一户不在这个议题的范围内。")
        return household

    def render_form(self, questionnaire, household, form, answer):
        ctx = {"questionnaire": questionnaire, "household": household, "form": form, "answer": answer}
        return render(self.request, self.template_name, ctx)

    def get(self, request, pk, household):
        questionnaire = self.get_questionnaire()
        home = self.get_household(questionnaire)
        answer = DoorAnswer.objects.filter(questionnaire=questionnaire, household=home).first()
        form = DoorVisitForm(questionnaire=questionnaire, household=home, initial=DoorVisitForm.initial_for(answer))
        return self.render_form(questionnaire, home, form, answer)

    def post(self, request, pk, household):
        questionnaire = self.get_questionnaire()
        home = self.get_household(questionnaire)
        answer = DoorAnswer.objects.filter(questionnaire=questionnaire, household=home).first()
        form = DoorVisitForm(request.POST, questionnaire=questionnaire, household=home)
        if form.is_valid():
            try:
                services.record_door_visit(
                    questionnaire,
                    home,
                    actor=actor_of(request.user),
                    outcome=form.cleaned_data["outcome"],
                    answers=form.answers(),
                    respondent=form.cleaned_data["respondent"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                done = (
                    "已记录：不在家，可以以后再来。"
                    if form.cleaned_data["outcome"] == DoorOutcome.NOT_HOME
                    else "已记录回答。"
                )
                messages.success(request, f"{home.address} {done}")
                return redirect("deliberation:questionnaire_building", questionnaire.pk, home.building_id)
        return self.render_form(questionnaire, home, form, answer)
