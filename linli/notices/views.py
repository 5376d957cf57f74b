"""通知公告 pages: the list, writing a notice with the audience picker (live counts, the list as Excel), sending with
a confirmation of what each channel will do, withdrawing, and a notice's page — for staff with the parts other
modules register (sending progress, confirmations), for a resident in large type (opening it counts as read).
Rows come from the querysets' restrict(); every change goes through linli.notices.services. Saved lists (常用名单)
are in views_saved.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.attachments.services import attach_photos, photos_of, prepare_photos
from linli.core.audit import actor_of
from linli.core.excel.download import formula_like, safe_workbook, xlsx_download
from linli.core.excel.exports import record_export
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin, paginate
from linli.notices import services
from linli.notices.audience import Audience
from linli.notices.choices import ExportKind, NoticeChannel, NoticeStatus
from linli.notices.confirm import record_read
from linli.notices.filtersets import NoticeFilterSet
from linli.notices.forms import AudienceForm, NoticeForm, WithdrawForm, audience_query
from linli.notices.models import Notice, NoticeHousehold
from linli.notices.panels import notice_panels


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class NoticeListView(ScopedMixin, TemplateView):
    """Drafts and sent notices of the user's communities, newest first, narrowed by NoticeFilterSet."""

    model = Notice
    template_name = "notices/notice_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = NoticeFilterSet(self.request.GET, self.scoped(), request=self.request)
        notices = filterset.qs.select_related("community").order_by("-created_at", "-id")
        ctx.update(
            page=paginate(self.request, notices, 30),
            filter=filterset,
            filter_errors=error_list(filterset),
            can_add=self.request.user.has_role_perm("notice.add"),
        )
        return ctx


class NoticeFormView(ScopedMixin, View):
    """Write a notice (new, or a draft again): the notice's fields, then the audience picker. Saving keeps a draft;
    sending is the next step (notices:notice_send)."""

    model = Notice
    action = "add"
    template_name = "notices/notice_form.html"

    def get_notice(self):
        if "pk" not in self.kwargs:
            return None
        notice = self.get_scoped_object(self.scoped().select_related("community"))
        if not services.can_edit(self.request.user, notice):
            if notice.status != NoticeStatus.DRAFT:
                messages.error(self.request, services.NOT_DRAFT)
            else:
                messages.error(self.request, "只有起草人或社区管理人员可以修改这份草稿。")
            return redirect(notice)
        return notice

    def forms(self, notice, data=None, files=None):
        user = self.request.user
        if notice is None:
            initial = {"community": self.request.GET.get("community")} if data is None else None
            return NoticeForm(data, files), AudienceForm(data, user=user, initial=initial)
        audience = Audience.from_dict(notice.audience)
        initial = AudienceForm.initial_for(audience) if data is None else None
        return (
            NoticeForm(data, files, instance=notice),
            AudienceForm(data, user=user, community=notice.community, initial=initial),
        )

    def show(self, notice, form, audience_form, status=200):
        ctx = {"notice": notice, "form": form, "audience_form": audience_form}
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, pk=None):
        notice = self.get_notice()
        if not isinstance(notice, Notice | None):
            return notice
        return self.show(notice, *self.forms(notice))

    def post(self, request, pk=None):
        notice = self.get_notice()
        if not isinstance(notice, Notice | None):
            return notice
        form, audience_form = self.forms(notice, request.POST, request.FILES)
        if form.is_valid() and audience_form.is_valid():
            actor = actor_of(request.user)
            try:
                prepared = prepare_photos(form.cleaned_data["photos"])
                with transaction.atomic():  # the notice and its pictures, or neither
                    if notice is None:
                        notice = services.create_notice(
                            actor=actor,
                            community=audience_form.community,
                            audience=audience_form.audience,
                            **form.service_kwargs(),
                        )
                    else:
                        notice = services.update_notice(
                            notice, actor=actor, audience=audience_form.audience, **form.service_kwargs()
                        )
                    attach_photos(notice, prepared, actor=actor, public=notice.is_public)
            except ValidationError as exc:
                attach_errors(form, exc)
                if hasattr(exc, "error_dict"):
                    for key in ("grid_ids", "building_ids", "saved_list_id", "age_min", "age_max"):
                        if key in exc.error_dict:
                            audience_form.add_error(None, exc.error_dict[key])
            else:
                messages.success(request, "通知已保存为草稿。核对无误后点“发布”。")
                return redirect(notice)
        return self.show(notice, form, audience_form, status=400)


class AudiencePickerView(LoginRequiredMixin, View):
    """The picker for another community (htmx, when the community changes)."""

    def get(self, request):
        require_perm(request.user, "notice.add")
        form = AudienceForm(request.GET, user=request.user)
        return render(request, "notices/_audience_picker.html", {"audience_form": form})


class AudienceCountView(LoginRequiredMixin, View):
    """将通知 N 人、M 户 for the picker's current choice (htmx, on every change), with the 下载名单 link."""

    def get(self, request):
        require_perm(request.user, "notice.add")
        form = AudienceForm(request.GET, user=request.user)
        ctx = {"audience_form": form}
        if form.is_valid():
            audience = form.audience
            ctx.update(counts=audience.counts(request.user), query=audience_query(audience))
        return render(request, "notices/_audience_count.html", ctx)


class AudienceExportView(LoginRequiredMixin, View):
    """The audience's residents as .xlsx (name, address, masked phone, tags the role may see); recorded in the export
    log. Bad input answers with the picker's Chinese errors (400), never a file."""

    def get(self, request):
        user = request.user
        require_perm(user, "notice.add")
        form = AudienceForm(request.GET, user=user)
        if not form.is_valid():
            return render(request, "notices/_audience_count.html", {"audience_form": form}, status=400)
        audience = form.audience
        residents = (
            audience.residents(user)
            .select_related("household__building")
            .prefetch_related("tags")
            .order_by("building__number", "household__entrance", "household__floor", "household__room", "id")
        )
        sensitive = user.is_superuser or user.has_role_perm("resident.view_sensitive")
        label = audience.describe()
        written = [0]

        def write(out):
            book = safe_workbook(out)
            sheet = book.add_worksheet("通知对象")
            text = book.add_format({"quote_prefix": True})
            sheet.write_row(0, 0, [f"通知对象：{label}"])
            sheet.write_row(1, 0, ["姓名", "楼栋", "单元", "房号", "联系电话", "人群标签"])
            for i, r in enumerate(residents.iterator(chunk_size=2000), start=2):
                tags = "、".join(t.name for t in r.tags.all() if sensitive or not t.sensitive)
                values = [r.name, r.household.building.name, f"{r.household.entrance}单元", r.household.room]
                values += [r.phone_masked, tags]
                for col, value in enumerate(values):
                    sheet.write_string(i, col, str(value), text if formula_like(str(value)) else None)
                written[0] = i - 1
            sheet.set_column(0, 0, 10)
            sheet.set_column(1, 5, 14)
            book.close()

        response = xlsx_download(write, "通知对象名单.xlsx", "notice-audience.xlsx")
        record_export(user, ExportKind.AUDIENCE, row_count=written[0], filters={"通知对象": label})
        return response


class NoticeDetailView(ScopedMixin, TemplateView):
    """Staff: the notice, its audience and counts, channels, print and public links, and the panels other modules
    register. A resident (notice.read_self) reads it in large type; opening it counts their household as told."""

    model = Notice

    def get_permission(self):
        user = self.request.user
        return "notice.view" if user.is_superuser or user.has_role_perm("notice.view") else "notice.read_self"

    def get_template_names(self):
        return ["notices/notice_detail.html" if self.staff else "notices/notice_read.html"]

    @property
    def staff(self) -> bool:
        user = self.request.user
        return user.is_superuser or user.has_role_perm("notice.view")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        notice = self.get_scoped_object(self.scoped().select_related("community", "created_by", "sent_by"))
        photos = list(photos_of(notice))
        ctx.update(notice=notice, photos=photos, channel_labels=channel_labels(notice))
        if not self.staff:
            record_read(notice, user)
            return ctx
        audience = Audience.from_dict(notice.audience) if notice.audience else None
        mine = NoticeHousehold.objects.restrict(user).filter(notice=notice)
        ctx.update(
            audience=audience,
            audience_query=audience_query(audience) if audience else "",
            draft_counts=audience.counts(user) if audience and notice.status == NoticeStatus.DRAFT else None,
            my_households=mine.aggregate(
                total=Count("id"),
                door=Count("id", filter=Q(needs_door=True)),
                told=Count("id", filter=~Q(confirmed_via="")),
            ),
            can_edit=services.can_edit(user, notice),
            can_send=notice.status == NoticeStatus.DRAFT and _may(user, "notice.send"),
            can_withdraw=notice.status == NoticeStatus.SENT and services.can_withdraw(user, notice),
            can_print=NoticeChannel.PRINT in notice.channels or notice.status == NoticeStatus.SENT,
            public_url=services.public_url(notice) if notice.is_public else "",
            panels=notice_panels(user, notice),
        )
        return ctx


def _may(user, perm: str) -> bool:
    return user.is_superuser or user.has_role_perm(perm)


def channel_labels(notice: Notice) -> list[str]:
    return [NoticeChannel(c).label for c in notice.channels if c in NoticeChannel.values]


class NoticeSendView(ScopedMixin, View):
    """发布: a page saying what will happen per channel (SMS count, WeChat groups, quiet hours), then the button."""

    model = Notice
    action = "send"
    template_name = "notices/notice_send.html"

    def context(self, notice):
        return {"notice": notice, "preview": services.send_preview(notice, self.request.user)}

    def get(self, request, pk):
        notice = self.get_scoped_object(self.scoped().select_related("community"))
        if notice.status != NoticeStatus.DRAFT:
            messages.error(request, services.NOT_DRAFT)
            return redirect(notice)
        try:
            ctx = self.context(notice)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect(notice)
        return render(request, self.template_name, ctx)

    def post(self, request, pk):
        notice = self.get_scoped_object()
        try:
            notice = services.send_notice(notice, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect(notice)
        messages.success(request, f"通知已发布，通知{notice.resident_count}人、{notice.household_count}户。")
        return redirect(notice)


class NoticeWithdrawView(ScopedMixin, View):
    """撤回 with a reason: off the residents' pages and the public board; unsent messages are cancelled."""

    model = Notice
    action = "send"
    template_name = "notices/notice_withdraw.html"

    def get(self, request, pk):
        notice = self.get_scoped_object()
        if notice.status != NoticeStatus.SENT:
            messages.error(request, "只有已发布的通知可以撤回。")
            return redirect(notice)
        if not services.can_withdraw(request.user, notice):
            messages.error(request, "只有发布人、起草人或社区管理人员可以撤回这条通知。")
            return redirect(notice)
        return render(request, self.template_name, {"notice": notice, "form": WithdrawForm()})

    def post(self, request, pk):
        notice = self.get_scoped_object()
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.withdraw_notice(notice, actor=actor_of(request.user), reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "通知已撤回，居民页面和公开通知栏上不再显示，尚未发出的消息已取消。")
                return redirect(notice)
        return render(request, self.template_name, {"notice": notice, "form": form}, status=400)
