"""Generic building blocks for scoped pages (the home and help pages are linli.site.views)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

from linli.core.querysets import require_perm


class ScopedMixin(LoginRequiredMixin):
    """Rows come from Model.objects.restrict(user, action): 403 if the role lacks it, 404 outside scope."""

    model = None
    action = "view"
    permission: str | None = None  # defaults to "<perm_subject>.<action>"

    def get_permission(self) -> str:
        return self.permission or f"{self.model.objects.all().perm_subject}.{self.action}"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, self.get_permission())
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, action: str | None = None):
        return self.model.objects.restrict(self.request.user, action or self.action)

    def get_scoped_object(self, queryset=None, action: str | None = None):
        queryset = queryset if queryset is not None else self.scoped(action)
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


def paginate(request, queryset, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
