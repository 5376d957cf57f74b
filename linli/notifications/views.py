"""消息: the user's own inbox. Every message belongs to exactly one user; others' ids give 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from linli.core.views import paginate
from linli.notifications import services
from linli.notifications.models import Notification


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/notification_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = Notification.objects.for_user(self.request.user)
        show = self.request.GET.get("show", "unread")
        if show == "unread":
            qs = qs.unread()
        ctx["show"] = show
        ctx["page"] = paginate(self.request, qs, per_page=30)
        return ctx


class NotificationOpenView(LoginRequiredMixin, View):
    """Opening a message marks it read and follows its link (only links inside Linli)."""

    def get(self, request, pk):
        note = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
        services.mark_read(request.user, [note.pk])
        if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
            return redirect(note.url)
        return redirect("notifications:notification_list")


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        n = services.mark_read(request.user)
        messages.success(request, f"已将 {n} 条消息标为已读。" if n else "没有未读消息。")
        return redirect("notifications:notification_list")
