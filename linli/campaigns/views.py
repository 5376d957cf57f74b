"""专项工作 pages: the list, a campaign's page (progress per grid, building and worker; outcomes; list building),
the grid worker's page (open targets in walking order, one button per outcome), the target list, the export and
its column layout, the campaign's notice. The import pages are views_import.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from linli.areas.scope import communities_for
from linli.campaigns import exporter, progress, services
from linli.campaigns.choices import CampaignStatus
from linli.campaigns.filtersets import CampaignFilterSet, CampaignTargetFilterSet
from linli.campaigns.forms import AudienceForm, CampaignForm, CampaignUploadForm, OutcomeForm, RecordForm
from linli.campaigns.models import Campaign, CampaignOutcome, CampaignTarget
from linli.core.audit import actor_of
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id, parse_ids
from linli.core.views import ScopedMixin, paginate

#: Rows of the grid worker's page: about one building's stairwells per page on a phone.
WORK_PAGE = 50
TARGET_RELATED = ("resident", "household", "building", "grid", "outcome", "recorded_by")


class CampaignMixin(ScopedMixin):
    model = Campaign

    def campaign(self, action: str | None = None) -> Campaign:
        return self.get_scoped_object(self.scoped(action).select_related("community", "notice"))


class CampaignListView(CampaignMixin, TemplateView):
    template_name = "campaigns/campaign_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = CampaignFilterSet(self.request.GET or None, self.scoped().select_related("community"), user=user)
        rows = filterset.qs if filterset.is_valid() else filterset.queryset
        page = paginate(self.request, rows.order_by("-created_at", "-id"), 30)
        mine = {item["campaign"].pk: item["open"] for item in progress.open_by_campaign(user)}
        for c in page:
            c.my_open = mine.get(c.pk, 0)
            c.percent = round(100 * c.done_count / c.target_count) if c.target_count else 0
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=page,
            can_manage=user.has_role_perm("campaign.manage"),
            today=timezone.localdate(),
        )
        return ctx


class CampaignEditView(CampaignMixin, View):
    """New campaign (with the default outcomes) or its name, department, description and dates."""

    action = "manage"
    template_name = "campaigns/campaign_form.html"

    def _campaign(self):
        return self.campaign() if "pk" in self.kwargs else None

    def _form(self, campaign, data=None):
        communities = communities_for(self.request.user, "campaign.manage")
        return CampaignForm(data, instance=campaign or Campaign(), communities=communities)

    def get(self, request, pk=None):
        campaign = self._campaign()
        return render(request, self.template_name, {"form": self._form(campaign), "campaign": campaign})

    def post(self, request, pk=None):
        campaign = self._campaign()
        form = self._form(campaign, request.POST)
        if form.is_valid():
            actor = actor_of(request.user)
            fields = {k: form.cleaned_data.get(k) for k in services.EDITABLE}
            try:
                if campaign is None:
                    campaign = services.create_campaign(actor=actor, community=form.cleaned_data["community"], **fields)
                    messages.success(request, f"已创建“{campaign.name}”。下一步：从居民库筛选或导入部门名单。")
                else:
                    services.update_campaign(campaign, actor=actor, **fields)
                    messages.success(request, "已保存。")
                return redirect(campaign)
            except ValidationError as exc:
                attach_errors(form, exc)
        return render(request, self.template_name, {"form": form, "campaign": campaign})


class CampaignDetailView(CampaignMixin, TemplateView):
    template_name = "campaigns/campaign_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = self.campaign()
        manage = user.has_role_perm("campaign.manage") and self.scoped("manage").filter(pk=campaign.pk).exists()
        ctx.update(
            campaign=campaign,
            progress=progress.progress(campaign, user),
            can_manage=manage,
            can_record=user.has_role_perm("campaign.record"),
            can_export=user.has_role_perm("campaign.export"),
            outcome_form=OutcomeForm() if manage else None,
            upload_form=CampaignUploadForm() if manage else None,
            imports=campaign.import_jobs.select_related("created_by").order_by("-created_at")[:5] if manage else (),
            targets_url=reverse("campaigns:target_list") + f"?campaign={campaign.pk}",
            today=timezone.localdate(),
        )
        return ctx


class CampaignTargetsAddView(CampaignMixin, View):
    """从居民库筛选: the audience picker with the count it reaches, then 加入名单."""

    action = "manage"
    template_name = "campaigns/campaign_targets_add.html"

    def render_form(self, campaign, form, count=None):
        return render(self.request, self.template_name, {"campaign": campaign, "form": form, "count": count})

    def get(self, request, pk):
        campaign = self.campaign()
        return self.render_form(campaign, AudienceForm(user=request.user, campaign=campaign))

    def post(self, request, pk):
        campaign = self.campaign()
        form = AudienceForm(request.POST, user=request.user, campaign=campaign)
        if not form.is_valid():
            return self.render_form(campaign, form)
        audience = form.audience
        try:
            audience.check(request.user)
            if request.POST.get("action") != "add":
                return self.render_form(campaign, form, audience.counts(request.user))
            added = services.add_targets_from_audience(campaign, audience, actor=actor_of(request.user))
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.render_form(campaign, form)
        messages.success(request, f"已加入名单{added}人（{audience.describe()}）。")
        return redirect(campaign)


class CampaignStatusView(CampaignMixin, View):
    action = "manage"
    change = ""
    DONE = {"start": "已开始，网格员可以在手机上登记了。", "close": "已结束。", "reopen": "已重新开启。"}

    def post(self, request, pk):
        campaign = self.campaign()
        do = {
            "start": services.start_campaign,
            "close": services.close_campaign,
            "reopen": services.reopen_campaign,
        }[self.change]
        try:
            do(campaign, actor=actor_of(request.user))
            messages.success(request, self.DONE[self.change])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(campaign)


class OutcomeAddView(CampaignMixin, View):
    action = "manage"

    def post(self, request, pk):
        campaign = self.campaign()
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.add_outcome(campaign, actor=actor_of(request.user), **form.cleaned_data)
                messages.success(request, f"已增加结果“{form.cleaned_data['label']}”。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        else:
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(campaign)


class OutcomeDeleteView(ScopedMixin, View):
    model = Campaign
    action = "manage"

    def post(self, request, pk):
        outcome = (
            CampaignOutcome.objects.filter(pk=pk, campaign__in=self.scoped().values("pk"))
            .select_related("campaign")
            .first()
        )
        if outcome is None:
            raise Http404("找不到这个结果，或不在您的管辖范围内。")
        try:
            services.delete_outcome(outcome, actor=actor_of(request.user))
            messages.success(request, f"已删除结果“{outcome.label}”。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(outcome.campaign)


def _work_rows(user, campaign, *, state="open"):
    rows = (
        CampaignTarget.objects.restrict(user, "record")
        .filter(campaign=campaign)
        .select_related("resident", "household", "building", "outcome")
    )
    return rows.filter(done=False) if state == "open" else rows


def decorate(user, targets, today) -> None:
    """What a row shows, worked out once per row in Python (cheaper than template filters per row): age, the
    phone as the user may see it (linli.residents: full for resident.reveal_phone), the record URL."""
    from linli.core.phone import mask_phone
    from linli.residents.idcard import age_on

    full = user.has_role_perm("resident.reveal_phone")
    url = reverse("campaigns:target_record", args=[0])
    for t in targets:
        r = t.resident
        t.age = age_on(r.birth_date, today) if r.birth_date and r.birth_date <= today else None
        t.phone_full = bool(r.phone) and (full or user.resident_id == r.pk)
        t.phone_shown = (r.phone if t.phone_full else mask_phone(r.phone)) if r.phone else ""
        t.record_url = url.replace("/0/", f"/{t.pk}/")


def _row_context(user, target, outcomes, **extra):
    decorate(user, [target], timezone.localdate())
    return {
        "t": target,
        "outcomes": outcomes,
        "closed": target.campaign.status == CampaignStatus.CLOSED,
        "next_url": reverse("campaigns:campaign_work", args=[target.campaign_id]),
        **extra,
    }


class CampaignWorkView(CampaignMixin, TemplateView):
    """The grid worker's page: their open targets in walking order (building, entrance, floor, room), one big
    button per outcome; a tap records it and the row changes in place."""

    action = "view"
    permission = "campaign.record"
    template_name = "campaigns/campaign_work.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = self.campaign()
        state = "all" if self.request.GET.get("state") == "all" else "open"
        rows = _work_rows(user, campaign, state=state).order_by(
            "building__number", "household__entrance", "household__floor", "household__room", "id"
        )
        page = paginate(self.request, rows, WORK_PAGE)
        outcomes = list(campaign.outcomes.all())
        decorate(user, page, timezone.localdate())
        ctx.update(
            campaign=campaign,
            page=page,
            state=state,
            outcomes=outcomes,
            closed=campaign.status == CampaignStatus.CLOSED,
            next_url=self.request.get_full_path(),
        )
        return ctx


class TargetRecordView(ScopedMixin, View):
    """POST an outcome for one target (a button of the grid worker's page). htmx gets the row back; a plain
    post goes back to the page it came from."""

    model = CampaignTarget
    action = "record"

    def post(self, request, pk):
        user = request.user
        target = self.get_scoped_object(self.scoped().select_related("campaign"))
        form = RecordForm(request.POST)
        error = ""
        if form.is_valid():
            try:
                target = services.record_outcome(
                    target, form.cleaned_data["outcome"], actor=actor_of(user), note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                error = "；".join(exc.messages)
        else:
            error = "请选择一个结果。" if "outcome" in form.errors else "；".join(form.errors.get("note", []))
        if request.htmx:
            target = CampaignTarget.objects.select_related(*TARGET_RELATED, "campaign").get(pk=target.pk)
            outcomes = list(target.campaign.outcomes.all())
            ctx = _row_context(user, target, outcomes, error=error, saved=not error)
            return render(request, "campaigns/_target_row.html", ctx)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"已登记：{target.resident.name}　{target.outcome.label}")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
            back = reverse("campaigns:campaign_work", args=[target.campaign_id])
        return redirect(back)


class TargetListView(ScopedMixin, TemplateView):
    """名单: targets of the campaigns in scope, filtered by campaign, grid, building, outcome, state, text."""

    model = CampaignTarget
    template_name = "campaigns/target_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = None
        chosen = parse_id(self.request.GET.get("campaign"))
        if chosen is not None:
            campaign = Campaign.objects.restrict(user).filter(pk=chosen).first()
        filterset = CampaignTargetFilterSet(
            self.request.GET or None,
            self.scoped().select_related(*TARGET_RELATED, "campaign"),
            user=user,
            campaign=campaign,
        )
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        rows = rows.order_by("building__number", "household__entrance", "household__floor", "household__room", "id")
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=paginate(self.request, rows, 50),
            campaign=campaign,
            can_manage=campaign is not None
            and user.has_role_perm("campaign.manage")
            and Campaign.objects.restrict(user, "manage").filter(pk=campaign.pk).exists(),
            can_export=campaign is not None and user.has_role_perm("campaign.export"),
            query=self.request.GET.urlencode(),
        )
        return ctx


class TargetRemoveView(CampaignMixin, View):
    action = "manage"

    def post(self, request, pk):
        campaign = self.campaign()
        ids = parse_ids(request.POST.getlist("ids"))
        if not ids:
            messages.error(request, "请先勾选要移出名单的居民。")
        else:
            try:
                n = services.remove_targets(campaign, ids, actor=actor_of(request.user))
                messages.success(request, f"已将{n}人移出名单。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        return redirect(reverse("campaigns:target_list") + f"?campaign={campaign.pk}")


class CampaignExportView(CampaignMixin, View):
    """The list for the department in its own column layout (the target list's filter applies)."""

    action = "export"

    def get(self, request, pk):
        user = request.user
        campaign = self.campaign()
        reveal = request.GET.get("reveal") == "1"
        if reveal and not user.has_role_perm("resident.reveal_id"):
            raise PermissionDenied("您的角色不能导出完整的身份证号码。")
        data = request.GET.copy()
        data["campaign"] = str(campaign.pk)
        filterset = CampaignTargetFilterSet(data, CampaignTarget.objects.all(), user=user, campaign=campaign)
        if not filterset.is_valid():
            messages.error(request, "筛选条件有误：" + "；".join(error_list(filterset)))
            return redirect(reverse("campaigns:target_list") + f"?campaign={campaign.pk}")
        rows = filterset.qs
        stamp = timezone.localdate().strftime("%Y%m%d")
        filters = cleaned_filters(filterset)
        return xlsx_download(
            lambda out: exporter.write_targets_xlsx(
                campaign, rows, user=user, out=out, reveal_ids=reveal, filters=filters
            ),
            f"{campaign.name}_{stamp}.xlsx",
            f"campaign_{campaign.pk}_{stamp}.xlsx",
        )


class CampaignColumnsView(CampaignMixin, View):
    """导出列: the department's columns in order — a header and what goes in it — saved with the campaign."""

    action = "export"
    template_name = "campaigns/campaign_columns.html"
    EXTRA_ROWS = 3

    def render_page(self, campaign, columns, errors=()):
        rows = list(columns) + [{"header": "", "field": ""}] * self.EXTRA_ROWS
        return render(
            self.request,
            self.template_name,
            {
                "campaign": campaign,
                "rows": rows,
                "choices": exporter.field_choices(campaign),
                "errors": errors,
                "can_reveal": self.request.user.has_role_perm("resident.reveal_id"),
            },
        )

    def get(self, request, pk):
        campaign = self.campaign()
        return self.render_page(campaign, exporter.layout(campaign))

    def post(self, request, pk):
        campaign = self.campaign()
        headers, fields = request.POST.getlist("header"), request.POST.getlist("field")
        columns = [{"header": h, "field": f} for h, f in zip(headers, fields)]
        try:
            services.save_export_columns(campaign, columns, actor=actor_of(request.user))
        except ValidationError as exc:
            return self.render_page(campaign, columns, exc.messages)
        messages.success(request, "已保存导出列。")
        return redirect(campaign)


class CampaignNoticeView(CampaignMixin, View):
    """给名单发通知: a draft notice to exactly the targets; the user checks and sends it on the notice's page."""

    action = "manage"

    def post(self, request, pk):
        campaign = self.campaign()
        if not request.user.has_role_perm("notice.add"):
            raise PermissionDenied("您的角色不能发通知。")
        try:
            notice = services.create_notice(campaign, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(campaign)
        messages.success(request, "已生成通知草稿，对象为这项工作的全部名单。请核对内容后发布。")
        try:
            return redirect(notice.get_absolute_url())
        except NoReverseMatch:  # the notice pages are not there (yet): stay on the campaign
            return redirect(campaign)
