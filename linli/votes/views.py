"""表决 pages: the list, a vote with its live result, opening and closing, a resident's own ballot, ballots at the
door and on paper, the ballot list (who voted how only where allowed), the printable notice, the public result and
the turnout export. Rows come from the querysets' restrict(); every change goes through linli.votes.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Building
from linli.attachments.services import attach_photos, prepare_photos
from linli.core.audit import actor_of
from linli.core.excel.download import safe_workbook, xlsx_download
from linli.core.excel.exports import record_export
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin, paginate
from linli.deliberation.models import Matter
from linli.residents.models import Resident
from linli.votes import services
from linli.votes.choices import Channel, Choice, ExportKind, VoteStatus
from linli.votes.filtersets import VoteFilterSet
from linli.votes.forms import BallotForm, PaperBallotForm, VoteForm
from linli.votes.models import Ballot, EligibleHousehold, Vote


def may(user, vote: Vote, action: str) -> bool:
    return bool(
        (user.is_superuser or user.has_role_perm(f"vote.{action}"))
        and Vote.objects.restrict(user, action).filter(pk=vote.pk).exists()
    )


def may_see_ballots(user, vote: Vote) -> bool:
    """Who voted how: vote.see_ballots over the vote's community, and only for a vote declared non-secret."""
    return bool(
        not vote.secret and (user.is_superuser or user.has_role_perm("vote.see_ballots")) and may(user, vote, "view")
    )


def matter_url(matter) -> str:
    try:
        return matter.get_absolute_url()
    except Exception:  # the deliberation pages come from another branch
        return ""


def publication_url(user, vote: Vote) -> str:
    """Where the vote's 公示 is read: its staff page (objections are recorded there) for whoever sees the matter's
    publications, else its public page; "" before closing (or when the publication was removed)."""
    from linli.deliberation.models import Publication
    from linli.deliberation.services import public_url

    publication = vote.publication
    if publication is None:
        return ""
    if Publication.objects.restrict(user, "view").filter(pk=publication.pk).exists():
        return publication.get_absolute_url()
    return "" if publication.withdrawn else public_url(publication)


class VoteListView(ScopedMixin, TemplateView):
    model = Vote
    template_name = "votes/vote_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = VoteFilterSet(self.request.GET, self.scoped(), request=self.request)
        votes = filterset.qs.select_related("community", "matter")
        ctx.update(page=paginate(self.request, votes, 30), filter=filterset, filter_errors=error_list(filterset))
        return ctx


class VoteDetailView(ScopedMixin, TemplateView):
    """The vote and its live result: turnout by building, each threshold met or not with the arithmetic."""

    model = Vote
    template_name = "votes/vote_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        vote = self.get_scoped_object(
            self.scoped().select_related("matter", "community", "publication__matter__community")
        )
        ctx.update(
            vote=vote,
            result=services.tally(vote),
            manage=may(user, vote, "manage"),
            door=may(user, vote, "door"),
            see_ballots=may_see_ballots(user, vote),
            matter_url=matter_url(vote.matter),
            publication_url=publication_url(user, vote),
        )
        return ctx


class VoteAddView(LoginRequiredMixin, View):
    """A draft vote on a matter (vote.manage over the matter's community)."""

    def matter(self, request, matter_pk):
        require_perm(request.user, "vote.manage")
        matters = Matter.objects.restrict(request.user, "view").filter(
            community__in=services.vote_communities(request.user)
        )
        return get_object_or_404(matters, pk=matter_pk)

    def get(self, request, matter_pk):
        matter = self.matter(request, matter_pk)
        return render(request, "votes/vote_form.html", {"matter": matter, "form": VoteForm()})

    def post(self, request, matter_pk):
        matter = self.matter(request, matter_pk)
        form = VoteForm(request.POST)
        if form.is_valid():
            fields = {k: form.cleaned_data[k] for k in VoteForm.Meta.fields}
            try:
                vote = services.create_vote(actor=actor_of(request.user), matter=matter, **fields)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "表决已登记，核对无误后点“开始表决”。")
                return redirect(vote)
        return render(request, "votes/vote_form.html", {"matter": matter, "form": form})


class _VoteAction(ScopedMixin, View):
    model = Vote
    action = "manage"
    done = ""

    def post(self, request, pk):
        vote = self.get_scoped_object()
        try:
            self.run(vote, actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, self.done)
        return redirect(vote)


class VoteOpenView(_VoteAction):
    done = "表决已开始，表决名单已确定，范围内有账号的居民会收到消息。"

    def run(self, vote, actor):
        services.open_vote(vote, actor=actor)


class VoteCloseView(_VoteAction):
    done = "表决已结束，结果已保存并在公示栏公示。"

    def run(self, vote, actor):
        services.close_vote(vote, actor=actor)


class VoteCastView(LoginRequiredMixin, View):
    """The resident's own ballot for their household: big buttons; the current choice is shown to them only."""

    def setup_vote(self, request, pk):
        require_perm(request.user, "vote.cast_self")
        vote = get_object_or_404(Vote.objects.restrict(request.user, "view").select_related("matter"), pk=pk)
        resident = request.user.resident
        return vote, resident

    def render(self, request, vote, resident, error=""):
        ballot = Ballot.objects.filter(vote=vote, household_id=resident.household_id).first()
        ctx = {"vote": vote, "resident": resident, "ballot": ballot, "choices": Choice.choices, "error": error}
        return render(request, "votes/vote_cast.html", ctx, status=400 if error else 200)

    def get(self, request, pk):
        return self.render(request, *self.setup_vote(request, pk))

    def post(self, request, pk):
        vote, resident = self.setup_vote(request, pk)
        choice = request.POST.get("choice", "")
        try:
            services.cast_ballot(actor_of(request.user), vote, resident.household, choice, resident, Channel.PHONE)
        except ValidationError as exc:
            return self.render(request, vote, resident, " ".join(exc.messages))
        messages.success(request, "您家的票已收到。表决结束前可以改票，以最后一次为准。")
        return redirect("votes:vote_cast", pk=vote.pk)


class VoteEntryView(ScopedMixin, View):
    """A ballot taken at the door (grid worker: their grid's households) or from paper (staff): building →
    household → representative and choice."""

    model = Vote
    action = "door"
    channel = Channel.DOOR
    form_class = BallotForm
    template_name = "votes/vote_entry.html"

    def households(self, vote):
        return EligibleHousehold.objects.restrict(self.request.user, self.action).filter(vote=vote)

    def context(self, vote, form=None):
        request = self.request
        eligible = self.households(vote)
        building_id = parse_id(request.GET.get("building"))
        household_id = parse_id(request.POST.get("household") or request.GET.get("household"))
        ctx = {"vote": vote, "channel": self.channel, "form": form}
        building_ids = eligible.values("building_id")
        ctx["buildings"] = Building.objects.filter(pk__in=building_ids).order_by("number")
        if household_id:
            row = get_object_or_404(eligible.select_related("household__building"), household_id=household_id)
            ctx["household"] = row.household
            members = Resident.objects.filter(household_id=household_id).order_by("id")
            ctx["members"] = members
            ctx["form"] = form or self.form_class(members=members)
        elif building_id:
            voted = Ballot.objects.filter(vote_id=vote.pk, household_id=OuterRef("household_id"))
            ctx["building"] = get_object_or_404(ctx["buildings"], pk=building_id)
            ctx["rows"] = (
                eligible.filter(building_id=building_id)
                .select_related("household")
                .annotate(voted=Exists(voted))
                .order_by("household__entrance", "household__floor", "household__room")
            )
        return ctx

    def cast(self, vote, row, data, members):
        return services.cast_ballot(
            actor_of(self.request.user),
            vote,
            row.household,
            data["choice"],
            members.get(pk=data["representative"]),
            self.channel,
            paper_number=data.get("paper_number"),
        )

    def get(self, request, pk):
        vote = self.get_scoped_object()
        return render(request, self.template_name, self.context(vote))

    def post(self, request, pk):
        vote = self.get_scoped_object()
        household_id = parse_id(request.POST.get("household"))
        row = self.households(vote).filter(household_id=household_id).select_related("household").first()
        if row is None:
            raise Http404("这一户不在您可以收票的名单里。")
        members = Resident.objects.filter(household_id=household_id).order_by("id")
        form = self.form_class(request.POST, request.FILES, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                prepared = prepare_photos([data["scan"]]) if data.get("scan") else None
                with transaction.atomic():  # the ballot and its scan, or neither
                    ballot = self.cast(vote, row, data, members)
                    if prepared:
                        attach_photos(ballot, prepared, actor=actor_of(request.user), caption="表决票")
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"{row.household}的票已记录。")
                return redirect(f"{request.path}?building={row.building_id}")
        return render(request, self.template_name, self.context(vote, form), status=400)


class VotePaperView(VoteEntryView):
    action = "manage"
    channel = Channel.PAPER
    form_class = PaperBallotForm


class VoteBallotsView(ScopedMixin, TemplateView):
    """Who has voted (household, way, time) for the vote's administrators; who voted how only with
    vote.see_ballots and only for a non-secret vote."""

    model = Vote
    template_name = "votes/vote_ballots.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if not (user.is_superuser or user.has_role_perm("vote.manage") or user.has_role_perm("vote.see_ballots")):
            require_perm(user, "vote.manage")  # 403: the role reads no ballots at all
        vote = self.get_scoped_object()
        show_choice = may_see_ballots(user, vote)
        if not show_choice:
            require_perm(user, "vote.manage")  # who has voted: the vote's administrators
            if not may(user, vote, "manage"):
                raise Http404("找不到这个表决。")
        if show_choice:
            rows = (
                Ballot.objects.restrict(user).filter(vote=vote).select_related("household__building", "representative")
            )
        else:
            voted = Ballot.objects.filter(vote_id=vote.pk, household_id=OuterRef("household_id"))
            rows = (
                EligibleHousehold.objects.restrict(user, "manage")
                .filter(vote=vote)
                .filter(Exists(voted))
                .select_related("household__building")
            )
        ctx.update(vote=vote, show_choice=show_choice, page=paginate(self.request, rows, 100))
        return ctx


def qr_svg(url: str) -> str:
    import segno

    # A fixed size (about 3 cm printed): the notice is a sheet on a notice board, the code is scanned from a step away.
    return segno.make(url, error="m").svg_inline(scale=3, border=4, svgclass="vote-qr", dark="#000", light="#fff")


class VoteNoticeView(ScopedMixin, TemplateView):
    """The printable A4 result notice (公示), with a QR code to the public result page."""

    model = Vote
    template_name = "votes/vote_notice.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        vote = self.get_scoped_object(self.scoped().select_related("matter", "community"))
        public = self.request.build_absolute_uri(reverse("votes:vote_public", args=[vote.pk]))
        ctx.update(
            vote=vote, result=services.tally(vote), qr=qr_svg(public), public_url=public, today=timezone.localdate()
        )
        return ctx


class VotePublicView(TemplateView):
    """A closed vote's result for anyone (no login): counts by building, never who voted how."""

    template_name = "votes/vote_public.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        vote = get_object_or_404(
            Vote.objects.filter(status=VoteStatus.CLOSED).select_related("community"), pk=self.kwargs["pk"]
        )
        ctx.update(vote=vote, result=services.tally(vote))
        return ctx


class VoteExportView(ScopedMixin, View):
    """The turnout by building as .xlsx (recorded in the export log)."""

    model = Vote
    action = "manage"

    def get(self, request, pk):
        vote = self.get_scoped_object()
        result = services.tally(vote)

        def write(out):
            book = safe_workbook(out)
            sheet = book.add_worksheet("按楼栋")
            sheet.write_row(0, 0, [f"{vote.title}（{vote.community.name}）"])
            sheet.write_row(1, 0, ["楼栋", "有表决权户数", "已投票户数", "参与率", "同意", "不同意", "弃权"])
            for i, b in enumerate(result.buildings, start=2):
                sheet.write_row(i, 0, [b.building, b.eligible, b.participating, b.turnout, b.yes, b.no, b.abstain])
            c = result.counts
            sheet.write_row(
                len(result.buildings) + 2,
                0,
                ["合计", c.eligible, c.participating, result.turnout, c.yes, c.no, c.abstain],
            )
            sheet.write_row(len(result.buildings) + 4, 0, [t.text for t in result.thresholds])
            book.close()

        record_export(request.user, ExportKind.TURNOUT, row_count=len(result.buildings), filters={"vote": vote.title})
        return xlsx_download(write, f"{vote.title}-参与情况.xlsx", f"vote-{vote.pk}-turnout.xlsx")
